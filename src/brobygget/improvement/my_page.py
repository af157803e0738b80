"""What "Min sida" shows of improvement work (organisation.workspace): my improvements, what is due first; for a
leader, the deviations waiting for triage; the thanks to me.

Each is one prepared query (core.prepared; the builders are checked against the plain ORM in
tests/core/test_prepared_builders.py) that reads only what the section shows: built with the plain ORM the three
cost some 2 ms of Python a page at size M, the database answering each in a tenth of a millisecond. The providers
are `my_page_section` here, `views_learning.my_page_section` (deviations) and `recognitions.my_page_section`."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from brobygget.core.prepared import prepared
from brobygget.improvement.models import Deviation, DeviationState, Improvement, Recognition, Stage
from brobygget.improvement.selectors import stage_labels
from brobygget.improvement.views_board import href
from brobygget.organisation.models import Role, Unit
from brobygget.organisation.scoping import units_below
from brobygget.organisation.workspace import Section, Viewer

MY_IMPROVEMENTS_LIMIT = 10
DEVIATIONS_LIMIT = 10  # as deviations.MY_PAGE_LIMIT
THANKS_LIMIT = 10


@dataclass(frozen=True, slots=True)
class MyImprovement:
    pk: int
    title: str
    stage_label: str
    unit_name: str
    due_date: datetime.date | None
    overdue: bool


@prepared
def _my_improvements(*, person_id: int) -> QuerySet[Improvement, Any]:
    # The two kinds are one UNION of two selects, each by its own index (the owner's; the people involved by
    # person): an OR of the two made PostgreSQL read every improvement of the municipality (at size L 200,000:
    # 100 ms, now 1 ms), and an OR over a join of the two did so on SQLite. UNION, not UNION ALL: an improvement
    # the person owns and takes part in is listed once.
    under_way = Improvement.objects.order_by().exclude(stage=Stage.DONE)
    fields = ("pk", "title", "stage", "unit__name", "due_date", "created_at")
    owned = under_way.filter(owner_id=person_id).values_list(*fields)
    involved = under_way.filter(involved=person_id).values_list(*fields)
    return owned.union(involved).order_by(F("due_date").asc(nulls_last=True), "-created_at", "pk")[
        : MY_IMPROVEMENTS_LIMIT + 1
    ]


def my_improvements(*, person_id: int, today: datetime.date) -> tuple[list[MyImprovement], bool]:
    """The improvements not yet done that the person owns or takes part in, those due first (then the newest),
    at most MY_IMPROVEMENTS_LIMIT, and whether there are more; one query."""
    labels = stage_labels()
    rows = _my_improvements(person_id=person_id)
    items = [
        MyImprovement(pk, title, labels[stage], unit, due, due is not None and due < today)
        for pk, title, stage, unit, due, _created in rows[:MY_IMPROVEMENTS_LIMIT]
    ]
    return items, len(rows) > MY_IMPROVEMENTS_LIMIT


def my_page_section(viewer: Viewer) -> Section:
    """The part of "Min sida" with my improvements, what is due first."""
    items, more = my_improvements(person_id=viewer.person.pk, today=viewer.today)
    context = {"improvements": items, "more": more, "href": href("improvement:detail")}
    return Section("improvement/my_page_improvements.html", context)


@dataclass(frozen=True, slots=True)
class WaitingRow:
    pk: int
    where: str
    unit: str


@dataclass(frozen=True)
class Waiting:
    rows: list[WaitingRow]
    more: bool


@prepared
def _deviations_waiting(*, municipality_id: int, paths: list[str]) -> QuerySet[Deviation, Any]:
    # By the index of unit and state (unit_id IN the led units, by the paths' index), not along every deviation of the
    # municipality; the municipality is checked on the unit joined (named in the subquery, SQLite read every unit of
    # the municipality for it: at size L 0.19 ms instead of 0.04).
    led = Unit.objects.filter(units_below(paths)).values("pk")
    return (
        Deviation.objects.filter(unit_id__in=led, unit__municipality_id=municipality_id, state=DeviationState.NEW)
        .order_by("reported_at", "pk")
        .values_list("pk", "where", "unit__name")[: DEVIATIONS_LIMIT + 1]
    )


def deviations_waiting(*, viewer: Viewer) -> Waiting | None:
    """The deviations waiting for this leader's triage in the units they lead and below, oldest first (those of
    deviations.deviations_waiting), at most DEVIATIONS_LIMIT, and whether there are more; one query. None for a
    person who leads no unit."""
    paths = sorted({m.unit_path for m in getattr(viewer.person, "unit_roles", []) if m.role == Role.LEADER})
    if not paths:
        return None
    rows = _deviations_waiting(municipality_id=viewer.person.municipality_id, paths=paths)
    return Waiting([WaitingRow(*row) for row in rows[:DEVIATIONS_LIMIT]], len(rows) > DEVIATIONS_LIMIT)


@dataclass(frozen=True, slots=True)
class MyThanks:
    pk: int
    text: str
    given_by: str
    about: str  # the improvement's or learning's title, or ""
    given_on: datetime.date
    shown: bool


@prepared
def _thanks(*, person_id: int) -> QuerySet[Recognition, Any]:
    return (
        Recognition.objects.filter(person_id=person_id)
        .order_by("-given_at", "-pk")
        .values_list(
            "pk",
            "text",
            "given_by__first_name",
            "given_by__last_name",
            "improvement__title",
            "learning__title",
            "given_at",
            "shown_in_organisation",
        )[:THANKS_LIMIT]
    )


def thanks_to(*, person_id: int) -> list[MyThanks]:
    """The latest thank-yous to the person, shown in the organisation or not (those of
    recognitions.my_recognitions); one query."""
    return [
        MyThanks(pk, text, f"{first} {last}", improvement or learning or "", timezone.localdate(at), shown)
        for pk, text, first, last, improvement, learning, at, shown in _thanks(person_id=person_id)
    ]
