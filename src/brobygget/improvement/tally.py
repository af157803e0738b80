"""The rollup behind a team's figures (`ImprovementTally`), kept in the transaction of every write that changes it.

An improvement counts as raised in its unit's row of the local year it was raised, as completed (and completed with a
measured effect) in the row of the year it was finished; every move out of a stage adds the stay in that stage (whole
days of 24 hours from the move that brought it there, or from when it was raised) to the row of the year of the
move. The definitions are in `improvement.figures`. The services that do these (`improvement_raise`, and through it
a deviation triaged into an improvement; `improvement_spread`; `improvement_move`, `improvement_finish`) call
`tally_raised`, `tally_moved` and `tally_finished`, which lock the row concerned. An improvement's unit, the time it
was raised, its moves and the answers of a finished round never change afterwards. Migration
`improvement.0010_improvement_tally` and the scale generator count existing rows with `TallyCounter`.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from brobygget.improvement.models import ImprovementTally, Outcome, StageMove


class TallyKey(NamedTuple):
    unit_id: int
    year: int


def local_year(moment: datetime.datetime) -> int:
    return timezone.localtime(moment, timezone.get_default_timezone()).year


def whole_days(start: datetime.datetime, end: datetime.datetime) -> int:
    """Whole days of 24 hours from `start` to `end`, rounded down."""
    return (end - start) // datetime.timedelta(days=1)


def with_effect(outcome: str, result: str) -> bool:
    """Completed with a measured effect: adopted (or adopted with changes) with an answer to Study's question."""
    return outcome in (Outcome.ADOPTED, Outcome.ADAPTED) and bool(result)


@dataclass
class Counts:
    """What a row holds (or what changes in it)."""

    raised: int = 0
    completed: int = 0
    completed_with_effect: int = 0
    stays: dict[str, Counter[int]] = field(default_factory=dict)

    def stay(self, stage: str, days: int, sign: int = 1) -> None:
        self.stays.setdefault(stage, Counter())[days] += sign

    def merge(self, other: "Counts") -> None:
        self.raised += other.raised
        self.completed += other.completed
        self.completed_with_effect += other.completed_with_effect
        for stage, days in other.stays.items():
            self.stays.setdefault(stage, Counter()).update(days)

    def values(self) -> dict[str, Any]:
        """The row's columns; `stays` as JSON keeps string keys, and only the lengths some stay had."""
        stays = {
            stage: {str(d): n for d, n in sorted(days.items()) if n}
            for stage, days in sorted(self.stays.items())
            if any(days.values())
        }
        return {
            "raised": self.raised,
            "completed": self.completed,
            "completed_with_effect": self.completed_with_effect,
            "stays": stays,
        }

    @classmethod
    def of_row(cls, row: Any) -> "Counts":
        stays = {stage: Counter({int(d): n for d, n in days.items()}) for stage, days in row.stays.items()}
        return cls(row.raised, row.completed, row.completed_with_effect, stays)


class TallyCounter:
    """Counts improvements and moves into rows in memory: for filling the rollup from existing rows (migration,
    scale data)."""

    def __init__(self) -> None:
        self.counts: dict[TallyKey, Counts] = {}

    def _row(self, unit_id: int, moment: datetime.datetime) -> Counts:
        key = TallyKey(unit_id, local_year(moment))
        counts = self.counts.get(key)
        if counts is None:
            counts = self.counts[key] = Counts()
        return counts

    def raised(self, unit_id: int, created_at: datetime.datetime) -> None:
        self._row(unit_id, created_at).raised += 1

    def finished(self, unit_id: int, finished_at: datetime.datetime, outcome: str, result: str) -> None:
        counts = self._row(unit_id, finished_at)
        counts.completed += 1
        counts.completed_with_effect += with_effect(outcome, result)

    def moved(self, unit_id: int, from_stage: str, arrived: datetime.datetime, at: datetime.datetime) -> None:
        self._row(unit_id, at).stay(from_stage, whole_days(arrived, at))

    def rows(self, model: type[models.Model] = ImprovementTally) -> list[Any]:
        """Unsaved rows of `model` (ImprovementTally, or its historical model in a migration), one per key."""
        return [model(**key._asdict(), **counts.values()) for key, counts in sorted(self.counts.items())]


def tally_count(improvements: Any, moves: Any, results: Any) -> TallyCounter:
    """Count existing rows: `improvements` yields (id, unit_id, created_at, finished_at, outcome, round_number),
    `moves` yields (improvement_id, from_stage, at) in the order of each improvement's moves (by time, then id),
    `results` yields (improvement_id, round number) of the rounds with an answer to Study's question."""
    counter = TallyCounter()
    answered = set(results)
    created: dict[int, tuple[int, datetime.datetime]] = {}
    for pk, unit_id, created_at, finished_at, outcome, round_number in improvements:
        created[pk] = (unit_id, created_at)
        counter.raised(unit_id, created_at)
        if finished_at is not None:
            counter.finished(unit_id, finished_at, outcome, "yes" if (pk, round_number) in answered else "")
    last: dict[int, datetime.datetime] = {}
    for improvement_id, from_stage, at in moves:
        unit_id, created_at = created[improvement_id]
        counter.moved(unit_id, from_stage, last.get(improvement_id, created_at), at)
        last[improvement_id] = at
    return counter


def _change(unit_id: int, moment: datetime.datetime, change: Counts) -> None:
    """Add `change` to the row of the unit and the local year of `moment`, under a row lock; a row that does not
    exist yet is created in a savepoint (when another transaction creates it first, the unique constraint says so,
    and this one locks and updates that row). Call inside the transaction of the write."""
    key = TallyKey(unit_id, local_year(moment))
    rows = ImprovementTally.objects.select_for_update().filter(unit_id=key.unit_id, year=key.year)
    row = rows.first()
    if row is None:
        try:
            with transaction.atomic():
                ImprovementTally.objects.create(**key._asdict(), **change.values())
            return
        except IntegrityError:
            row = rows.get()
    counts = Counts.of_row(row)
    counts.merge(change)
    values = counts.values()
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))


def tally_raised(*, unit_id: int, created_at: datetime.datetime) -> None:
    """An improvement was raised (or spread to) the unit."""
    _change(unit_id, created_at, Counts(raised=1))


def tally_moved(
    *, improvement_id: int, unit_id: int, created_at: datetime.datetime, from_stage: str, at: datetime.datetime
) -> None:
    """An improvement is moving out of `from_stage` at `at`: call before the move's row is written (the stay began
    at the latest move written, or when the improvement was raised)."""
    arrived = (
        StageMove.objects.filter(improvement_id=improvement_id)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    change = Counts()
    change.stay(from_stage, whole_days(arrived or created_at, at))
    _change(unit_id, at, change)


def tally_finished(*, unit_id: int, finished_at: datetime.datetime, outcome: str, result: str) -> None:
    """An improvement was finished with `outcome`; `result` is the answer to Study's question in its last round."""
    _change(unit_id, finished_at, Counts(completed=1, completed_with_effect=int(with_effect(outcome, result))))
