"""The rollup behind the statistics page (`CaseTally`), kept in the transaction of every write that changes it.

A case counts in exactly one row: the unit that has it now, the local month it came in, and whether it has had a
first answer and after how many working days; the row holds how many cases, how many were answered within the
promise, and the residents' yes and no (the definitions are in `dialog.statistics`). The services that change
any of these (`feedback_submit`, `case_answer`, `case_assign`, `case_resolved_set`) take the case's `Tally` before
and after the change and call `tally_move`. Migration `dialog.0004_case_tally` and the scale generator count
existing cases with `TallyCounter`. Nothing else writes a case's unit, answer, dates or "Blev det löst?".
"""

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from brobygget.core.calendar import working_days_between
from brobygget.dialog.models import Case, CaseTally


class TallyKey(NamedTuple):
    """The row of `CaseTally` a case counts in."""

    municipality_id: int
    unit_id: int
    month: datetime.date
    answered: bool
    working_days: int


class Tally(NamedTuple):
    """What one case adds to its row: one case, and whether it was answered in time and what the resident said."""

    key: TallyKey
    in_time: bool
    resolved: bool | None


def tally_of_values(
    *,
    municipality_id: int,
    unit_id: int,
    submitted_at: datetime.datetime,
    answered_at: datetime.datetime | None,
    answer_due: datetime.date,
    resolved: bool | None,
    days_between: Callable[[datetime.date, datetime.date], int] = working_days_between,
) -> Tally:
    """The row a case with these values counts in, by the definitions above (local dates in the site's zone).
    `days_between` is `working_days_between`, or `working_days_remembered()` when counting many cases."""
    zone = timezone.get_default_timezone()
    received_on = timezone.localtime(submitted_at, zone).date()
    month = received_on.replace(day=1)
    if answered_at is None:
        return Tally(TallyKey(municipality_id, unit_id, month, False, 0), False, resolved)
    answered_on = timezone.localtime(answered_at, zone).date()
    days = days_between(received_on, answered_on)
    return Tally(TallyKey(municipality_id, unit_id, month, True, days), answered_on <= answer_due, resolved)


def working_days_remembered() -> Callable[[datetime.date, datetime.date], int]:
    """`working_days_between`, remembered per pair of days for as long as the caller keeps it: a million cases
    fall on a few thousand pairs, and counting the days of one pair takes some 90 µs."""
    known: dict[tuple[datetime.date, datetime.date], int] = {}

    def days_between(start: datetime.date, end: datetime.date) -> int:
        found = known.get((start, end))
        if found is None:
            found = known[(start, end)] = working_days_between(start, end)
        return found

    return days_between


def tally_of(case: Case) -> Tally:
    """The row `case` counts in as it is now (in memory)."""
    assert case.unit_id is not None and case.municipality_id is not None
    return tally_of_values(
        municipality_id=case.municipality_id,
        unit_id=case.unit_id,
        submitted_at=case.submitted_at,
        answered_at=case.answered_at,
        answer_due=case.answer_due,
        resolved=case.resolved,
    )


class TallyCounter:
    """Counts cases into rows in memory: for filling the rollup from existing cases (migration, scale data)."""

    def __init__(self) -> None:
        self.counts: dict[TallyKey, list[int]] = defaultdict(lambda: [0, 0, 0, 0])

    def add(self, tally: Tally, sign: int = 1) -> None:
        counts = self.counts[tally.key]
        counts[0] += sign
        counts[1] += sign * tally.in_time
        counts[2] += sign * (tally.resolved is True)
        counts[3] += sign * (tally.resolved is False)

    def rows(self, model: type[models.Model] = CaseTally) -> list[Any]:
        """Unsaved rows of `model` (CaseTally, or its historical model in a migration), one per key with cases."""
        return [
            model(
                municipality_id=key.municipality_id,
                unit_id=key.unit_id,
                month=key.month,
                answered=key.answered,
                working_days=key.working_days,
                cases=counts[0],
                in_time=counts[1],
                resolved_yes=counts[2],
                resolved_no=counts[3],
            )
            for key, counts in sorted(self.counts.items())
            if any(counts)
        ]


def tally_move(before: Tally | None, after: Tally | None) -> None:
    """Move a case's count from the row it counted in (`before`; None for a new case) to the row it counts in now.

    Call inside the transaction that changes the case. Counts change with `F()` updates, so two transactions
    counting into the same row at once both count; a row that does not exist yet is created in a savepoint
    (when another transaction creates it first, the unique constraint says so and this one updates it)."""
    if before == after:
        return
    counter = TallyCounter()
    if before is not None:
        counter.add(before, -1)
    if after is not None:
        counter.add(after, 1)
    for key, (cases, in_time, yes, no) in counter.counts.items():
        if cases or in_time or yes or no:
            _tally_change(key, cases, in_time, yes, no)


def _tally_change(key: TallyKey, cases: int, in_time: int, yes: int, no: int) -> None:
    row = CaseTally.objects.filter(
        unit_id=key.unit_id, month=key.month, answered=key.answered, working_days=key.working_days
    )
    change = {
        "cases": F("cases") + cases,
        "in_time": F("in_time") + in_time,
        "resolved_yes": F("resolved_yes") + yes,
        "resolved_no": F("resolved_no") + no,
    }
    if row.update(**change) or min(cases, in_time, yes, no) < 0:
        return  # counted; a row to take from is always there (made when the case was counted into it)
    try:
        with transaction.atomic():
            CaseTally.objects.create(
                municipality_id=key.municipality_id,
                unit_id=key.unit_id,
                month=key.month,
                answered=key.answered,
                working_days=key.working_days,
                cases=cases,
                in_time=in_time,
                resolved_yes=yes,
                resolved_no=no,
            )
    except IntegrityError:
        row.update(**change)
