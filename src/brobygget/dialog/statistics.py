"""How the dialog keeps its promises, per unit and month of the last twelve: received, answered, answered within
the promise, median working days to answer, and the residents' "Blev det löst?".

Definitions (docs/staff.md says the same in Swedish):

* A case counts in the month it was *received* (local time), in the unit that has it now.
* *Answered*: the case has a first answer (`answered_at`). A case marked "not for us" is not counted as answered.
* *Answered within the promise*: the local date of the first answer is on or before the answer-by date.
* *Median working days to answer*: over the answered cases, the Swedish working days after the day the case
  came in up to and including the day of the first answer (`core.calendar.working_days_between`); with an even
  number of cases, the mean of the two middle values.

The page does not read the cases. It reads the rollup `CaseTally` (kept by the services, `dialog.tally`): a page
sums at most units × 12 months × the spread of answer times, whatever the number of cases, in three grouped
queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from brobygget.dialog.models import CaseTally
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

    by_unit_month: dict[tuple[int, datetime.date], Figures] = {}
    names: dict[int, str] = {}
    grouped = (
        tallies.values("unit_id", "unit__name", "month")
        .annotate(
            received=Sum("cases"),
            answered_cases=Sum("cases", filter=Q(answered=True)),
            answered_in_time=Sum("in_time"),
            yes=Sum("resolved_yes"),
            no=Sum("resolved_no"),
        )
        .order_by()
    )
    for row in grouped:
        if not row["received"]:
            continue  # every case has moved on from these rows
        names[row["unit_id"]] = row["unit__name"]
        by_unit_month[(row["unit_id"], row["month"])] = Figures(
            received=row["received"],
            answered=row["answered_cases"] or 0,
            answered_in_time=row["answered_in_time"],
            resolved_yes=row["yes"],
            resolved_no=row["no"],
        )

    answered = tallies.filter(answered=True, cases__gt=0)
    days_by_month: dict[datetime.date, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    days_total: dict[int, int] = defaultdict(int)
    for row in answered.values("month", "working_days").annotate(n=Sum("cases")).order_by():
        days_by_month[row["month"]][row["working_days"]] += row["n"]
        days_total[row["working_days"]] += row["n"]
    days_by_unit: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for row in answered.values("unit_id", "working_days").annotate(n=Sum("cases")).order_by():
        days_by_unit[row["unit_id"]][row["working_days"]] += row["n"]

    month_rows = []
    for month in months:
        figures = Figures(median_days=median(days_by_month.get(month, {})))
        for (_unit_id, row_month), unit_figures in by_unit_month.items():
            if row_month == month:
                figures.add(unit_figures)
        month_rows.append(MonthRow(month, figures))

    unit_figures_total: dict[int, Figures] = defaultdict(Figures)
    for (unit_id, _month), unit_figures in by_unit_month.items():
        unit_figures_total[unit_id].add(unit_figures)
    unit_rows = []
    for unit_id, figures in unit_figures_total.items():
        figures.median_days = median(days_by_unit.get(unit_id, {}))
        unit_rows.append(UnitRow(unit_id, names[unit_id], figures))
    unit_rows.sort(key=lambda row: (row.name, row.unit_id))

    total = Figures(median_days=median(days_total))
    for month_row in month_rows:
        total.add(month_row.figures)
    return Statistics(start, today, month_rows, unit_rows, total, unit=unit)
