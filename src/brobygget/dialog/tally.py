"""The rollup behind the statistics pages (`CaseTally`), kept in the transaction of every write that changes it.

A case counts in exactly one row: the unit that has it now, its category and kind, and the local month it came in.
The row holds how many cases, how many were answered, how many within the promise, the residents' yes and no, and
how many answered cases took each number of working days (`answer_days`, for the medians; the definitions are in
`dialog.statistics`). The services that change any of these (`feedback_submit`, `case_answer`, `case_assign`,
`case_resolved_set`, `case_recategorise`) take the case's `Tally` before and after the change and call `tally_move`,
which locks the row(s) concerned. Migration `dialog.0009_case_tally_category_kind` and the scale generator count
existing cases with `TallyCounter`. Nothing else writes a case's unit, category, answer, dates or "Blev det löst?"
(a case's kind never changes).
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from brobygget.core.calendar import working_days_between
from brobygget.dialog.models import Case, CaseTally


class TallyKey(NamedTuple):
    """The row of `CaseTally` a case counts in."""

    municipality_id: int
    unit_id: int
    category_id: int
    kind: str
    month: datetime.date


class Tally(NamedTuple):
    """What one case adds to its row."""

    key: TallyKey
    working_days: int | None  # to the first answer; None when not answered
    in_time: bool
    resolved: bool | None


def tally_of_values(
    *,
    municipality_id: int,
    unit_id: int,
    category_id: int,
    kind: str,
    submitted_at: datetime.datetime,
    answered_at: datetime.datetime | None,
    answer_due: datetime.date,
    resolved: bool | None,
    days_between: Callable[[datetime.date, datetime.date], int] = working_days_between,
) -> Tally:
    """The row a case with these values counts in, by the definitions (local dates in the site's zone).
    `days_between` is `working_days_between`, or `working_days_remembered()` when counting many cases."""
    zone = timezone.get_default_timezone()
    received_on = timezone.localtime(submitted_at, zone).date()
    key = TallyKey(municipality_id, unit_id, category_id, kind, received_on.replace(day=1))
    if answered_at is None:
        return Tally(key, None, False, resolved)
    answered_on = timezone.localtime(answered_at, zone).date()
    return Tally(key, days_between(received_on, answered_on), answered_on <= answer_due, resolved)


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
        category_id=case.category_id,
        kind=case.kind,
        submitted_at=case.submitted_at,
        answered_at=case.answered_at,
        answer_due=case.answer_due,
        resolved=case.resolved,
    )


@dataclass
class Counts:
    """What a row holds (or what changes in it)."""

    received: int = 0
    answered: int = 0
    in_time: int = 0
    resolved_yes: int = 0
    resolved_no: int = 0
    answer_days: Counter[int] = field(default_factory=Counter)

    def add(self, tally: Tally, sign: int = 1) -> None:
        self.received += sign
        self.in_time += sign * tally.in_time
        self.resolved_yes += sign * (tally.resolved is True)
        self.resolved_no += sign * (tally.resolved is False)
        if tally.working_days is not None:
            self.answered += sign
            self.answer_days[tally.working_days] += sign

    def values(self) -> dict[str, Any]:
        """The row's columns; `answer_days` as JSON keeps string keys, and only the days some case took."""
        days = {str(d): n for d, n in sorted(self.answer_days.items()) if n}
        return {
            "received": self.received,
            "answered": self.answered,
            "in_time": self.in_time,
            "resolved_yes": self.resolved_yes,
            "resolved_no": self.resolved_no,
            "answer_days": days,
        }

    def changes(self) -> bool:
        return any((self.received, self.answered, self.in_time, self.resolved_yes, self.resolved_no)) or any(
            self.answer_days.values()
        )


class TallyCounter:
    """Counts cases into rows in memory: for filling the rollup from existing cases (migration, scale data)."""

    def __init__(self) -> None:
        self.counts: dict[TallyKey, Counts] = {}

    def add(self, tally: Tally, sign: int = 1) -> None:
        counts = self.counts.get(tally.key)
        if counts is None:
            counts = self.counts[tally.key] = Counts()
        counts.add(tally, sign)

    def rows(self, model: type[models.Model] = CaseTally) -> list[Any]:
        """Unsaved rows of `model` (CaseTally, or its historical model in a migration), one per key."""
        return [
            model(**key._asdict(), **counts.values()) for key, counts in sorted(self.counts.items()) if counts.received
        ]


def tally_move(before: Tally | None, after: Tally | None) -> None:
    """Move a case's count from the row it counted in (`before`; None for a new case) to the row it counts in now.

    Call inside the transaction that changes the case. Each row concerned is read under a row lock and written
    back, so two transactions counting into the same row wait for each other; a row that does not exist yet is
    created in a savepoint (when another transaction creates it first, the unique constraint says so, and this
    one locks and updates that row)."""
    if before == after:
        return
    counter = TallyCounter()
    if before is not None:
        counter.add(before, -1)
    if after is not None:
        counter.add(after, 1)
    for key, change in sorted(counter.counts.items()):  # in key order: two moves lock rows in the same order
        if change.changes():
            _tally_change(key, change)


def _tally_change(key: TallyKey, change: Counts) -> None:
    rows = CaseTally.objects.select_for_update().filter(
        unit_id=key.unit_id, category_id=key.category_id, kind=key.kind, month=key.month
    )
    row = rows.first()
    if row is None and change.received < 0:
        return  # a row to take from is always there (made when the case was counted into it)
    if row is None:
        try:
            with transaction.atomic():
                CaseTally.objects.create(**key._asdict(), **change.values())
            return
        except IntegrityError:
            row = rows.get()
    counts = Counts(
        row.received,
        row.answered,
        row.in_time,
        row.resolved_yes,
        row.resolved_no,
        Counter({int(days): n for days, n in row.answer_days.items()}),
    )
    counts.received += change.received
    counts.answered += change.answered
    counts.in_time += change.in_time
    counts.resolved_yes += change.resolved_yes
    counts.resolved_no += change.resolved_no
    counts.answer_days.update(change.answer_days)
    for name, value in counts.values().items():
        setattr(row, name, value)
    row.save(update_fields=list(counts.values()))
