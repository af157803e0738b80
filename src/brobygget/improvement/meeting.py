"""The weekly board meeting: what is new since the last meeting, and the cards walked one by one.

"The last meeting" is a day: a week ago unless the team chooses another (the board meeting is weekly; no model keeps
the meetings). The walk puts first what needs the team: overdue, then new, then moved since that day, then the rest;
within each, by due date. Its order is fixed for the day, so that what the team does in the meeting does not reorder
it: a move made today does not make a card "moved", a card finished today keeps its place, and a card raised today
comes last."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

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


@dataclass(frozen=True, slots=True)
class AgendaItem:
    pk: int
    title: str


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


def agenda(*, unit: Unit, today: datetime.date, since: datetime.date) -> list[AgendaItem]:
    """The cards of the unit's board in the meeting's order (see the module): those on the wheel, and those finished
    since the last meeting. One query."""
    after, day_start = start_of(since), start_of(today)
    moved = Exists(StageMove.objects.filter(improvement=OuterRef("pk"), at__gte=after, at__lt=day_start))
    need = Case(
        When(created_at__gte=day_start, then=Value(4)),
        When(Q(due_date__lt=today) & (~Q(stage=Stage.DONE) | Q(finished_at__gte=day_start)), then=Value(0)),
        When(created_at__gte=after, then=Value(1)),
        When(moved, then=Value(2)),
        default=Value(3),
    )
    # Each part from its own index (selectors.board_rows), ordered here: a union is ordered as a whole.
    on_the_wheel = Improvement.objects.filter(unit_id=unit.pk, stage__in=ON_THE_WHEEL).order_by()
    done_lately = Improvement.objects.filter(unit_id=unit.pk, finished_at__gte=after).order_by()
    parts = [
        part.annotate(need=need).values_list("pk", "title", "need", "due_date") for part in (on_the_wheel, done_lately)
    ]
    rows = sorted(
        parts[0].union(parts[1], all=True),
        key=lambda row: (row[2], row[3] is None, row[3] or today, row[0]),
    )
    return [AgendaItem(pk, title) for pk, title, _need, _due in rows]


def _card(pk: int, today: datetime.date, since: datetime.date) -> MeetingCard | None:
    """The improvement with its owner and its current round's answers, in one query."""
    row = (
        ImprovementRound.objects.filter(improvement_id=pk, number=F("improvement__round_number"))
        .values_list(
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
        .first()
    )
    if row is None:
        return None
    title, stage, round_number, due, created, changed, outcome, first, last, expectation, actions, result = row
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
