"""A team's figures, per unit and rolled up the unit tree; never a person's, never a ranking.

- **Raised and completed per employee per year**: the improvements raised (by the day they were raised) and
  completed (by the day they were finished) in the unit and the units below it, divided by the number of people in
  those units. The people are today's memberships (active people, each counted once however many units they are
  in): the same number divides every year, since no history of memberships is kept.
- **Time in each stage**: for every move out of a stage in the year, the time from the move that brought the
  improvement to the stage (or from when it was raised, for Idea) to the move out, in whole days (24 hours, rounded
  down); the median of those stays per stage. A stay still going on is not counted until it ends.
- **Completed with a measured effect**: finished as adopted or adopted with changes, with an answer to Study's
  question ("what happened compared with what we expected?") in the round it finished in. The share is of all
  improvements completed in the year, those ended without adoption included.

Everything is counted in the database: a fixed number of queries whatever the number of improvements and moves,
each reading the subtree's rows by the unit's indexes, with no function of Python's per row."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from brobygget.improvement.meeting import start_of
from brobygget.improvement.models import STAGES, Improvement, ImprovementRound, Outcome, Stage, StageMove
from brobygget.improvement.selectors import stage_labels
from brobygget.organisation.models import Membership, Unit

# The per-year table shows the chosen year and this many before it; the year chooser offers as many back from today.
YEARS_SHOWN = 5
YEARS_OFFERED = 10
# The stages an improvement stays in (Done is the end, not a stay).
STAY_STAGES = tuple(stage for stage in STAGES if stage != Stage.DONE)


@dataclass(frozen=True)
class Counts:
    raised: int = 0
    done: int = 0
    measured: int = 0  # completed with a measured effect (see the module)
    people: int = 0

    @property
    def raised_per_employee(self) -> float | None:
        return self.raised / self.people if self.people else None

    @property
    def done_per_employee(self) -> float | None:
        return self.done / self.people if self.people else None

    @property
    def measured_share(self) -> int | None:
        """The share of the completed improvements with a measured effect, in whole per cent."""
        return round(100 * self.measured / self.done) if self.done else None


@dataclass(frozen=True)
class YearRow:
    year: int
    counts: Counts


@dataclass(frozen=True)
class StageRow:
    stage: str
    label: str
    stays: int
    median_days: float | None


@dataclass(frozen=True)
class UnitRow:
    """A unit one level down, rolled up (its figures include the units below it); `pk` None is the unit's own
    board and people."""

    pk: int | None
    name: str
    counts: Counts


@dataclass(frozen=True)
class UnitFigures:
    unit: Unit
    year: int
    years: list[YearRow]  # oldest first, ending with `year`
    stages: list[StageRow]
    units: list[UnitRow]  # empty when the unit has none below it

    @property
    def total(self) -> Counts:
        return self.years[-1].counts


class WholeDaysBetween(Func):
    """Whole days (24 hours, rounded down) from the second moment to the first, in the database's own arithmetic:
    no function of Python's per row (SQLite's date functions through Django are, and cost a second at 80,000 moves)
    and no time zone (elapsed time is the same in every zone)."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "CAST(julianday(%(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)


def year_choices(today: datetime.date) -> list[int]:
    return list(range(today.year, today.year - YEARS_OFFERED, -1))


def median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}; None when there are none."""
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted((value, n) for value, n in counts.items() if n)

    def nth(k: int) -> int:
        seen = 0
        for value, n in ordered:
            seen += n
            if k < seen:
                return value
        raise AssertionError("k is below the total")  # pragma: no cover

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


def _year_bounds(first: int, last: int) -> tuple[datetime.datetime, datetime.datetime]:
    return start_of(datetime.date(first, 1, 1)), start_of(datetime.date(last + 1, 1, 1))


def _measured() -> Q:
    with_result = ImprovementRound.objects.filter(improvement=OuterRef("pk"), number=OuterRef("round_number")).exclude(
        result=""
    )
    return Q(outcome__in=[Outcome.ADOPTED, Outcome.ADAPTED]) & Q(Exists(with_result))


def _people(unit: Unit, children: list[tuple[int, str, str]]) -> dict[str, int]:
    """Today's active people of the unit's subtree ("total"), of the unit itself ("own") and of each child's subtree
    ("c<id>"), each person once. One query."""
    distinct = {
        "total": Count("person_id", distinct=True),
        "own": Count("person_id", distinct=True, filter=Q(unit_id=unit.pk)),
    }
    for pk, _name, path in children:
        distinct[f"c{pk}"] = Count("person_id", distinct=True, filter=Q(unit__path__below=path))
    return Membership.objects.filter(unit__path__below=unit.path, person__is_active=True).aggregate(**distinct)


def _subtree(unit_ids: list[int]) -> QuerySet[Improvement]:
    """The improvements of the unit and the units below it (their ids, read once), by the unit's indexes."""
    return Improvement.objects.filter(unit_id__in=unit_ids).order_by()


def _year_of(field: str, first: int, last: int) -> Case:
    """The year a moment falls in, among first..last (local years), by comparisons the database makes itself: no
    function per row (`ExtractYear` with the time zone is a Python function per row on SQLite), and a small query
    to compile (a filtered count per year and figure took longer to build than to run)."""
    whens = [When(**{f"{field}__lt": _year_bounds(one, one)[1]}, then=Value(one)) for one in range(first, last)]
    return Case(*whens, default=Value(last), output_field=IntegerField())


def _years(unit_ids: list[int], year: int, people: int) -> list[YearRow]:
    """Raised, completed and completed with a measured effect, per year, in the unit's subtree. Two queries."""
    first = year - YEARS_SHOWN + 1
    start, end = _year_bounds(first, year)
    subtree = _subtree(unit_ids)
    raised = dict(
        subtree.filter(created_at__gte=start, created_at__lt=end)
        .annotate(year=_year_of("created_at", first, year))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    done: dict[int, tuple[int, int]] = {
        y: (n, m)
        for y, n, m in subtree.filter(stage=Stage.DONE, finished_at__gte=start, finished_at__lt=end)
        .annotate(year=_year_of("finished_at", first, year))
        .values("year")
        .annotate(n=Count("pk"), m=Count("pk", filter=_measured()))
        .values_list("year", "n", "m")
    }
    rows = []
    for one in range(first, year + 1):
        n, m = done.get(one, (0, 0))
        rows.append(YearRow(one, Counts(raised=raised.get(one, 0), done=n, measured=m, people=people)))
    return rows


def _units(
    unit: Unit, unit_ids: list[int], year: int, children: list[tuple[int, str, str]], people: dict[str, int]
) -> list[UnitRow]:
    """The unit's own board and each unit one level down (rolled up), in the year. One query."""
    if not children:
        return []
    start, end = _year_bounds(year, year)
    raised_in = Q(created_at__gte=start, created_at__lt=end)
    done_in = Q(stage=Stage.DONE, finished_at__gte=start, finished_at__lt=end)
    groups = {"own": Q(unit_id=unit.pk), **{f"c{pk}": Q(unit__path__below=path) for pk, _name, path in children}}
    aggregates = {}
    for key, where in groups.items():
        aggregates[f"r_{key}"] = Count("pk", filter=where & raised_in)
        aggregates[f"d_{key}"] = Count("pk", filter=where & done_in)
        aggregates[f"m_{key}"] = Count("pk", filter=where & done_in & _measured())
    found = _subtree(unit_ids).filter(raised_in | done_in).aggregate(**aggregates)

    def counts(key: str) -> Counts:
        return Counts(found[f"r_{key}"], found[f"d_{key}"], found[f"m_{key}"], people[key] or 0)

    own = [UnitRow(None, unit.name, counts("own"))]
    return own + [UnitRow(pk, name, counts(f"c{pk}")) for pk, name, _path in children]


def _stages(unit_ids: list[int], year: int) -> list[StageRow]:
    """The median days of the stays in each stage that ended in the year, in the unit's subtree. One query, the
    stays counted per stage and length in whole days."""
    start, end = _year_bounds(year, year)
    before = StageMove.objects.filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")), improvement=OuterRef("improvement")
    ).order_by("-at", "-pk")
    arrived = Coalesce(Subquery(before.values("at")[:1]), F("improvement__created_at"))
    rows = (
        StageMove.objects.filter(improvement_id__in=_subtree(unit_ids).values("pk"), at__gte=start, at__lt=end)
        .annotate(days=WholeDaysBetween("at", arrived))
        .values("from_stage", "days")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("from_stage", "days", "n")
    )
    stays: dict[str, dict[int, int]] = {stage: {} for stage in STAY_STAGES}
    for stage, days, n in rows:
        if stage in stays and days is not None:
            stays[stage][days] = stays[stage].get(days, 0) + n
    labels = stage_labels()
    return [StageRow(stage, labels[stage], sum(stays[stage].values()), median(stays[stage])) for stage in STAY_STAGES]


def unit_figures(*, unit: Unit, year: int) -> UnitFigures:
    """The figures of `unit` and the units below it for `year` (and the years before it, for the per-year table).
    Six queries, whatever the number of units below, improvements and moves."""
    below = Unit.objects.filter(path__below=unit.path).order_by("name", "pk")
    subtree = list(below.values_list("pk", "parent_id", "name", "path"))
    unit_ids = [pk for pk, _parent, _name, _path in subtree]
    children = [(pk, name, path) for pk, parent, name, path in subtree if parent == unit.pk]
    people = _people(unit, children)
    return UnitFigures(
        unit=unit,
        year=year,
        years=_years(unit_ids, year, people["total"] or 0),
        stages=_stages(unit_ids, year),
        units=_units(unit, unit_ids, year, children, people),
    )
