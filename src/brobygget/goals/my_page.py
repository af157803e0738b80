"""What "Min sida" shows of follow-ups (organisation.workspace): the follow-ups I answer for that are due, and, for a
leader, the overdue follow-ups of others in the units they lead and below, which stand out.

The rows are those of `followups.my_due_follow_ups` and `followups.overdue_below` (tests/goals/test_my_page.py
checks them day by day), read in one prepared query each (core.prepared): which span of a row is due comes with the
row, so no second query asks which follow-ups are written. Built with the plain ORM, the filter of every rhythm's
spans (an EXISTS for each) cost 4–8 ms of Python a query at size M, more than the rest of the page's reads together.
"""

import datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from brobygget.core.prepared import prepared
from brobygget.goals.followups import DueFollowUp, is_overdue, open_end, overdue_end
from brobygget.goals.models import FollowUp, Goal, Rhythm
from brobygget.organisation.models import Role, Unit
from brobygget.organisation.scoping import units_below
from brobygget.organisation.workspace import Section, Viewer

LIMIT = 10

_FIELDS = (
    "pk",
    "title",
    "rhythm",
    "unit__name",
    "responsible__first_name",
    "responsible__last_name",
)


def _span_due(ends: dict[str, datetime.date]) -> Q:
    """A filter on Goal: for its rhythm, the span ending on that rhythm's end is in its period and not followed up."""
    return reduce(
        or_,
        (
            Q(rhythm=rhythm, period__start__lte=end, period__end__gte=end)
            & ~Q(Exists(FollowUp.objects.filter(goal_id=OuterRef("pk"), covers_until=end)))
            for rhythm, end in ends.items()
        ),
    )


def _flag(condition: Q) -> ExpressionWrapper[Any]:
    return ExpressionWrapper(condition, output_field=BooleanField())


@prepared
def _mine(
    *,
    person_id: int,
    monthly_open: datetime.date,
    monthly_overdue: datetime.date,
    tertial_open: datetime.date,
    tertial_overdue: datetime.date,
    yearly_open: datetime.date,
    yearly_overdue: datetime.date,
) -> QuerySet[Goal, Any]:
    opened = _span_due({Rhythm.MONTHLY: monthly_open, Rhythm.TERTIAL: tertial_open, Rhythm.YEARLY: yearly_open})
    overdue = _span_due(
        {Rhythm.MONTHLY: monthly_overdue, Rhythm.TERTIAL: tertial_overdue, Rhythm.YEARLY: yearly_overdue}
    )
    return (
        Goal.objects.filter(responsible_id=person_id, archived=False)
        .filter(opened | overdue)
        .annotate(open_due=_flag(opened), overdue_due=_flag(overdue))
        .order_by("period__end", "pk")
        .values_list(*_FIELDS, "open_due", "overdue_due")[: LIMIT + 1]
    )


@prepared
def _overdue_below(
    *,
    person_id: int,
    paths: list[str],
    monthly_overdue: datetime.date,
    tertial_overdue: datetime.date,
    yearly_overdue: datetime.date,
) -> QuerySet[Goal, Any]:
    overdue = _span_due(
        {Rhythm.MONTHLY: monthly_overdue, Rhythm.TERTIAL: tertial_overdue, Rhythm.YEARLY: yearly_overdue}
    )
    # The units below as a subquery: the goals are then read by their unit's index (`unit, period`).
    return (
        Goal.objects.filter(unit_id__in=Unit.objects.filter(units_below(paths)).values("id"), archived=False)
        .exclude(responsible_id=person_id)
        .filter(overdue)
        .order_by("period__end", "pk")
        .values_list(*_FIELDS)[: LIMIT + 1]
    )


def _ends(today: datetime.date) -> dict[str, datetime.date]:
    """The arguments of the queries: each rhythm's latest open end and latest overdue end today."""
    ends = {}
    for rhythm in Rhythm.values:
        ends[f"{rhythm}_open"] = open_end(rhythm, today)
        ends[f"{rhythm}_overdue"] = overdue_end(rhythm, today)
    return ends


def my_due(*, person_id: int, today: datetime.date) -> tuple[list[DueFollowUp], bool]:
    """The follow-ups the person answers for that are due (open or overdue), the overdue first, at most LIMIT goals'
    and whether there are more; one query (as followups.my_due_follow_ups)."""
    ends = _ends(today)
    rows = _mine(person_id=person_id, **ends)
    found = []
    for pk, title, rhythm, unit, first, last, open_due, overdue_due in rows[:LIMIT]:
        opened, overdue = ends[f"{rhythm}_open"], ends[f"{rhythm}_overdue"]
        days = {day for day, due in ((overdue, overdue_due), (opened, open_due)) if due}
        found += [DueFollowUp(pk, title, unit, f"{first} {last}", day, is_overdue(day, today)) for day in days]
    found.sort(key=lambda item: (not item.overdue, item.covers_until, item.title))
    return found, len(rows) > LIMIT


def overdue_below(*, person_id: int, paths: list[str], today: datetime.date) -> tuple[list[DueFollowUp], bool]:
    """The overdue follow-ups of the goals of these units and those below that others answer for, at most LIMIT,
    and whether there are more; one query (as followups.overdue_below)."""
    if not paths:
        return [], False
    ends = {f"{rhythm}_overdue": overdue_end(rhythm, today) for rhythm in Rhythm.values}
    rows = _overdue_below(person_id=person_id, paths=paths, **ends)
    found = [
        DueFollowUp(pk, title, unit, f"{first} {last}", ends[f"{rhythm}_overdue"], True)
        for pk, title, rhythm, unit, first, last in rows[:LIMIT]
    ]
    found.sort(key=lambda item: (item.covers_until, item.title))
    return found, len(rows) > LIMIT


def my_page_section(viewer: Viewer) -> Section | None:
    """My due follow-ups (one query) and, for a leader, the overdue ones below (one more); nothing to show, no
    section."""
    mine, more_mine = my_due(person_id=viewer.person.pk, today=viewer.today)
    led_paths = sorted({m.unit_path for m in getattr(viewer.person, "unit_roles", []) if m.role == Role.LEADER})
    below, more_below = overdue_below(person_id=viewer.person.pk, paths=led_paths, today=viewer.today)
    if not mine and not below:
        return None
    context = {"mine": mine, "more_mine": more_mine, "below": below, "more_below": more_below}
    return Section("goals/my_page_follow_ups.html", context)
