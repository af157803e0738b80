"""Follow-ups of goals and activities: which spans are due by the goal's rhythm, the service that submits a
follow-up (a status, and an analysis required for yellow and red) with its snapshot, and the reads of what is due.

**Spans.** A goal's follow-ups cover the spans of its rhythm that end in its period: the end of each month
(monthly), of April, August and December (tertial), or of December (yearly). A span's follow-up may be written from
`OPEN_DAYS` before it ends; it is **overdue** `OVERDUE_DAYS` after. For each rhythm two ends are asked for on a
given day: the latest end that is open (`open_end`) and the latest that is overdue (`overdue_end`); a goal whose
period holds one of them, without a follow-up for it, has that follow-up due.

**Snapshot.** A follow-up, once submitted, is kept as it was: `FollowUp.snapshot` holds what the report prints (the
goal's title, description, unit, responsible person and period, the indicators with their values and targets, the
roll-up of its children and its explanation) as they read then, so that later edits of the goal or its indicators
never change last year's report. It is never changed afterwards: a span has one follow-up."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.core.prepared import prepared
from brobygget.core.text import plain_text
from brobygget.goals import rollup
from brobygget.goals.indicators import indicator_colour
from brobygget.goals.kept import kept_followed_up
from brobygget.goals.models import (
    TEXT_MAX_LENGTH,
    FollowUp,
    Goal,
    Indicator,
    IndicatorTarget,
    Measurement,
    Rhythm,
)
from brobygget.goals.services import may_edit
from brobygget.organisation.models import Person
from brobygget.organisation.selectors import person_for_actor

GOAL_PAGE_FOLLOW_UPS = 6  # a goal's page lists its latest follow-ups, this many
OPEN_DAYS = 14  # a span's follow-up may be written from this many days before the span ends
OVERDUE_DAYS = 14  # and is overdue this many days after
REMIND_DAYS = 7  # the reminder mail goes out this many days before the span ends

ERROR_NOT_ALLOWED = _(
    "Only the person responsible, and leaders of the unit or a unit above it, may follow up the goal."
)
ERROR_STATUS = _("Choose a status in the list.")
ERROR_ANALYSIS_REQUIRED = _(
    "Write an analysis when the status is yellow or red: what you see, why, and what you do about it."
)
ERROR_ANALYSIS_TOO_LONG = _("The analysis can be at most 4,000 characters long. Shorten it a little.")
ERROR_SPAN = _("Choose a span of the goal's follow-up rhythm in its period.")
ERROR_SPAN_NOT_YET = _("That span has not come far enough to be followed up yet.")
ERROR_ALREADY = _("That span is followed up already. A submitted follow-up is kept as it was.")
ERROR_ARCHIVED = _("The goal is archived and is not followed up.")

TERTIAL_MONTHS = (4, 8, 12)


def month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def _months(rhythm: str) -> tuple[int, ...]:
    if rhythm == Rhythm.MONTHLY:
        return tuple(range(1, 13))
    if rhythm == Rhythm.TERTIAL:
        return TERTIAL_MONTHS
    return (12,)


def span_ends(rhythm: str, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The ends of the rhythm's spans that fall in [start, end], in order."""
    return [
        day
        for year in range(start.year, end.year + 1)
        for month in _months(rhythm)
        if start <= (day := month_end(year, month)) <= end
    ]


def latest_end(rhythm: str, day: datetime.date) -> datetime.date:
    """The latest end of a span of the rhythm on or before `day`."""
    for year in (day.year, day.year - 1):
        for month in reversed(_months(rhythm)):
            end = month_end(year, month)
            if end <= day:
                return end
    raise AssertionError("a span ends every year")  # pragma: no cover


def open_end(rhythm: str, today: datetime.date) -> datetime.date:
    """The latest span end whose follow-up may be written today."""
    return latest_end(rhythm, today + datetime.timedelta(days=OPEN_DAYS))


def overdue_end(rhythm: str, today: datetime.date) -> datetime.date:
    """The latest span end whose follow-up is overdue today."""
    return latest_end(rhythm, today - datetime.timedelta(days=OVERDUE_DAYS + 1))


def is_overdue(covers_until: datetime.date, today: datetime.date) -> bool:
    return today > covers_until + datetime.timedelta(days=OVERDUE_DAYS)


def _in_period(end: datetime.date) -> Q:
    return Q(period__start__lte=end, period__end__gte=end)


def _missing(end: datetime.date) -> Q:
    return ~Q(Exists(FollowUp.objects.filter(goal_id=OuterRef("pk"), covers_until=end)))


def due_filter(today: datetime.date, *, overdue_only: bool = False) -> Q:
    """A filter on Goal: goals (not archived) with a follow-up due today (open or overdue) that is not written."""
    parts = []
    for rhythm in Rhythm.values:
        ends = {overdue_end(rhythm, today)} if overdue_only else {open_end(rhythm, today), overdue_end(rhythm, today)}
        parts += [Q(rhythm=rhythm) & _in_period(end) & _missing(end) for end in sorted(ends)]
    return Q(archived=False) & reduce(or_, parts)


@dataclass(frozen=True, slots=True)
class DueFollowUp:
    """A follow-up to write: the goal, the span's end, and whether it is overdue."""

    goal_id: int
    title: str
    unit: str
    responsible: str
    covers_until: datetime.date
    overdue: bool


def _due_rows(goals: Q, today: datetime.date, limit: int) -> tuple[list[DueFollowUp], bool]:
    """The due follow-ups of the goals of this filter, the overdue first (the oldest first); at most `limit`, and
    whether there are more. Two queries."""
    rows = list(
        Goal.objects.filter(goals & due_filter(today))
        .order_by("period__end", "pk")
        .values_list(
            "pk",
            "title",
            "rhythm",
            "period__start",
            "period__end",
            "unit__name",
            "responsible__first_name",
            "responsible__last_name",
        )[: limit + 1]
    )
    candidates = {
        end for _pk, _t, rhythm, *_rest in rows for end in (open_end(rhythm, today), overdue_end(rhythm, today))
    }
    written = set(
        FollowUp.objects.filter(goal_id__in=[row[0] for row in rows], covers_until__in=candidates).values_list(
            "goal_id", "covers_until"
        )
    )
    found = []
    for pk, title, rhythm, start, end, unit, first, last in rows[:limit]:
        for day in sorted({overdue_end(rhythm, today), open_end(rhythm, today)}):
            if start <= day <= end and (pk, day) not in written:
                found.append(DueFollowUp(pk, title, unit, f"{first} {last}", day, is_overdue(day, today)))
    found.sort(key=lambda item: (not item.overdue, item.covers_until, item.title))
    return found, len(rows) > limit


def my_due_follow_ups(*, person_id: int, today: datetime.date, limit: int = 10) -> tuple[list[DueFollowUp], bool]:
    """The follow-ups the person answers for that are due (open or overdue). Two queries."""
    return _due_rows(Q(responsible_id=person_id), today, limit)


def overdue_below(
    *, person_id: int, unit_paths: list[str], today: datetime.date, limit: int = 10
) -> tuple[list[DueFollowUp], bool]:
    """The overdue follow-ups of the goals of these units and the units below them that others answer for (what a
    leader above sees stand out). Two queries."""
    if not unit_paths:
        return [], False
    units = reduce(or_, (Q(unit__path__below=path) for path in unit_paths))
    rows, more = _due_rows(units & ~Q(responsible_id=person_id) & due_filter(today, overdue_only=True), today, limit)
    return [row for row in rows if row.overdue], more


def open_spans(*, goal: Goal, today: datetime.date) -> list[datetime.date]:
    """The spans of the goal that may be followed up today and are not yet, the latest first (a form's choice)."""
    ends = [
        end
        for end in span_ends(goal.rhythm, goal.period.start, goal.period.end)
        if end <= today + datetime.timedelta(days=OPEN_DAYS)
    ]
    written = set(FollowUp.objects.filter(goal=goal, covers_until__in=ends).values_list("covers_until", flat=True))
    return [end for end in reversed(ends) if end not in written]


def may_follow_up(*, actor: SystemOrActor, goal: Goal) -> bool:
    """The responsible person, and those who may edit the goal (leaders of its unit or above it, administrators)."""
    if (
        actor is not None
        and actor.is_authenticated
        and Person.objects.filter(pk=goal.responsible_id, user_id=actor.pk, is_active=True).exists()
    ):
        return True
    return may_edit(actor=actor, unit=goal.unit)


@dataclass
class FollowUpInput:
    status: str
    analysis: str = ""


def _cleaned(data: FollowUpInput) -> tuple[str, str]:
    errors: dict[str, list[ValidationError]] = {}
    if data.status not in FollowUp.Status.values:
        errors["status"] = [ValidationError(ERROR_STATUS, code="invalid")]
    analysis = ""
    try:
        analysis = plain_text(data.analysis).strip()
    except ValidationError as error:
        errors["analysis"] = error.error_list
    else:
        if len(analysis) > TEXT_MAX_LENGTH:
            errors["analysis"] = [ValidationError(ERROR_ANALYSIS_TOO_LONG, code="max_length")]
        elif not analysis and data.status in (FollowUp.Status.YELLOW, FollowUp.Status.RED):
            errors["analysis"] = [ValidationError(ERROR_ANALYSIS_REQUIRED, code="required")]
    if errors:
        raise ValidationError(errors)
    return data.status, analysis


def _number(value: Decimal | None) -> str | None:
    """A value as plain decimal text without trailing zeros ("60", "12.5"; never "6E+1")."""
    return None if value is None else format(value.normalize(), "f")


def _indicators_snapshot(goal: Goal, until: datetime.date) -> list[dict[str, Any]]:
    """The goal's indicators as they read on submitting: their values (the municipality's own, everyone) up to the
    span's year, the period's target, and the colour of the latest value. Three queries."""
    indicators = list(Indicator.objects.filter(goal=goal, archived=False).order_by("name", "pk"))
    ids = [indicator.pk for indicator in indicators]
    targets = dict(
        IndicatorTarget.objects.filter(indicator_id__in=ids, period_id=goal.period_id).values_list(
            "indicator_id", "value"
        )
    )
    values: dict[int, list[tuple[int, int, Decimal | None]]] = {pk: [] for pk in ids}
    for indicator_id, year, month, value in (
        Measurement.objects.filter(indicator_id__in=ids, gender=Measurement.Gender.TOTAL, area="", year__lte=until.year)
        .order_by("indicator_id", "year", "month")
        .values_list("indicator_id", "year", "month", "value")
    ):
        values[indicator_id].append((year, month, value))
    shown = []
    for indicator in indicators:
        points = values[indicator.pk]
        latest = next((value for _y, _m, value in reversed(points) if value is not None), None)
        shown.append(
            {
                "id": indicator.pk,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "direction": indicator.direction,
                "source": indicator.source,
                "baseline": _number(indicator.baseline),
                "baseline_year": indicator.baseline_year,
                "target": _number(targets.get(indicator.pk)),
                "values": [[year, month, _number(value)] for year, month, value in points],
                "latest": _number(latest),
                "colour": indicator_colour(indicator, latest),
            }
        )
    return shown


def snapshot_of(
    goal: Goal, covers_until: datetime.date, status: str, analysis: str, person: Person | None
) -> dict[str, Any]:
    """What the report prints of this follow-up, as it reads now (the module's docstring)."""
    with translation.override(settings.LANGUAGE_CODE):
        rolled = rollup.period_rollup(
            period_id=goal.period_id, municipality_id=goal.municipality_id, paths=[goal.path], until=covers_until
        ).get(goal.pk)
        reason = rolled.reason if rolled else ""
    return {
        "goal": {
            "id": goal.pk,
            "title": goal.title,
            "description": goal.description,
            "level": goal.level,
            "unit": goal.unit.name,
            "responsible": goal.responsible.full_name,
            "period": goal.period.name,
            "rhythm": goal.rhythm,
        },
        "covers_until": covers_until.isoformat(),
        "status": status,
        "analysis": analysis,
        "submitted_by": person.full_name if person else "",
        "indicators": _indicators_snapshot(goal, covers_until),
        "rollup": {
            "status": rolled.rolled if rolled else None,
            "reason": reason,
            "children": [
                {"id": child.pk, "title": child.title, "level": child.level, "status": child.status}
                for child in (rolled.children if rolled else [])
            ],
        },
    }


@transaction.atomic
def follow_up_submit(*, actor: SystemOrActor, goal: Goal, covers_until: datetime.date, data: FollowUpInput) -> FollowUp:
    """Submit the follow-up of the goal's span ending on `covers_until`: its status and analysis, kept with a
    snapshot of what the report prints. Written once; audited."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("unit", "period", "responsible").get(pk=goal.pk)
    if not may_follow_up(actor=actor, goal=goal):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    if goal.archived:
        raise ValidationError(ERROR_ARCHIVED)
    status, analysis = _cleaned(data)
    today = timezone.localdate()
    if covers_until not in span_ends(goal.rhythm, goal.period.start, goal.period.end):
        raise ValidationError({"covers_until": [ValidationError(ERROR_SPAN, code="invalid")]})
    if covers_until > today + datetime.timedelta(days=OPEN_DAYS):
        raise ValidationError({"covers_until": [ValidationError(ERROR_SPAN_NOT_YET, code="invalid")]})
    if FollowUp.objects.filter(goal=goal, covers_until=covers_until).exists():
        raise ValidationError({"covers_until": [ValidationError(ERROR_ALREADY, code="unique")]})
    person = person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None
    snapshot = snapshot_of(goal, covers_until, status, analysis, person)
    try:
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                goal=goal,
                covers_until=covers_until,
                status=status,
                analysis=analysis,
                snapshot=snapshot,
                submitted_by=person,
                submitted_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError({"covers_until": [ValidationError(ERROR_ALREADY, code="unique")]}) from None
    kept_followed_up(goal=goal, status=status, covers_until=covers_until)
    audit_record(
        actor=actor,
        action="goal.followed_up",
        target=goal,
        municipality=Municipality.objects.get(pk=goal.municipality_id),
        extra={"follow_up": follow_up.pk, "covers_until": covers_until.isoformat(), "status": status},
    )
    return follow_up


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    pk: int
    covers_until: datetime.date
    status: str
    analysis: str
    submitted_by: str
    submitted_at: datetime.datetime


def goal_follow_ups(*, goal: Goal, limit: int = 24) -> list[FollowUpRow]:
    """The goal's follow-ups, the latest first (as submitted). One query."""
    rows = (
        FollowUp.objects.filter(goal=goal)
        .order_by("-covers_until", "-pk")
        .values_list(
            "pk",
            "covers_until",
            "status",
            "analysis",
            "submitted_by__first_name",
            "submitted_by__last_name",
            "submitted_at",
        )[:limit]
    )
    return [
        FollowUpRow(pk, until, status, analysis, f"{first} {last}" if first else "", at)
        for pk, until, status, analysis, first, last, at in rows
    ]


@prepared
def goal_page_follow_ups(*, goal_id: int) -> QuerySet[FollowUp, tuple[int, datetime.date, str, str]]:
    """The goal's latest follow-ups as its page lists them, (pk, covers_until, status, analysis), the latest first.
    Prepared (core.prepared): Django took 0.35 ms to build this query, the database 0.03 ms to answer it."""
    return (
        FollowUp.objects.filter(goal_id=goal_id)
        .order_by("-covers_until", "-pk")
        .values_list("pk", "covers_until", "status", "analysis")[:GOAL_PAGE_FOLLOW_UPS]
    )
