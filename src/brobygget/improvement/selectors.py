"""Reads of improvements, scoped through organisation.scoping: a person sees the improvements of the units they see.

"Not found" and "not yours" are the same 404. Lists are read as plain values into small dataclasses."""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Principle
from brobygget.core.prepared import prepared
from brobygget.improvement.models import (
    STAGES,
    Improvement,
    ImprovementCase,
    ImprovementRound,
    Outcome,
    ResidentSummary,
    Spread,
    Stage,
    StageMove,
    next_stage,
    previous_stage,
)
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import Visibility, unit_visibility

# The texts of a move in the history of an improvement's moves.
MOVE_CHANGE = _("%(from)s → %(to)s")
ROUND_LABEL = _("round %(number)s")
# The texts of a card on the board.
OWNER_LINE = _("Owner: %(name)s")
DUE_LINE = _("Due %(date)s")

# The board shows the improvements finished this many days before today in Done; older ones stay on their pages.
DONE_SHOWN_DAYS = 30


def visible_units(visibility: Visibility) -> QuerySet[Unit]:
    """The units whose improvements a person with this visibility sees (and may raise and move)."""
    return Unit.objects.filter(Q(municipality_id=visibility.municipality_id) & visibility.units())


def _visibility(person: Person | None) -> Visibility:
    visibility = unit_visibility(person=person)
    if visibility is None:
        raise Http404
    return visibility


@prepared
def _unit_row(*, unit_id: int, municipality_id: int) -> QuerySet[Unit, Any]:
    return Unit.objects.filter(pk=unit_id, municipality_id=municipality_id).order_by().values_list(*_UNIT_FIELDS)


def board_unit(*, person: Person | None, unit_id: int) -> Unit:
    """A unit whose board the person may see (its id, name, path and municipality; a prepared query: the board, the
    meeting and the figures each start with it); 404 for missing and not visible alike."""
    visibility = _visibility(person)
    # By its key, and seen or not by its path (`Visibility.sees`), not by a filter of paths.
    found = _unit_row(unit_id=unit_id, municipality_id=visibility.municipality_id)
    if not found:
        raise Http404
    unit = _instance(Unit, _UNIT_FIELDS, found[0])
    if not visibility.sees(municipality_id=unit.municipality_id, path=unit.path):
        raise Http404
    return unit


def href(name: str) -> Callable[[int], str]:
    """The address of an improvement's page (or action) by its id, with one reverse() per page, not per card."""
    head, _sep, tail = reverse(name, args=[987654321]).partition("987654321")
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(slots=True)
class Card:
    """An improvement as the board shows it: its texts and addresses written here, once per page or per card, so
    that the template only puts them in place (the board of a busy unit has a hundred cards). Not frozen: a frozen
    dataclass sets each field through `object.__setattr__`, three times the cost of making a card."""

    pk: int
    title: str
    stage: str
    owner_line: str  # "Owner: …"
    due_date: datetime.date | None
    due_line: str  # "Due …", "" without a due date
    overdue: bool
    new: bool
    moved: bool
    outcome: str
    url: str  # the improvement's page
    move_url: str  # its move form's action


@dataclass(frozen=True)
class Column:
    stage: str
    label: str
    next_stage: str | None
    next_label: str
    cards: list[Card]


@dataclass(frozen=True)
class Board:
    unit: Unit
    columns: list[Column]
    since: datetime.date
    today: datetime.date


def _start_of(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def stage_labels() -> dict[str, str]:
    """The stages' names in the active language."""
    return {value: str(label) for value, label in Stage.choices}


ON_THE_WHEEL = tuple(stage for stage in STAGES if stage != Stage.DONE)


# The board's rows in a prepared query (core.prepared): built with the plain ORM, the union and its comparisons cost
# some 1.6 ms of Python a page to build and compile, the database answering in 0.6 ms (size L, a hundred cards).
@prepared
def _board_rows(
    *, unit_id: int, done_after: datetime.datetime, new_after: datetime.datetime
) -> QuerySet[Improvement, Any]:
    """The unit's improvements on the board: those on the wheel (by the index of unit and stage) and those finished
    after `done_after` (by the index of unit and time finished), as a union: each read from its own index, never
    the unit's older finished improvements, which grow with the years. Unordered (a union is ordered as a whole).
    Each with `new` (raised since `new_after`) and `moved` (moved since then), compared by the database: a hundred
    cards' times are not read into Python for it."""
    since = {
        "new": ExpressionWrapper(Q(created_at__gte=new_after), output_field=BooleanField()),
        "moved": ExpressionWrapper(Q(stage_changed_at__gte=new_after), output_field=BooleanField()),
    }
    fields = ("pk", "title", "stage", "due_date", "new", "moved", "outcome", "owner__first_name", "owner__last_name")
    on_the_wheel = Improvement.objects.filter(unit_id=unit_id, stage__in=ON_THE_WHEEL).annotate(**since)
    done_lately = Improvement.objects.filter(unit_id=unit_id, finished_at__gte=done_after).annotate(**since)
    return on_the_wheel.order_by().values_list(*fields).union(done_lately.order_by().values_list(*fields), all=True)


@functools.lru_cache(maxsize=1024)
def _due_line(day: datetime.date, language: str | None) -> str:
    """A card's due date as the board writes it ("Due 20 March 2026") in the language given (the active one, part
    of the key): a board's due dates are some hundred days, each written once a process, not once a card a page."""
    return DUE_LINE % {"date": formats.date_format(day, "DATE_FORMAT")}


def board(*, unit: Unit, today: datetime.date, since: datetime.date) -> Board:
    """The unit's board: its improvements by stage (due first, then oldest), with owner, due date, overdue, and
    what is new or moved since `since` (the last meeting). One query, however many cards."""
    done_after = _start_of(today - datetime.timedelta(days=DONE_SHOWN_DAYS))
    new_after = _start_of(since)
    rows = sorted(
        _board_rows(unit_id=unit.pk, done_after=done_after, new_after=new_after),
        key=lambda row: (row[3] is None, row[3] or today, row[0]),  # due first (none last), then oldest
    )
    labels = stage_labels()
    owner_line, language = str(OWNER_LINE), translation.get_language()
    detail_href, move_href = href("improvement:detail"), href("improvement:move")
    by_stage: dict[str, list[Card]] = {stage: [] for stage in STAGES}
    for pk, title, stage, due, new, moved, outcome, first, last in rows:
        by_stage[stage].append(
            Card(
                pk=pk,
                title=title,
                stage=stage,
                owner_line=owner_line % {"name": f"{first} {last}"},
                due_date=due,
                due_line=_due_line(due, language) if due is not None else "",
                overdue=stage != Stage.DONE and due is not None and due < today,
                new=new,
                moved=moved and not new,
                outcome=outcome,
                url=detail_href(pk),
                move_url=move_href(pk),
            )
        )
    columns = []
    for stage in STAGES:
        after = next_stage(stage)
        columns.append(Column(stage, labels[stage], after, labels[after] if after else "", by_stage[stage]))
    return Board(unit, columns, since, today)


def _visible_improvement(person: Person | None, rows: QuerySet[Improvement], improvement_id: int) -> Improvement:
    """The improvement of `rows` with this id if the person sees its unit (`Visibility.sees`, checked on the unit read
    with it rather than as a filter of paths); 404 for missing and not visible alike."""
    visibility = _visibility(person)
    # One row by its key: read as a list, not first(), which would order and slice it.
    found = list(rows.filter(pk=improvement_id, municipality_id=visibility.municipality_id))
    if not found or not visibility.sees(municipality_id=found[0].municipality_id, path=found[0].unit.path):
        raise Http404
    return found[0]


def improvement_get(*, person: Person | None, improvement_id: int) -> Improvement:
    """An improvement the person may see, with its unit and people; 404 for missing and not visible alike."""
    return _visible_improvement(
        person, Improvement.objects.select_related("unit", "owner", "created_by"), improvement_id
    )


@dataclass(frozen=True, slots=True)
class MoveRow:
    """A move as the history shows it, its texts written once per page (the same stages and rounds recur)."""

    change: str  # "Plan → Do"
    person: str
    at: datetime.datetime
    when: str  # the time of the move as the active language writes it
    round_label: str  # "round 2"


@dataclass(frozen=True, slots=True)
class SpreadLinks:
    """Where an improvement spread to (the copies' ids and units), and where it came from, if it is a copy."""

    to: list[tuple[int, str]]
    from_original: tuple[int, str, str] | None  # (id, title, unit) of the original


@dataclass(frozen=True)
class ImprovementPage:
    improvement: Improvement
    involved: list[str]
    principles: list[str]
    rounds: list[ImprovementRound]
    moves: list[MoveRow]
    next_stage: str | None
    previous_stage: str | None
    stage_label: str
    outcome_label: str
    cases: list[tuple[int, str]]  # (id, number) of the resident cases it was raised from
    spread: SpreadLinks

    @property
    def abandoned(self) -> bool:
        return self.improvement.outcome == Outcome.ABANDONED


# An improvement's page reads the improvement and each of its lists in a prepared query (core.prepared; each builder
# is checked against the plain ORM in tests/core/test_prepared_builders.py): built with the plain ORM its seven
# small queries cost some 3 ms of Python a page at size M, the database answering each in a few hundredths of one.

_IMPROVEMENT_FIELDS = tuple(field.attname for field in Improvement._meta.concrete_fields)
_UNIT_FIELDS = ("id", "name", "path", "municipality_id")
_PERSON_FIELDS = ("id", "first_name", "last_name")
_ROUND_FIELDS = tuple(field.attname for field in ImprovementRound._meta.concrete_fields)


@prepared
def _improvement_row(*, improvement_id: int, municipality_id: int) -> QuerySet[Improvement, Any]:
    return Improvement.objects.filter(pk=improvement_id, municipality_id=municipality_id).values_list(
        *_IMPROVEMENT_FIELDS,
        *(f"unit__{name}" for name in _UNIT_FIELDS[1:]),
        *(f"owner__{name}" for name in _PERSON_FIELDS[1:]),
        *(f"created_by__{name}" for name in _PERSON_FIELDS[1:]),
    )


def _instance[M: models.Model](model: type[M], names: Sequence[str], values: Sequence[Any]) -> M:
    """A model instance of these fields' values, as the ORM makes one of a row (`Model.from_db`; others deferred)."""
    given = dict(zip(names, values, strict=True))
    fields = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db(DEFAULT_DB_ALIAS, fields, [given[name] for name in fields])


def _improvement_of(row: Sequence[Any]) -> Improvement:
    """The improvement of an `_improvement_row`, with its unit, owner and creator (only the fields the page shows)."""
    n = len(_IMPROVEMENT_FIELDS)
    improvement = Improvement.from_db(DEFAULT_DB_ALIAS, _IMPROVEMENT_FIELDS, row[:n])
    unit_name, unit_path, unit_municipality_id, owner_first, owner_last, creator_first, creator_last = row[n:]
    improvement.unit = _instance(Unit, _UNIT_FIELDS, (improvement.unit_id, unit_name, unit_path, unit_municipality_id))
    improvement.owner = _instance(Person, _PERSON_FIELDS, (improvement.owner_id, owner_first, owner_last))
    improvement.created_by = _instance(Person, _PERSON_FIELDS, (improvement.created_by_id, creator_first, creator_last))
    return improvement


@prepared
def _involved(*, improvement_id: int) -> QuerySet[Person, Any]:
    return (
        Person.objects.filter(improvements_involved_in=improvement_id)
        .order_by("last_name", "first_name", "pk")
        .values_list("first_name", "last_name")
    )


@prepared
def _principles(*, content_type_id: int, improvement_id: int) -> QuerySet[Principle, Any]:
    return (
        Principle.objects.filter(tags__content_type_id=content_type_id, tags__object_id=improvement_id)
        .order_by("order", "pk")
        .values_list("title", flat=True)
    )


@prepared
def _rounds(*, improvement_id: int) -> QuerySet[ImprovementRound, Any]:
    return ImprovementRound.objects.filter(improvement_id=improvement_id).order_by("number").values_list(*_ROUND_FIELDS)


@prepared
def _cases(*, improvement_id: int) -> QuerySet[ImprovementCase, Any]:
    return (
        ImprovementCase.objects.filter(improvement_id=improvement_id)
        .order_by("created_at", "pk")
        .values_list("case_id", "case__number")
    )


@prepared
def _move_rows(*, improvement_id: int) -> QuerySet[StageMove, Any]:
    return (
        StageMove.objects.filter(improvement_id=improvement_id)
        .order_by("at", "pk")
        .values_list("from_stage", "to_stage", "person__first_name", "person__last_name", "at", "round_id")
    )


@prepared
def _spread_rows(*, improvement_id: int, both_ways: bool) -> QuerySet[Spread, Any]:
    rows = Spread.objects.filter(copy_id=improvement_id)
    if both_ways:
        rows = Spread.objects.filter(Q(original_id=improvement_id) | Q(copy_id=improvement_id))
    return rows.order_by("created_at", "pk").values_list(
        "original_id", "copy_id", "original__title", "original__unit__name", "copy__unit__name"
    )


def spread_links(*, improvement: Improvement) -> SpreadLinks:
    """Where an improvement spread to (its copies' ids and units, oldest first) and where it came from, if it is a
    copy: one query; only the latter for an improvement that cannot have spread (only one done and adopted does)."""
    adopted = improvement.stage == Stage.DONE and improvement.outcome in (Outcome.ADOPTED, Outcome.ADAPTED)
    to = []
    from_original = None
    for original_id, copy_id, title, original_unit, copy_unit in _spread_rows(
        improvement_id=improvement.pk, both_ways=adopted
    ):
        if copy_id == improvement.pk:
            from_original = (original_id, title, original_unit)
        else:
            to.append((copy_id, copy_unit))
    return SpreadLinks(to, from_original)


def _moves(improvement_id: int, labels: dict[str, str], round_numbers: dict[int, int]) -> list[MoveRow]:
    """The history of moves, oldest first, with each text written once: a stage change and a round's label per
    kind, not per move; the rounds' numbers by their ids, from the rounds read already."""
    changes: dict[tuple[str, str], str] = {}
    rounds: dict[int, str] = {}
    moves = []
    for from_stage, to_stage, first, last, at, round_id in _move_rows(improvement_id=improvement_id):
        number = round_numbers[round_id]
        change = changes.get((from_stage, to_stage))
        if change is None:
            change = changes[from_stage, to_stage] = MOVE_CHANGE % {"from": labels[from_stage], "to": labels[to_stage]}
        round_label = rounds.get(number)
        if round_label is None:
            round_label = rounds[number] = ROUND_LABEL % {"number": number}
        when = formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")
        moves.append(MoveRow(change, f"{first} {last}", at, when, round_label))
    return moves


def improvement_page(*, person: Person | None, improvement_id: int) -> ImprovementPage:
    """An improvement with its people, principles, rounds (each stage's answers), the history of its moves, the
    cases it came from and where it spread: the improvement with its unit and people in one query, each list in one
    more (each a prepared query). 404 for an improvement missing or not seen alike (as `improvement_get`)."""
    visibility = _visibility(person)
    found = _improvement_row(improvement_id=improvement_id, municipality_id=visibility.municipality_id)
    if not found:
        raise Http404
    improvement = _improvement_of(found[0])
    if not visibility.sees(municipality_id=improvement.municipality_id, path=improvement.unit.path):
        raise Http404
    involved = [f"{first} {last}" for first, last in _involved(improvement_id=improvement.pk)]
    principles = _principles(
        content_type_id=ContentType.objects.get_for_model(Improvement).pk, improvement_id=improvement.pk
    )
    rounds = [
        ImprovementRound.from_db(DEFAULT_DB_ALIAS, _ROUND_FIELDS, row) for row in _rounds(improvement_id=improvement.pk)
    ]
    labels = stage_labels()
    stage = improvement.stage
    return ImprovementPage(
        cases=_cases(improvement_id=improvement.pk),
        improvement=improvement,
        involved=involved,
        principles=principles,
        rounds=rounds,
        moves=_moves(improvement.pk, labels, {round_.pk: round_.number for round_ in rounds}),
        next_stage=next_stage(stage),
        previous_stage=previous_stage(stage, improvement.round_number),
        stage_label=labels[stage],
        outcome_label=str(dict(Outcome.choices).get(improvement.outcome, "")) if improvement.outcome else "",
        spread=spread_links(improvement=improvement),
    )


def unit_people(*, unit: Unit) -> list[tuple[int, str]]:
    """The active people of the unit and the units below it, as (id, name): who may own or join an improvement."""
    rows = (
        Person.objects.filter(is_active=True, memberships__unit__path__below=unit.path)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")
        .distinct()
    )
    return [(pk, f"{first} {last}") for pk, first, last in rows]


def principle_choices() -> list[tuple[int, str]]:
    """The principles, as (id, title), for tagging an improvement."""
    return list(Principle.objects.order_by("order").values_list("pk", "title"))


def improvement_principle_ids(*, improvement: Improvement) -> list[int]:
    """The ids of the principles the improvement is tagged with (for its edit form)."""
    return list(
        Principle.objects.filter(
            tags__content_type=ContentType.objects.get_for_model(Improvement), tags__object_id=improvement.pk
        ).values_list("pk", flat=True)
    )


def my_board_units(*, person: Person | None) -> list[tuple[int, str]]:
    """The units the person belongs to, as (id, name), from the roles read with them (no query)."""
    if person is None:
        return []
    seen: dict[int, str] = {}
    for membership in getattr(person, "unit_roles", []):
        seen.setdefault(membership.unit_id, membership.unit_name)
    return sorted(seen.items(), key=lambda item: item[1])


@dataclass(frozen=True)
class SummaryForPublication:
    """An adopted improvement's summary for residents, with what "Du sa – vi gjorde" shows beside it."""

    improvement: Improvement
    you_said: str
    we_did: str
    done_on: datetime.date
    category_ids: list[int]  # the categories of the resident cases it came from
    principle_ids: list[int]


def resident_summary_for_publication(*, person: Person | None, improvement_id: int) -> SummaryForPublication:
    """The summary of an improvement the person sees, for publishing (openresults); 404 without one."""
    improvement = improvement_get(person=person, improvement_id=improvement_id)
    texts = ResidentSummary.objects.filter(improvement=improvement).values_list("you_said", "we_did").first()
    if texts is None or improvement.finished_at is None:
        raise Http404
    category_ids = list(
        ImprovementCase.objects.filter(improvement=improvement)
        .order_by("case__category_id")
        .values_list("case__category_id", flat=True)
        .distinct()
    )
    return SummaryForPublication(
        improvement=improvement,
        you_said=texts[0],
        we_did=texts[1],
        done_on=timezone.localdate(improvement.finished_at),
        category_ids=category_ids,
        principle_ids=improvement_principle_ids(improvement=improvement),
    )


def resident_summaries_visible(*, person: Person | None, limit: int = 100) -> list[tuple[int, str, str]]:
    """The improvements with a summary for residents that the person sees, as (id, title, unit name), the latest
    written first: what they may publish (openresults)."""
    visibility = unit_visibility(person=person)
    if visibility is None:
        return []
    return list(
        Improvement.objects.filter(visibility.rows(), resident_summary__isnull=False)
        .order_by("-resident_summary__written_at", "-pk")
        .values_list("pk", "title", "unit__name")[:limit]
    )
