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

Everything is read from the rollup the services keep (`ImprovementTally`, `improvement.tally`): rows per unit and
year, the stays as counts per length in whole days. A fixed number of queries, reading a few rows per unit of the
subtree and year whatever the number of improvements and moves."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from brobygget.improvement.models import STAGES, ImprovementTally, Stage
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


def _people(unit: Unit, children: list[tuple[int, str, str]]) -> dict[str, int]:
    """Today's active people of the unit's subtree ("total"), of the unit itself ("own") and of each child's subtree
    ("c<id>"), each person once. One query; for a unit with none below it, of its own memberships alone."""
    if not children:
        own = Membership.objects.filter(unit_id=unit.pk, person__is_active=True).aggregate(
            total=Count("person_id", distinct=True)
        )
        return {"total": own["total"], "own": own["total"]}
    distinct = {
        "total": Count("person_id", distinct=True),
        "own": Count("person_id", distinct=True, filter=Q(unit_id=unit.pk)),
    }
    for pk, _name, path in children:
        distinct[f"c{pk}"] = Count("person_id", distinct=True, filter=Q(unit__path__below=path))
    return Membership.objects.filter(unit__path__below=unit.path, person__is_active=True).aggregate(**distinct)


def _groups(unit: Unit, subtree: Sequence[tuple[int, int | None, str, str]]) -> dict[int, str]:
    """The row of the per-unit table each unit of the subtree counts in: "own" for the unit, "c<id>" for the child
    whose subtree it is in."""
    children = {pk: f"c{pk}" for pk, parent, _name, _path in subtree if parent == unit.pk}
    groups = {unit.pk: "own", **children}
    by_path = {path: children[pk] for pk, _parent, _name, path in subtree if pk in children}
    for pk, _parent, _name, path in subtree:
        if pk not in groups:
            groups[pk] = next(group for prefix, group in by_path.items() if path.startswith(prefix))
    return groups


def _counts(unit_ids: list[int], year: int) -> dict[tuple[int, int], tuple[int, int, int]]:
    """(raised, completed, completed with a measured effect) per unit and year, from the rollup. One query."""
    rows = ImprovementTally.objects.filter(unit_id__in=unit_ids, year__gte=year - YEARS_SHOWN + 1, year__lte=year)
    return {
        (unit_id, one): (raised, done, measured)
        for unit_id, one, raised, done, measured in rows.order_by().values_list(
            "unit_id", "year", "raised", "completed", "completed_with_effect"
        )
    }


def _stages(unit_ids: list[int], year: int) -> list[StageRow]:
    """The median days of the stays in each stage that ended in the year, in the unit's subtree, from the rollup's
    counts of stays per length in whole days. One query."""
    stays: dict[str, dict[int, int]] = {stage: {} for stage in STAY_STAGES}
    for found in ImprovementTally.objects.filter(unit_id__in=unit_ids, year=year).values_list("stays", flat=True):
        for stage, days in found.items():
            if stage in stays:
                for length, n in days.items():
                    stays[stage][int(length)] = stays[stage].get(int(length), 0) + n
    labels = stage_labels()
    return [StageRow(stage, labels[stage], sum(stays[stage].values()), median(stays[stage])) for stage in STAY_STAGES]


def _made(found: list[int], people: int) -> Counts:
    raised, done, measured = found
    return Counts(raised=raised, done=done, measured=measured, people=people)


def unit_figures(*, unit: Unit, year: int) -> UnitFigures:
    """The figures of `unit` and the units below it for `year` (and the years before it, for the per-year table).
    Four queries, whatever the number of improvements and moves; the rows read grow with units × years only."""
    below = Unit.objects.filter(path__below=unit.path).order_by("name", "pk")
    subtree = list(below.values_list("pk", "parent_id", "name", "path"))
    unit_ids = [pk for pk, _parent, _name, _path in subtree]
    children = [(pk, name, path) for pk, parent, name, path in subtree if parent == unit.pk]
    people = _people(unit, children)
    groups = _groups(unit, subtree)
    first = year - YEARS_SHOWN + 1
    per_year = {one: [0, 0, 0] for one in range(first, year + 1)}
    per_group = {key: [0, 0, 0] for key in ["own", *(f"c{pk}" for pk, _name, _path in children)]}
    for (unit_id, one), found in _counts(unit_ids, year).items():
        for totals in [per_year[one], *([per_group[groups[unit_id]]] if one == year else [])]:
            for i, n in enumerate(found):
                totals[i] += n
    total_people = people["total"] or 0
    years = [YearRow(one, _made(per_year[one], total_people)) for one in range(first, year + 1)]
    units = []
    if children:
        units = [UnitRow(None, unit.name, _made(per_group["own"], people["own"] or 0))] + [
            UnitRow(pk, name, _made(per_group[f"c{pk}"], people[f"c{pk}"] or 0)) for pk, name, _path in children
        ]
    return UnitFigures(unit=unit, year=year, years=years, stages=_stages(unit_ids, year), units=units)
