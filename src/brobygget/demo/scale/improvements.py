"""The improvement work of a scale plan: improvements on the boards of the units at the bottom of the tree, with
their rounds and every move, deviations in each state, and learnings (some anonymous); decided in plain Python from
the seed and written as plain rows, like the cases.

An improvement is decided as the services would have left it (improvement.services): raised in Idea with its first
round, moved one stage at a time by a person of its unit, each move onwards answering its stage's question on the
round (Plan → expectation, Do → actions, Study → result); from Act either a new round in Plan (the round's decision
"adapt") or Done with an outcome (adopted, adopted with changes, or ended without adoption with what was learned).
Its story is decided whole from the day it was raised and cut at today: what has not happened yet has not, so the
recent ones are still on the wheel, a few older ones stalled there (overdue), and most are done.

Deviations are as improvement.deviations leaves them: waiting for triage, or triaged by the unit's leader into a
learning (written then, by the leader, or anonymous, when the leader is not kept either), into an improvement
(raised then, by the leader) or closed with a reason. A learning links to an improvement of its unit, written after
it was done, to a deviation, or to nothing."""

import datetime
import importlib
import random
from bisect import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate, batched
from typing import Any, Final

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.demo.scale.plan import ScalePlan
from brobygget.demo.scale.rows import datetime_adapter, foreign_keys_checked_afterwards, next_id, rows_insert
from brobygget.demo.scale.sizes import BATCH_SIZE, DEVIATION_STATES, IMPROVEMENT_YEARS
from brobygget.demo.scale.words import (
    DECISIONS_ABANDON,
    DECISIONS_ADAPT,
    DECISIONS_ADOPT,
    DEVIATION_CLOSE_REASONS,
    DEVIATION_TEXTS,
    IMPROVEMENT_LESSONS,
    IMPROVEMENT_THEMES,
    LEARNING_THEMES,
    PLACES,
    ROUND_ACTIONS,
    ROUND_EXPECTATIONS,
    ROUND_RESULTS,
)
from brobygget.improvement.models import (
    Decision,
    Deviation,
    DeviationState,
    Improvement,
    ImprovementRound,
    ImprovementTally,
    Learning,
    Outcome,
    Stage,
    StageMove,
)
from brobygget.improvement.tally import TallyCounter
from brobygget.organisation.models import Person, Unit

# How long an improvement stays in a stage, in days on average (exponentially spread).
STAGE_MEAN_DAYS: Final = {Stage.IDEA: 30.0, Stage.PLAN: 14.0, Stage.DO: 30.0, Stage.STUDY: 14.0, Stage.ACT: 7.0}
ROUNDS: Final = (1, 2, 3)  # how many rounds of the wheel, and how often (per cent, cumulated)
ROUNDS_CUMULATED: Final = (70, 92, 100)
OUTCOMES: Final = (Outcome.ADOPTED.value, Outcome.ADAPTED.value, Outcome.ABANDONED.value)
OUTCOMES_CUMULATED: Final = (55, 80, 100)
STALLED: Final = 0.1  # stays much longer in one of its stages
BACK_TO_PLAN: Final = 0.05  # a round goes back from Do to Plan once
WITHOUT_DUE_DATE: Final = 0.15
ANONYMOUS: Final = 0.15
LINKED_TO_IMPROVEMENT: Final = 0.1  # of the learnings not from a deviation
OFFICE_HOURS: Final = (7, 17)  # when improvements are raised and learnings written (local time)


@dataclass(slots=True)
class PlannedRound:
    number: int
    created_at: datetime.datetime
    expectation: str = ""
    actions: str = ""
    result: str = ""
    decision: str = ""
    decision_text: str = ""


@dataclass(frozen=True, slots=True)
class PlannedMove:
    from_stage: str
    to_stage: str
    round: int  # the number of the round it was made in
    person: int  # person index in the plan
    at: datetime.datetime


@dataclass(slots=True)
class PlannedImprovement:
    """One improvement as the services would have left it today; people are indexes in the plan's people."""

    index: int  # 0-based, in the order they were raised: the id is the first id plus this
    unit: int
    theme: int  # in IMPROVEMENT_THEMES
    place: str
    owner: int
    created_by: int
    involved: list[int]
    created_at: datetime.datetime
    due_date: datetime.date | None
    from_deviation: bool
    stage: str = Stage.IDEA.value
    round_number: int = 1
    stage_changed_at: datetime.datetime | None = None
    outcome: str = ""
    lesson: str = ""
    finished_at: datetime.datetime | None = None
    rounds: list[PlannedRound] = field(default_factory=list)
    moves: list[PlannedMove] = field(default_factory=list)

    def texts(self) -> tuple[str, str, str, str, str, str]:
        """Title, problem, value for the resident, idea, measure and baseline."""
        theme = IMPROVEMENT_THEMES[self.theme]
        title, problem, value, idea, measure, baseline = (text.format(place=self.place) for text in theme)
        return title, problem, value, idea, measure, baseline


@dataclass(frozen=True, slots=True)
class PlannedDeviation:
    unit: int
    what_happened: str
    where: str
    happened_at: datetime.datetime
    reported_by: int
    reported_at: datetime.datetime
    state: str
    triaged_by: int | None = None
    triaged_at: datetime.datetime | None = None
    close_reason: str = ""
    improvement: int | None = None  # improvement index


@dataclass(frozen=True, slots=True)
class PlannedLearning:
    unit: int
    theme: int  # in LEARNING_THEMES
    place: str
    written_at: datetime.datetime
    author: int | None  # None: anonymous (the author is not kept at all)
    improvement: int | None = None  # improvement index
    deviation: int | None = None  # deviation index

    @property
    def anonymous(self) -> bool:
        return self.author is None

    def texts(self) -> tuple[str, str, str, str, str]:
        """Title, what happened, what we expected, what we learned, what we change."""
        theme = LEARNING_THEMES[self.theme]
        title, happened, expected, learned, change = (text.format(place=self.place) for text in theme)
        return title, happened, expected, learned, change


class ImprovementWork:
    """Decides the improvements (`improvements()`, in the order they were raised), then the deviations and the
    learnings, which refer to them. Deterministic for the plan and `now`; the three are read in that order."""

    def __init__(self, plan: ScalePlan, *, now: datetime.datetime) -> None:
        spec = plan.spec
        self.plan = plan
        self.rng = random.Random(f"{spec.label}-{plan.seed}-improvements")
        self.zone = timezone.get_current_timezone()
        self.latest = now.astimezone(datetime.UTC) - datetime.timedelta(minutes=1)
        self.today = timezone.localdate(now)
        self.members = plan.members_of()
        self.teams = [i for i, u in enumerate(plan.units) if u.kind == Unit.Kind.TEAM]
        handling = {c.unit for c in plan.categories}
        # More improvements where more people work, and four times as many where residents' cases are handled.
        self.team_weights = list(accumulate(len(self.members[t]) * (4 if t in handling else 1) for t in self.teams))
        self._days: dict[int, datetime.datetime] = {}
        self.done: list[tuple[int, int, datetime.datetime]] = []  # (index, unit, finished_at) of those done
        self.from_deviation: dict[int, list[tuple[int, datetime.datetime]]] = {}  # unit: (index, created_at)
        self.deviation_list: list[PlannedDeviation] | None = None

    # --- moments ---------------------------------------------------------------------------------------------

    def _day_start(self, ordinal: int) -> datetime.datetime:
        found = self._days.get(ordinal)
        if found is None:
            day = datetime.date.fromordinal(ordinal)
            local = datetime.datetime(day.year, day.month, day.day, tzinfo=self.zone)
            found = self._days[ordinal] = local.astimezone(datetime.UTC)
        return found

    def _moment(self) -> datetime.datetime:
        """A moment in office hours over the last IMPROVEMENT_YEARS years, more of them lately (the work grew as
        the teams took to it: the density rises evenly to twice the average today)."""
        rng = self.rng
        days = IMPROVEMENT_YEARS * 365
        while True:
            ordinal = self.today.toordinal() - int(days * (1 - rng.random() ** 0.5))
            first, last = OFFICE_HOURS
            moment = self._day_start(ordinal) + datetime.timedelta(seconds=rng.uniform(first, last) * 3600)
            if moment <= self.latest:
                return moment

    def _unit(self) -> int:
        return self.teams[bisect(self.team_weights, self.rng.random() * self.team_weights[-1])]

    # --- improvements ----------------------------------------------------------------------------------------

    def improvements(self) -> Iterator[PlannedImprovement]:
        """Every improvement, in the order they were raised. Each unit at the bottom gets as many raised from its
        deviations as DEVIATION_STATES has; the rest fall on the units by their weight."""
        spec = self.plan.spec
        per_team = DEVIATION_STATES.count(DeviationState.IMPROVEMENT.value)
        raised: list[tuple[datetime.datetime, int, bool]] = [
            (self._moment(), team, True) for team in self.teams for _ in range(per_team)
        ]
        if len(raised) > spec.improvements:
            raise ValueError(f"Size {spec.label}: {spec.improvements} improvements are too few for the deviations.")
        raised += [(self._moment(), self._unit(), False) for _ in range(spec.improvements - len(raised))]
        raised.sort()
        for index, (created_at, unit, from_deviation) in enumerate(raised):
            improvement = self._improvement(index, unit, created_at, from_deviation)
            if from_deviation:
                self.from_deviation.setdefault(unit, []).append((index, created_at))
            if improvement.finished_at is not None:
                self.done.append((index, unit, improvement.finished_at))
            yield improvement

    def _improvement(
        self, index: int, unit: int, created_at: datetime.datetime, from_deviation: bool
    ) -> PlannedImprovement:
        rng = self.rng
        members = self.members[unit]
        owner = members[0] if rng.random() < 0.3 else rng.choice(members)
        # Raised from a deviation: by the leader who triaged it. Otherwise mostly by its owner.
        created_by = members[0] if from_deviation else owner if rng.random() < 0.7 else rng.choice(members)
        others = [m for m in members if m != owner]
        involved = sorted(rng.sample(others, min(len(others), rng.choice((0, 1, 1, 2, 2, 3)))))
        due = None
        if rng.random() >= WITHOUT_DUE_DATE:
            due = timezone.localdate(created_at) + datetime.timedelta(days=rng.randint(21, 120))
        improvement = PlannedImprovement(
            index=index,
            unit=unit,
            theme=rng.randrange(len(IMPROVEMENT_THEMES)),
            place=rng.choice(PLACES),
            owner=owner,
            created_by=created_by,
            involved=involved,
            created_at=created_at,
            due_date=due,
            from_deviation=from_deviation,
            stage_changed_at=created_at,
            rounds=[PlannedRound(1, created_at)],
        )
        self._story(improvement, [owner, owner, owner, members[0], *involved])
        return improvement

    def _story(self, improvement: PlannedImprovement, movers: list[int]) -> None:
        """The moves of the improvement up to now, and the rounds and outcome they leave."""
        rng, latest = self.rng, self.latest
        rounds = ROUNDS[bisect(ROUNDS_CUMULATED, rng.random() * 100)]
        outcome = OUTCOMES[bisect(OUTCOMES_CUMULATED, rng.random() * 100)]
        steps: list[tuple[str, str]] = [(Stage.IDEA.value, Stage.PLAN.value)]
        for number in range(1, rounds + 1):
            steps.append((Stage.PLAN.value, Stage.DO.value))
            if rng.random() < BACK_TO_PLAN:
                steps += [(Stage.DO.value, Stage.PLAN.value), (Stage.PLAN.value, Stage.DO.value)]
            steps += [(Stage.DO.value, Stage.STUDY.value), (Stage.STUDY.value, Stage.ACT.value)]
            steps.append((Stage.ACT.value, Stage.PLAN.value if number < rounds else Stage.DONE.value))
        stalled = rng.randrange(len(steps)) if rng.random() < STALLED else -1
        at = improvement.created_at
        round_ = improvement.rounds[0]
        for step, (from_stage, to_stage) in enumerate(steps):
            days = rng.expovariate(1 / STAGE_MEAN_DAYS[Stage(from_stage)])
            if step == stalled:
                days *= rng.uniform(5, 20)
            at = at + datetime.timedelta(seconds=600 + days * 86400)
            if at > latest:
                return  # the rest has not happened yet
            forward = not (from_stage == Stage.DO and to_stage == Stage.PLAN)
            if forward and from_stage == Stage.PLAN and not round_.expectation:
                round_.expectation = rng.choice(ROUND_EXPECTATIONS)
            elif forward and from_stage == Stage.DO and not round_.actions:
                round_.actions = rng.choice(ROUND_ACTIONS)
            elif from_stage == Stage.STUDY and not round_.result:
                round_.result = rng.choice(ROUND_RESULTS)
            improvement.moves.append(PlannedMove(from_stage, to_stage, round_.number, rng.choice(movers), at))
            improvement.stage, improvement.stage_changed_at = to_stage, at
            if to_stage == Stage.DONE:
                abandoned = outcome == Outcome.ABANDONED
                round_.decision = Decision.ABANDON.value if abandoned else Decision.ADOPT.value
                round_.decision_text = rng.choice(DECISIONS_ABANDON if abandoned else DECISIONS_ADOPT)
                improvement.outcome, improvement.finished_at = outcome, at
                if abandoned or rng.random() < 0.3:
                    improvement.lesson = rng.choice(IMPROVEMENT_LESSONS)
            elif from_stage == Stage.ACT:  # adapt: the round is kept and a new one starts in Plan
                round_.decision, round_.decision_text = Decision.ADAPT.value, rng.choice(DECISIONS_ADAPT)
                round_ = PlannedRound(round_.number + 1, at)
                improvement.rounds.append(round_)
                improvement.round_number = round_.number

    # --- deviations and learnings ----------------------------------------------------------------------------

    def deviations(self) -> list[PlannedDeviation]:
        """DEVIATION_STATES per unit at the bottom of the tree (after `improvements()` has been read)."""
        if self.deviation_list is not None:
            return self.deviation_list
        rng, latest = self.rng, self.latest
        found: list[PlannedDeviation] = []
        for unit in self.teams:
            members = self.members[unit]
            leader = members[0]
            raised = list(self.from_deviation.get(unit, []))
            for state in DEVIATION_STATES:
                text, where = rng.choice(DEVIATION_TEXTS)
                place = rng.choice(PLACES)
                reporter = rng.choice(members)
                triaged_by: int | None = leader
                triaged: datetime.datetime | None
                improvement: int | None = None
                reason = ""
                if state == DeviationState.NEW:
                    reported = latest - datetime.timedelta(days=rng.uniform(0.5, 30))
                    triaged = triaged_by = None
                elif state == DeviationState.IMPROVEMENT:
                    improvement, triaged = raised.pop(0)
                    reported = triaged - datetime.timedelta(hours=rng.uniform(1, 240))
                else:
                    reported = self._moment() - datetime.timedelta(days=1)
                    triaged = min(reported + datetime.timedelta(hours=rng.uniform(1, 14 * 24)), latest)
                    if state == DeviationState.CLOSED:
                        reason = rng.choice(DEVIATION_CLOSE_REASONS)
                    elif rng.random() < ANONYMOUS:  # an anonymous learning: who triaged it is not kept either
                        triaged_by = None
                happened = reported - datetime.timedelta(hours=rng.uniform(0, 48))
                found.append(
                    PlannedDeviation(
                        unit=unit,
                        what_happened=text,
                        where=where.format(place=place),
                        happened_at=happened,
                        reported_by=reporter,
                        reported_at=reported,
                        state=state,
                        triaged_by=triaged_by,
                        triaged_at=triaged,
                        close_reason=reason,
                        improvement=improvement,
                    )
                )
        self.deviation_list = found
        return found

    def learnings(self) -> Iterator[PlannedLearning]:
        """Every learning, in the order they were written: those the deviations became, some written about a done
        improvement of the unit after it was done, the rest on their own (after `improvements()` has been read)."""
        rng, latest, spec = self.rng, self.latest, self.plan.spec
        written: list[tuple[datetime.datetime, int, int | None, int | None, bool]] = []
        for index, deviation in enumerate(self.deviations()):
            if deviation.state == DeviationState.LEARNING and deviation.triaged_at is not None:
                anonymous = deviation.triaged_by is None
                written.append((deviation.triaged_at, deviation.unit, None, index, anonymous))
        if len(written) > spec.learnings:
            raise ValueError(f"Size {spec.label}: {spec.learnings} learnings are too few for the deviations.")
        rest = spec.learnings - len(written)
        linked = min(int(rest * LINKED_TO_IMPROVEMENT), len(self.done))
        for index, unit, finished_at in rng.sample(self.done, linked):
            at = min(finished_at + datetime.timedelta(hours=rng.uniform(1, 14 * 24)), latest)
            written.append((at, unit, index, None, rng.random() < ANONYMOUS))
        for _ in range(rest - linked):
            written.append((self._moment(), self._unit(), None, None, rng.random() < ANONYMOUS))
        written.sort(key=lambda row: row[0])
        for at, unit, improvement_index, deviation_index, anonymous in written:
            members = self.members[unit]
            author = None if anonymous else members[0] if deviation_index is not None else rng.choice(members)
            yield PlannedLearning(
                unit=unit,
                theme=rng.randrange(len(LEARNING_THEMES)),
                place=rng.choice(PLACES),
                written_at=at,
                author=author,
                improvement=improvement_index,
                deviation=deviation_index,
            )


# The columns written, in the order of the rows below.
IMPROVEMENT_COLUMNS: Final = [
    "id", "municipality_id", "unit_id", "title", "problem", "value_for_resident", "idea", "measure", "baseline",
    "baseline_value", "owner_id", "due_date", "stage", "round_number", "stage_changed_at", "outcome", "lesson",
    "finished_at", "created_by_id", "created_at", "updated_at",
]  # fmt: skip
ROUND_COLUMNS: Final = [
    "id", "improvement_id", "number", "expectation", "actions", "result", "decision", "decision_text", "created_at",
]  # fmt: skip
MOVE_COLUMNS: Final = ["id", "improvement_id", "round_id", "from_stage", "to_stage", "person_id", "at"]
INVOLVED_COLUMNS: Final = ["id", "improvement_id", "person_id"]
DEVIATION_COLUMNS: Final = [
    "id", "municipality_id", "unit_id", "what_happened", "where", "happened_at", "reported_by_id", "reported_at",
    "state", "triaged_by_id", "triaged_at", "close_reason", "improvement_id",
]  # fmt: skip
LEARNING_COLUMNS: Final = [
    "id", "municipality_id", "unit_id", "title", "what_happened", "what_we_expected", "what_we_learned",
    "what_we_change", "improvement_id", "deviation_id", "anonymous", "author_id", "written_at",
]  # fmt: skip


# The search's own definitions (triggers, indexes, how a row is indexed): the generator uses them, never a copy.
SEARCH_MIGRATION: Final = importlib.import_module("brobygget.improvement.migrations.0004_search")
SQLITE_INSERT_TRIGGERS: Final = ("improvement_learning_search_insert", "improvement_improvement_search_insert")
POSTGRESQL_SEARCH_INDEXES: Final = ("learning_search", "improvement_search")


def _sqlite_search_statements() -> tuple[list[str], list[str]]:
    """The migration's statements that make the two insert triggers, and those that index the rows already there."""
    statements: list[str] = SEARCH_MIGRATION.SQLITE_CREATE
    triggers = [s for s in statements if s.startswith("CREATE TRIGGER") and s.split()[2] in SQLITE_INSERT_TRIGGERS]
    backfills = [s for s in statements if s.startswith("INSERT INTO improvement_search")]
    if len(triggers) != len(SQLITE_INSERT_TRIGGERS) or len(backfills) != 2:
        raise RuntimeError("Migration 0004_search no longer has the statements the scale generator uses.")
    return triggers, backfills


@contextmanager
def _search_indexed_afterwards(first_ids: dict[str, int]) -> Iterator[None]:
    """The search's index made for the new rows after they are written, not one row at a time as they come, inside
    the transaction and with the migration's own definitions, so that it holds exactly what the triggers would have
    made (a test compares them).

    - SQLite: the FTS5 table's insert triggers cost some 70 µs a row while 700,000 rows come in (50 s of size L);
      indexing the same rows afterwards with one statement per table takes a third of that. The two insert triggers
      are dropped, the rows written and then indexed by the migration's statements that index the rows already there
      when it runs (limited here to the new ids), and the triggers made again from its definitions.
    - PostgreSQL: the trigger computes each row's vector as it comes (cheap), but keeping the two GIN indexes up row
      by row costs several times building them once. They are dropped and made again afterwards from the
      migration's definitions (the tables are locked until the transaction ends, as the whole generation is one)."""
    if connection.vendor == "sqlite":
        triggers, backfills = _sqlite_search_statements()
        with connection.cursor() as cursor:
            for name in SQLITE_INSERT_TRIGGERS:
                cursor.execute(f"DROP TRIGGER {name}")
        yield
        with connection.cursor() as cursor:
            for statement in backfills:
                table = "learning" if "FROM improvement_learning" in statement else "improvement"
                condition = " AND id >= %s" if " WHERE " in statement else " WHERE id >= %s"
                cursor.execute(statement + condition, [first_ids[table]])
            for statement in triggers:
                cursor.execute(statement)
    elif connection.vendor == "postgresql":
        statements: list[str] = SEARCH_MIGRATION.POSTGRESQL_CREATE
        indexes = [s for s in statements if s.startswith("CREATE INDEX")]
        if len(indexes) != len(POSTGRESQL_SEARCH_INDEXES):
            raise RuntimeError("Migration 0004_search no longer has the indexes the scale generator uses.")
        with connection.cursor() as cursor:
            for name in POSTGRESQL_SEARCH_INDEXES:
                cursor.execute(f"DROP INDEX {name}")
        yield
        with connection.cursor() as cursor:
            # No checks are pending on these tables: rows.foreign_keys_checked_afterwards checks their keys later.
            for statement in indexes:
                cursor.execute(statement)
    else:
        yield


def improvement_work_write(
    plan: ScalePlan,
    municipality: Municipality,
    now: datetime.datetime,
    units: list[Unit],
    people: list[Person],
    bar: Any,
) -> dict[str, int]:
    """Write the improvements (with their rounds, moves and people involved), the deviations and the learnings as
    plain rows in batches, with ids given here (after the largest in each table), then move PostgreSQL's sequences
    past them. The rows are indexed for the search as migration 0004_search's triggers index any row (on SQLite
    after they are written: `_search_indexed_afterwards`)."""
    involved_model = Improvement.involved.through
    tables: list[type[models.Model]] = [Improvement, ImprovementRound, StageMove, involved_model, Deviation, Learning]
    with (
        foreign_keys_checked_afterwards(tables),
        _search_indexed_afterwards({"improvement": next_id(Improvement), "learning": next_id(Learning)}),
    ):
        return _improvement_work_write(plan, municipality, now, units, people, bar)


def _improvement_work_write(
    plan: ScalePlan,
    municipality: Municipality,
    now: datetime.datetime,
    units: list[Unit],
    people: list[Person],
    bar: Any,
) -> dict[str, int]:
    work = ImprovementWork(plan, now=now)
    when, day = datetime_adapter(), connection.ops.adapt_datefield_value
    municipality_id = municipality.pk
    unit_ids = [u.pk for u in units]
    person_ids = [p.pk for p in people]
    involved_model = Improvement.involved.through
    first_improvement = next_id(Improvement)
    round_id, move_id, involved_id = next_id(ImprovementRound), next_id(StageMove), next_id(involved_model)
    today = work.today
    counts = dict.fromkeys(
        ["improvements", "improvements_done", "improvements_abandoned", "improvements_overdue", "rounds", "moves"], 0
    )
    tally = TallyCounter()
    for batch in batched(work.improvements(), BATCH_SIZE):
        improvement_rows: list[tuple[Any, ...]] = []
        round_rows: list[tuple[Any, ...]] = []
        move_rows: list[tuple[Any, ...]] = []
        involved_rows: list[tuple[Any, ...]] = []
        for i in batch:
            pk = first_improvement + i.index
            title, problem, value, idea, measure, baseline = i.texts()
            changed = when(i.stage_changed_at)
            improvement_rows.append(
                (
                    pk, municipality_id, unit_ids[i.unit], title, problem, value, idea, measure, baseline, None,
                    person_ids[i.owner], day(i.due_date), i.stage, i.round_number, changed, i.outcome, i.lesson,
                    when(i.finished_at), person_ids[i.created_by], when(i.created_at), changed,
                )
            )  # fmt: skip
            tally.raised(unit_ids[i.unit], i.created_at)
            if i.finished_at is not None:
                result = next((r.result for r in i.rounds if r.number == i.round_number), "")
                tally.finished(unit_ids[i.unit], i.finished_at, i.outcome, result)
            arrived = i.created_at
            for m in sorted(i.moves, key=lambda m: m.at):
                tally.moved(unit_ids[i.unit], m.from_stage, arrived, m.at)
                arrived = m.at
            round_ids: dict[int, int] = {}
            for r in i.rounds:
                round_ids[r.number] = round_id
                round_rows.append(
                    (
                        round_id, pk, r.number, r.expectation, r.actions, r.result, r.decision, r.decision_text,
                        when(r.created_at),
                    )
                )  # fmt: skip
                round_id += 1
            for m in i.moves:
                move_rows.append(
                    (move_id, pk, round_ids[m.round], m.from_stage, m.to_stage, person_ids[m.person], when(m.at))
                )
                move_id += 1
            for person in i.involved:
                involved_rows.append((involved_id, pk, person_ids[person]))
                involved_id += 1
            counts["improvements_done"] += i.stage == Stage.DONE
            counts["improvements_abandoned"] += i.outcome == Outcome.ABANDONED
            counts["improvements_overdue"] += i.stage != Stage.DONE and i.due_date is not None and i.due_date < today
        rows_insert(Improvement, IMPROVEMENT_COLUMNS, improvement_rows)
        rows_insert(ImprovementRound, ROUND_COLUMNS, round_rows)
        rows_insert(StageMove, MOVE_COLUMNS, move_rows)
        rows_insert(involved_model, INVOLVED_COLUMNS, involved_rows)
        counts["improvements"] += len(improvement_rows)
        counts["rounds"] += len(round_rows)
        counts["moves"] += len(move_rows)
        bar.update(len(improvement_rows))
    ImprovementTally.objects.bulk_create(tally.rows(), batch_size=BATCH_SIZE)

    first_deviation = next_id(Deviation)
    deviations = work.deviations()
    rows_insert(
        Deviation,
        DEVIATION_COLUMNS,
        [
            (
                first_deviation + n, municipality_id, unit_ids[d.unit], d.what_happened, d.where, when(d.happened_at),
                person_ids[d.reported_by], when(d.reported_at), d.state,
                person_ids[d.triaged_by] if d.triaged_by is not None else None, when(d.triaged_at), d.close_reason,
                first_improvement + d.improvement if d.improvement is not None else None,
            )
            for n, d in enumerate(deviations)
        ],
    )  # fmt: skip
    bar.update(len(deviations))
    counts["deviations"] = len(deviations)
    counts["deviations_new"] = sum(1 for d in deviations if d.state == DeviationState.NEW)

    learning_id = next_id(Learning)
    counts.update(learnings=0, learnings_anonymous=0, learnings_of_improvements=0)
    for learnings in batched(work.learnings(), BATCH_SIZE):
        learning_rows: list[tuple[Any, ...]] = []
        for learning in learnings:
            title, happened, expected, learned, change = learning.texts()
            learning_rows.append(
                (
                    learning_id, municipality_id, unit_ids[learning.unit], title, happened, expected, learned, change,
                    first_improvement + learning.improvement if learning.improvement is not None else None,
                    first_deviation + learning.deviation if learning.deviation is not None else None,
                    learning.anonymous, person_ids[learning.author] if learning.author is not None else None,
                    when(learning.written_at),
                )
            )  # fmt: skip
            learning_id += 1
            counts["learnings_anonymous"] += learning.anonymous
            counts["learnings_of_improvements"] += learning.improvement is not None
        rows_insert(Learning, LEARNING_COLUMNS, learning_rows)
        counts["learnings"] += len(learning_rows)
        bar.update(len(learning_rows))

    models_written: list[type[models.Model]] = [
        Improvement,
        ImprovementRound,
        StageMove,
        involved_model,
        Deviation,
        Learning,
    ]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models_written):
            cursor.execute(statement)
    return counts
