"""What "Min sida" shows of improvement work: my improvements, what is due first (organisation.workspace)."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from brobygget.improvement.models import Improvement, Stage
from brobygget.improvement.selectors import stage_labels
from brobygget.organisation.workspace import Section, Viewer

MY_IMPROVEMENTS_LIMIT = 10


@dataclass(frozen=True, slots=True)
class MyImprovement:
    pk: int
    title: str
    stage_label: str
    unit_name: str
    due_date: datetime.date | None
    overdue: bool


def my_improvements(*, person_id: int, today: datetime.date) -> tuple[list[MyImprovement], bool]:
    """The improvements not yet done that the person owns or takes part in, those due first (then the newest),
    at most MY_IMPROVEMENTS_LIMIT, and whether there are more; one query."""
    labels = stage_labels()
    # Each half by its own index (the owner's; the people involved by person): an OR over a join of the two read
    # every improvement of the municipality (200,000 in a city) on SQLite.
    owned = Improvement.objects.filter(owner_id=person_id).values("pk")
    involved = Improvement.involved.through.objects.filter(person_id=person_id).values("improvement_id")
    rows = list(
        Improvement.objects.filter(Q(pk__in=owned) | Q(pk__in=involved))
        .exclude(stage=Stage.DONE)
        .order_by(F("due_date").asc(nulls_last=True), "-created_at", "pk")
        .values_list("pk", "title", "stage", "unit__name", "due_date")[: MY_IMPROVEMENTS_LIMIT + 1]
    )
    items = [
        MyImprovement(pk, title, labels[stage], unit, due, due is not None and due < today)
        for pk, title, stage, unit, due in rows[:MY_IMPROVEMENTS_LIMIT]
    ]
    return items, len(rows) > MY_IMPROVEMENTS_LIMIT


def my_page_section(viewer: Viewer) -> Section:
    """The part of "Min sida" with my improvements, what is due first."""
    items, more = my_improvements(person_id=viewer.person.pk, today=viewer.today)
    return Section("improvement/my_page_improvements.html", {"improvements": items, "more": more})
