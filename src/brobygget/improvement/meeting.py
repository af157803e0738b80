"""The weekly board meeting: what is new since the last meeting, and the cards walked one by one.

"The last meeting" is a day: a week ago unless the team chooses another (the board meeting is weekly; no model keeps
the meetings). The walk puts first what needs the team: overdue, then new, then moved since that day, then the rest;
within each, by due date. Its order is fixed for the day, so that what the team does in the meeting does not reorder
it: a move made today does not make a card "moved", a card finished today keeps its place, and a card raised today
comes last."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from brobygget.core.prepared import prepared
from brobygget.improvement.models import QUESTIONS, Improvement, ImprovementRound, Stage, StageMove, next_stage
from brobygget.improvement.selectors import ON_THE_WHEEL
from brobygget.organisation.models import Unit

# The board's "new since" defaults to a week ago: the board meeting is weekly.
SINCE_DEFAULT_DAYS = 7
# The stage whose question a move onwards answers, and where the answer is kept on the round (as services has it).
_ANSWERS = {Stage.PLAN: "expectation", Stage.DO: "actions", Stage.STUDY: "result"}


def start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def since_from(value: str, today: datetime.date) -> datetime.date:
    """The day of the last meeting from the query string (year-month-day); a week ago when missing or wrong, and
    never after today."""
    try:
        day = datetime.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        return today - datetime.timedelta(days=SINCE_DEFAULT_DAYS)
    return min(day, today)


def position_from(value: str) -> int:
    """The card's place in the walk from the query string (1 for the first); 1 when missing or wrong."""
    return int(value) if value.isdigit() and 0 < len(value) < 7 and int(value) > 0 else 1


@dataclass(slots=True)  # not frozen: cheaper to make, and a busy unit's walk has a hundred cards
class AgendaItem:
    pk: int
    title: str
    position: int  # in the walk, from 1


@dataclass(frozen=True)
class MeetingCard:
    """The card the meeting is at: what the team needs to talk about it."""

    pk: int
    title: str
    stage: str
    round_number: int
    owner: str
    due_date: datetime.date | None
    overdue: bool
    new: bool
    moved: bool
    outcome: str
    question: str
    answer: str  # the answer to the stage's question kept on the round so far
    next_stage: str | None


@dataclass(frozen=True)
class Meeting:
    unit: Unit
    since: datetime.date
    today: datetime.date
    agenda: list[AgendaItem]
    position: int  # of the card, from 1; 0 when the board is empty
    card: MeetingCard | None

    @property
    def total(self) -> int:
        return len(self.agenda)

    @property
    def previous(self) -> int | None:
        return self.position - 1 if self.position > 1 else None

    @property
    def next(self) -> int | None:
        return self.position + 1 if self.position < self.total else None


# A card of the walk as `agenda` reads it: id, title, due date, stage, and what the database compared for it with the
# last meeting and today (raised today, raised since the meeting, finished today, last moved between the meeting and
# today, last moved today): a hundred cards' times are not read into Python for that.
Row = tuple[int, str, datetime.date | None, str, bool, bool, bool | None, bool, bool]


def _need(row: Row, today: datetime.date, moved: bool) -> int:
    """How soon the walk takes up a card (see the module): 0 overdue, 1 new, 2 moved, 3 the rest, 4 raised today."""
    _pk, _title, due, stage, raised_today, new, finished_today, _moved_before, _moved_today = row
    if raised_today:
        return 4
    if due is not None and due < today and (stage != Stage.DONE or finished_today):
        return 0
    if new:
        return 1
    return 2 if moved else 3


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


# The walk's rows and the card in prepared queries (core.prepared): built with the plain ORM, the union and its
# comparisons cost some 1.6 ms of Python a page to build and compile, the card's query some 0.5 ms.
@prepared
def _agenda_rows(*, unit_id: int, after: datetime.datetime, day_start: datetime.datetime) -> QuerySet[Improvement, Any]:
    """The rows of `agenda` (see Row): each part from its own index (selectors._board_rows); unordered."""
    flags = {
        "raised_today": _flag(Q(created_at__gte=day_start)),
        "new": _flag(Q(created_at__gte=after)),
        "finished_today": _flag(Q(finished_at__gte=day_start)),
        "moved_before_today": _flag(Q(stage_changed_at__gte=after, stage_changed_at__lt=day_start)),
        "moved_today": _flag(Q(stage_changed_at__gte=day_start)),
    }
    fields = ("pk", "title", "due_date", "stage", *flags)
    on_the_wheel = Improvement.objects.filter(unit_id=unit_id, stage__in=ON_THE_WHEEL).annotate(**flags).order_by()
    done_lately = Improvement.objects.filter(unit_id=unit_id, finished_at__gte=after).annotate(**flags).order_by()
    return on_the_wheel.values_list(*fields).union(done_lately.values_list(*fields), all=True)


def agenda(*, unit: Unit, today: datetime.date, since: datetime.date) -> list[AgendaItem]:
    """The cards of the unit's board in the meeting's order (see the module): those on the wheel, and those finished
    since the last meeting. One query; one more only when a card moved today, to ask whether it also moved between
    the last meeting and today."""
    after, day_start = start_of(since), start_of(today)
    # A union is ordered as a whole, so it is ordered here.
    rows: list[Row] = _agenda_rows(unit_id=unit.pk, after=after, day_start=day_start)
    # The time of an improvement's last move is kept on it (stage_changed_at, set by every move; when it was raised
    # before any): a card last moved before the last meeting has not moved since; one last moved between the last
    # meeting and today has. Only for one moved today are the moves before today asked for.
    moved = {row[0] for row in rows if row[7]}
    moved_today = [row[0] for row in rows if row[8] and _need(row, today, False) == 3]
    if moved_today:
        moved.update(
            StageMove.objects.filter(improvement_id__in=moved_today, at__gte=after, at__lt=day_start)
            .order_by()
            .values_list("improvement_id", flat=True)
        )
    ordered = sorted(
        ((_need(row, today, row[0] in moved), row) for row in rows),
        key=lambda item: (item[0], item[1][2] is None, item[1][2] or today, item[1][0]),
    )
    return [AgendaItem(row[0], row[1], position) for position, (_need_of, row) in enumerate(ordered, 1)]


@prepared
def _card_row(*, improvement_id: int) -> QuerySet[ImprovementRound, Any]:
    """The improvement with its owner and its current round's answers (one round a number: one row, or none)."""
    return ImprovementRound.objects.filter(
        improvement_id=improvement_id, number=F("improvement__round_number")
    ).values_list(
        "improvement__title",
        "improvement__stage",
        "improvement__round_number",
        "improvement__due_date",
        "improvement__created_at",
        "improvement__stage_changed_at",
        "improvement__outcome",
        "improvement__owner__first_name",
        "improvement__owner__last_name",
        "expectation",
        "actions",
        "result",
    )


def _card(pk: int, today: datetime.date, since: datetime.date) -> MeetingCard | None:
    """The improvement with its owner and its current round's answers, in one query."""
    rows = _card_row(improvement_id=pk)
    if not rows:
        return None
    title, stage, round_number, due, created, changed, outcome, first, last, expectation, actions, result = rows[0]
    after = start_of(since)
    answers = {"expectation": expectation, "actions": actions, "result": result}
    name = _ANSWERS.get(Stage(stage))
    new = created >= after
    return MeetingCard(
        pk=pk,
        title=title,
        stage=stage,
        round_number=round_number,
        owner=f"{first} {last}",
        due_date=due,
        overdue=stage != Stage.DONE and due is not None and due < today,
        new=new,
        moved=not new and changed >= after,
        outcome=outcome,
        question=str(QUESTIONS.get(stage, "")),
        answer=answers[name] if name else "",
        next_stage=next_stage(stage),
    )


def meeting(
    *, unit: Unit, today: datetime.date, since: datetime.date, position: int = 1, improvement_id: int | None = None
) -> Meeting:
    """The meeting at the card in `position` (the last when past the end), or at the improvement `improvement_id`
    when it is on the walk. Two queries, however many cards."""
    items = agenda(unit=unit, today=today, since=since)
    if not items:
        return Meeting(unit, since, today, items, 0, None)
    ids = [item.pk for item in items]
    if improvement_id is not None and improvement_id in ids:
        position = ids.index(improvement_id) + 1
    position = min(max(position, 1), len(items))
    return Meeting(unit, since, today, items, position, _card(ids[position - 1], today, since))
