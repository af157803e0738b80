"""How the dialog keeps its promises, per unit and month of the last twelve: received, answered, answered within
the promise, median working days to answer, and the residents' "Blev det löst?".

Definitions (docs/staff.md says the same in Swedish):

* A case counts in the month it was *received* (local time), in the unit that has it now.
* *Answered*: the case has a first answer (`answered_at`). A case marked "not for us" is not counted as answered.
* *Answered within the promise*: the local date of the first answer is on or before the answer-by date.
* *Median working days to answer*: over the answered cases, the Swedish working days after the day the case
  came in up to and including the day of the first answer (`core.calendar.working_days_between`); with an even
  number of cases, the mean of the two middle values.

The page does not read the cases. It reads the rollup `CaseTally` (kept by the services, `dialog.tally`): one row
per unit, category, kind and month, with the answer times as counts for the medians, so a page reads a few rows per
unit and month in one query, whatever the number of cases. `tally_statistics` sums the same rows for the public
results pages (openresults), per month, unit, category and kind.
"""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Value
from django.db.models.functions import Floor
from django.utils import timezone

from brobygget.dialog.models import Case, CaseTally, Category, Kind
from brobygget.dialog.selectors import case_scope
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import UnitOption, Visibility

MONTHS = 12


@dataclass
class Figures:
    received: int = 0
    answered: int = 0
    answered_in_time: int = 0
    resolved_yes: int = 0
    resolved_no: int = 0
    median_days: float | None = None

    @property
    def share_in_time(self) -> int | None:
        """Whole percent of the answered cases that were answered within the promise; None when none were answered."""
        if not self.answered:
            return None
        return round(100 * self.answered_in_time / self.answered)

    def add(self, other: "Figures") -> None:
        self.received += other.received
        self.answered += other.answered
        self.answered_in_time += other.answered_in_time
        self.resolved_yes += other.resolved_yes
        self.resolved_no += other.resolved_no


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    figures: Figures


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    name: str
    figures: Figures


@dataclass
class Statistics:
    start: datetime.date
    end: datetime.date
    months: list[MonthRow]
    units: list[UnitRow]
    total: Figures
    visible: bool = True
    unit: Unit | UnitOption | None = field(default=None)


def month_starts(today: datetime.date, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def median(counts: dict[int, int]) -> float | None:
    """The median of values given as {value: how many times}; the mean of the two middle values for an even count."""
    total = sum(counts.values())
    if not total:
        return None
    middle = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < len(middle) and middle[len(found)] < seen:
            found.append(value)
    return (found[0] + found[1]) / 2


def case_statistics(
    *,
    person: Person | None,
    unit: Unit | UnitOption | None,
    today: datetime.date,
    visibility: Visibility | None = None,
) -> Statistics:
    """The figures of the cases the person may see (in `unit` and below, when given), received in the last months.
    `visibility`, when the page has read it already, saves reading it again."""
    months = month_starts(today)
    start = months[0]
    scope = case_scope(person=person, visibility=visibility)
    if scope is None:
        return Statistics(start, today, [MonthRow(m, Figures()) for m in months], [], Figures(), visible=False)
    # The case scope filters on municipality and unit, which a tally row has as a case does.
    tallies = CaseTally.objects.filter(scope, month__gte=start, month__lte=months[-1])
    if unit is not None:
        tallies = tallies.filter(unit__path__below=unit.path)

    by_month = {month: Figures() for month in months}
    by_unit: dict[int, Figures] = {}
    names: dict[int, str] = {}
    # The answer times are added up under their JSON keys ("2"), made numbers once at the end.
    days_by_month: dict[datetime.date, dict[str, int]] = {month: defaultdict(int) for month in months}
    days_by_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    columns = ["unit_id", "unit__name", "month", "received", "answered", "in_time", "resolved_yes", "resolved_no"]
    rows = tallies.values_list(*columns, "answer_days").order_by()
    for unit_id, name, month, received, answered, in_time, yes, no, answer_days in rows:
        if not received:
            continue  # every case has moved on from this row
        figures = Figures(received, answered, in_time, yes, no)
        by_month[month].add(figures)
        if unit_id in by_unit:
            by_unit[unit_id].add(figures)
        else:
            by_unit[unit_id], names[unit_id] = figures, name
        month_days, unit_days = days_by_month[month], days_by_unit[unit_id]
        for days, n in answer_days.items():
            month_days[days] += n
            unit_days[days] += n

    days_total: dict[int, int] = defaultdict(int)
    month_rows = []
    for month, figures in by_month.items():
        counts = _numbers(days_by_month[month])
        figures.median_days = median(counts)
        for days, n in counts.items():
            days_total[days] += n
        month_rows.append(MonthRow(month, figures))
    total = Figures(median_days=median(days_total))
    for month_row in month_rows:
        total.add(month_row.figures)
    unit_rows = []
    for unit_id, figures in by_unit.items():
        figures.median_days = median(_numbers(days_by_unit[unit_id]))
        unit_rows.append(UnitRow(unit_id, names[unit_id], figures))
    unit_rows.sort(key=lambda row: (row.name, row.unit_id))
    return Statistics(start, today, month_rows, unit_rows, total, unit=unit)


def case_statistics_kept(
    *, person: Person | None, unit: Unit | UnitOption | None, today: datetime.date, visibility: Visibility | None
) -> Statistics:
    """`case_statistics`, kept in Django's cache for settings.STATISTICS_CACHE_SECONDS (0: read every time) under a
    key that names all it depends on: the municipality, the units the person sees, the unit chosen and the day.
    The rollup holds a row per unit, category, kind and month (some 1,600 rows a year at size M, each with its
    answer times), so adding them up costs a registrar's page about 15 ms; figures for following up are as good a
    minute later, and the page says so. Everyone who sees the same units shares one entry."""
    seconds = settings.STATISTICS_CACHE_SECONDS
    if seconds <= 0 or visibility is None:
        return case_statistics(person=person, unit=unit, today=today, visibility=visibility)
    seen = "all" if visibility.everything else hashlib.sha256("|".join(visibility.paths).encode()).hexdigest()[:24]
    key = f"case-statistics:{visibility.municipality_id}:{seen}:{unit.path if unit else ''}:{today.isoformat()}"
    kept = cache.get(key)
    if kept is None:
        kept = case_statistics(person=person, unit=unit, today=today, visibility=visibility)
        cache.set(key, kept, seconds)
    assert isinstance(kept, Statistics)
    return kept


def _numbers(counts: dict[str, int]) -> dict[int, int]:
    return {int(days): n for days, n in counts.items() if n}


@dataclass(frozen=True)
class FiguresRow:
    """The figures of one month, unit, category or kind (`key`: the month, the id, the kind's value)."""

    key: int | str | datetime.date
    name: str
    figures: Figures


@dataclass
class TallyStatistics:
    """Sums over the rollup for pages that show only sums (the public results pages)."""

    months: list[FiguresRow]  # every month asked for, oldest first, also those without cases
    units: list[FiguresRow]  # the units directly below the unit asked for (or the top units), each with those below
    categories: list[FiguresRow]
    kinds: list[FiguresRow]  # in the order of `Kind`
    received_by_kind_month: dict[tuple[str, datetime.date], int]
    total: Figures


class _Sum:
    """Figures and answer times added up over rows; the median made once at the end."""

    def __init__(self) -> None:
        self.figures = Figures()
        self.days: dict[int, int] = defaultdict(int)

    def add(self, figures: Figures, answer_days: dict[int, int]) -> None:
        self.figures.add(figures)
        days = self.days
        for value, n in answer_days.items():
            days[value] += n

    def done(self) -> Figures:
        self.figures.median_days = median({days: n for days, n in self.days.items() if n})
        return self.figures


def tally_statistics(
    *,
    municipality_id: int,
    months: list[datetime.date],
    unit_path: str | None = None,
    category_id: int | None = None,
) -> TallyStatistics:
    """Every case of the municipality received in `months` (first days of months, oldest first), in the unit at
    `unit_path` and below and of `category_id` when given, summed per month, unit, category and kind by the
    definitions above, from the rollup: one query for the rows, one for the names of the units they are summed
    under, whatever the number of cases. Unscoped: only for pages that show sums and no case."""
    tallies = CaseTally.objects.filter(municipality_id=municipality_id, month__gte=months[0], month__lte=months[-1])
    if unit_path is not None:
        tallies = tallies.filter(unit__path__below=unit_path)
    if category_id is not None:
        tallies = tallies.filter(category_id=category_id)
    columns = ["unit__path", "category_id", "category__name", "kind", "month", "received", "answered", "in_time"]
    rows = tallies.values_list(*columns, "resolved_yes", "resolved_no", "answer_days").order_by()

    by_month = {month: _Sum() for month in months}
    by_unit: dict[int, _Sum] = defaultdict(_Sum)
    by_category: dict[int, _Sum] = defaultdict(_Sum)
    category_names: dict[int, str] = {}
    by_kind = {kind: _Sum() for kind in Kind.values}
    by_kind_month: dict[tuple[str, datetime.date], int] = defaultdict(int)
    total = _Sum()
    # Rows are summed under the unit directly below the one asked for (its own cases under itself).
    depth = unit_path.count("/") - 1 if unit_path is not None else 1
    for path, category, category_name, kind, month, received, answered, in_time, yes, no, answer_days in rows:
        if not received:
            continue  # every case has moved on from this row
        ids = path.strip("/").split("/")
        under = int(ids[min(depth, len(ids) - 1)])
        figures = Figures(received, answered, in_time, yes, no)
        days = {int(value): n for value, n in answer_days.items()}  # the JSON's keys made numbers once per row
        for one in (by_month[month], by_unit[under], by_category[category], by_kind[kind], total):
            one.add(figures, days)
        category_names[category] = category_name
        by_kind_month[(kind, month)] += received

    unit_names = dict(Unit.objects.filter(pk__in=list(by_unit)).values_list("pk", "name")) if by_unit else {}
    labels = dict(Kind.choices)
    return TallyStatistics(
        months=[FiguresRow(month, "", one.done()) for month, one in by_month.items()],
        units=sorted(
            (FiguresRow(pk, unit_names.get(pk, ""), one.done()) for pk, one in by_unit.items()),
            key=lambda row: (row.name, row.key),
        ),
        categories=sorted(
            (FiguresRow(pk, category_names[pk], one.done()) for pk, one in by_category.items()),
            key=lambda row: (row.name, row.key),
        ),
        kinds=[FiguresRow(kind, str(labels[kind]), one.done()) for kind, one in by_kind.items()],
        received_by_kind_month=dict(by_kind_month),
        total=total.done(),
    )


# The map's cells: 0.009° of latitude is 1 km everywhere, 0.018° of longitude is 1 km at 60° N (0.9–1.1 km in the
# south and middle of Sweden, 0.7 km at the very top): coarse enough that a cell holds a neighbourhood, not a house.
CELL_LATITUDE = Decimal("0.009")
CELL_LONGITUDE = Decimal("0.018")


@dataclass(frozen=True)
class MapCell:
    """A cell of the fault-report map: its south-west corner's indexes (× CELL_*) and how many reports fell in it."""

    row: int
    column: int
    count: int

    @property
    def south(self) -> float:
        return float(self.row * CELL_LATITUDE)

    @property
    def west(self) -> float:
        return float(self.column * CELL_LONGITUDE)


def fault_report_cells(
    *,
    municipality_id: int,
    start: datetime.date,
    end: datetime.date,
    unit_path: str | None = None,
    category_id: int | None = None,
) -> list[MapCell]:
    """How many fault reports with a place came in from `start` to `end` (local days, inclusive) in each cell of
    about 1 km, in the unit at `unit_path` and below and of `category_id` when given (counted in the database: one
    query, no place leaves it finer than a cell)."""
    zone = timezone.get_default_timezone()
    since = datetime.datetime.combine(start, datetime.time(), zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), zone)
    cases = Case.objects.filter(
        municipality_id=municipality_id,
        kind=Kind.FAULT_REPORT,
        submitted_at__gte=since,
        submitted_at__lt=until,
        latitude__isnull=False,
        longitude__isnull=False,
    )
    if unit_path is not None:
        cases = cases.filter(unit__path__below=unit_path)
    if category_id is not None:
        cases = cases.filter(category_id=category_id)
    rows = (
        cases.annotate(
            cell_row=Floor(F("latitude") / Value(CELL_LATITUDE)),
            cell_column=Floor(F("longitude") / Value(CELL_LONGITUDE)),
        )
        .values_list("cell_row", "cell_column")
        .annotate(count=Count("*"))  # not the id: the places are counted from their index (models, case_places)
        .order_by("cell_row", "cell_column")
    )
    return [MapCell(int(row), int(column), count) for row, column, count in rows]


def statistics_choices(*, municipality_id: int) -> tuple[list[tuple[int, str, int, str]], list[tuple[int, str]]]:
    """The units (id, name, depth, path; in tree order) and categories (id, name; retired ones too, their cases
    still count) the public figures can be filtered by: two queries."""
    units = [
        (pk, name, path.count("/") - 2, path)
        for pk, name, path in Unit.objects.filter(municipality_id=municipality_id)
        .order_by("path")
        .values_list("pk", "name", "path")
    ]
    categories = list(
        Category.objects.filter(municipality_id=municipality_id).order_by("name", "pk").values_list("pk", "name")
    )
    return units, categories
