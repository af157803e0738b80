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
per unit and month, with the answer times as counts for the medians, so a page reads at most units × 12 rows in
one query, whatever the number of cases.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

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


def _numbers(counts: dict[str, int]) -> dict[int, int]:
    return {int(days): n for days, n in counts.items() if n}
