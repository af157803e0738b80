"""Reads of the staff side of the dialog: the inbox (keyset pages), a case's page, its photos and what is due.

Every read starts from `selectors.case_scope` (or `case_get`), made from `organisation.scoping`: staff see the
cases of their units and the units below them, registrars and administrators every case of their municipality,
nobody anything of another one.
"""

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import F, FilteredRelation, Model, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import formats, timezone

from brobygget.core.actors import Actor
from brobygget.core.calendar import add_working_days
from brobygget.core.prepared import prepared
from brobygget.dialog.case_sections import CASE_PAGE
from brobygget.dialog.models import AnswerTemplate, Case, CaseAttachment, CaseEntry, Category, Kind, Status
from brobygget.dialog.search import case_ids_matching, matching, words_match
from brobygget.dialog.selectors import case_get, case_scope
from brobygget.dialog.services import DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS, Promise
from brobygget.organisation.models import Membership, Person, Unit
from brobygget.organisation.scoping import (
    UNIT_IDS_LIMIT,
    UnitOption,
    Visibility,
    unit_filter_options,
    unit_ids_below,
    unit_visibility,
    units_below,
)
from brobygget.organisation.selectors import person_for_actor
from brobygget.organisation.workspace import Section

OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)
# Cases per inbox page: what a handler scans between two meetings, and about two screens of a phone. The pager
# goes on from there (keyset, so every page costs what the first does).
PAGE_SIZE = 25
# A case stands out as "due soon" from this many working days before its answer-by date.
DUE_SOON_WORKING_DAYS = 2
MY_PAGE_LIMIT = 20

ORDER_NEWEST = "nyast"
ORDER_URGENT = "bradskande"

OVERDUE = "overdue"
DUE_SOON = "due_soon"


@dataclass(frozen=True)
class Deadlines:
    """Today, and the last answer-by date that counts as due soon: one calendar look-up per page, not per row."""

    today: datetime.date
    soon_until: datetime.date

    @classmethod
    def on(cls, today: datetime.date) -> "Deadlines":
        return cls(today, add_working_days(today, DUE_SOON_WORKING_DAYS))

    def state(self, case: Case) -> str:
        """OVERDUE, DUE_SOON or "" for a case (closed and answered cases are never late)."""
        return self.state_of(case.status, case.answer_due)

    def state_of(self, status: str, answer_due: datetime.date) -> str:
        if status not in OPEN_STATUSES:
            return ""
        if answer_due < self.today:
            return OVERDUE
        if answer_due <= self.soon_until:
            return DUE_SOON
        return ""

    @staticmethod
    def answered_in_time(case: Case) -> bool:
        """True when the first answer came on or before the answer-by date (local time)."""
        return case.answered_at is not None and timezone.localdate(case.answered_at) <= case.answer_due

    def acknowledge_overdue(self, case: Case) -> bool:
        return case.acknowledged_at is None and case.is_open and case.acknowledge_due < self.today


@dataclass(frozen=True, slots=True)
class CategoryOption:
    pk: int
    name: str


@prepared
def _categories(*, municipality_id: int) -> QuerySet[Category, Any]:
    return Category.objects.filter(municipality_id=municipality_id).order_by("order", "name").values_list("pk", "name")


def categories_for_cases(*, person: Person | None) -> list[CategoryOption]:
    """The categories of the person's municipality, active or not (old cases keep retired categories)."""
    if person is None:
        return []
    return [CategoryOption(*values) for values in _categories(municipality_id=person.municipality_id)]


@dataclass(frozen=True)
class InboxQuery:
    """What the inbox is asked for: filters, order and the keyset cursor of the page."""

    status: str = ""
    kind: str = ""
    category: CategoryOption | None = None
    unit: UnitOption | None = None
    overdue: bool = False
    mine: bool = False
    order: str = ORDER_NEWEST
    after: str = ""
    start: int = 1
    words: tuple[str, ...] = ()  # the words searched for (dialog.search.terms), every one required


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as a list shows it: read as plain values with the names it needs, never as model instances."""

    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    category: str
    unit: str
    assignee: str  # "" when nobody handles it yet
    submitted_at: datetime.datetime
    answer_due: datetime.date
    state: str  # OVERDUE, DUE_SOON or ""
    received_label: str  # the local day it came in and the answer-by date, in the active language's SHORT_DATE_FORMAT
    answer_due_label: str
    news: bool = False  # the resident said something nobody on staff has opened the case since ("Nytt från invånaren")


_ROW_FIELDS = (
    "id",
    "number",
    "kind",
    "status",
    "submitted_at",
    "answer_due",
    "category__name",
    "unit__name",
    "assignee__first_name",
    "assignee__last_name",
    "resident_news_at",
)


class _ShortDates(dict[datetime.date, str]):
    """Dates in the active language's SHORT_DATE_FORMAT, each distinct date of a page looked up once."""

    def __missing__(self, day: datetime.date) -> str:
        self[day] = text = formats.date_format(day, "SHORT_DATE_FORMAT")
        return text


def _case_rows(values: list[tuple[Any, ...]], deadlines: Deadlines) -> list[CaseRow]:
    """Rows of `_ROW_FIELDS` values as the list shows them. Labels are translated, dates written and the time zone
    looked up once per page, not once per row."""
    kinds = {value: str(label) for value, label in Kind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    zone = timezone.get_current_timezone()
    state_of = deadlines.state_of
    dates = _ShortDates()
    rows = []
    for case_id, number, kind, status, submitted_at, answer_due, category, unit, first, last, news_at in values:
        rows.append(
            CaseRow(
                case_id,
                number,
                kind,
                kinds.get(kind, kind),
                status,
                statuses.get(status, status),
                category,
                unit,
                f"{first} {last}" if first is not None else "",
                submitted_at,
                answer_due,
                state_of(status, answer_due),
                dates[submitted_at.astimezone(zone).date()],
                dates[answer_due],
                news_at is not None,
            )
        )
    return rows


@dataclass(frozen=True)
class InboxPage:
    rows: list[CaseRow]
    first: int
    last: int
    next_cursor: str
    next_start: int
    urgent: bool
    visible: bool = True
    deadlines: Deadlines | None = field(default=None, compare=False)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _cursor_for(row: CaseRow, order: str) -> str:
    """The sort key of a row and its id: "<microseconds since 1970>_<id>" or "<answer-by date>_<id>"."""
    if order == ORDER_URGENT:
        return f"{row.answer_due.isoformat()}_{row.id}"
    return f"{(row.submitted_at - _EPOCH) // datetime.timedelta(microseconds=1)}_{row.id}"


def _after_cursor(cursor: str, order: str) -> tuple[datetime.date | datetime.datetime, int] | None:
    """The sort key and id a cursor names; None when the cursor is not one we made (the first page is shown then)."""
    key, _sep, raw_id = cursor.partition("_")
    if not raw_id.isdigit() or len(raw_id) > 18:
        return None
    try:
        if order == ORDER_URGENT:
            return datetime.date.fromisoformat(key), int(raw_id)
        return _EPOCH + datetime.timedelta(microseconds=int(key)), int(raw_id)
    except (ValueError, OverflowError):
        return None


def _inbox_cases(
    *,
    municipality_id: int,
    paths: list[str] | None,
    unit_path: str | None,
    unit_ids: list[int] | None,
    status: str | None,
    kind: str | None,
    category_id: int | None,
    assignee_id: int | None,
    open_only: bool,
    overdue_before: datetime.date | None,
    urgent: bool,
    after_due: datetime.date | None,
    after_submitted: datetime.datetime | None,
    after_id: int | None,
    match: str | None = None,
    match_ids: list[int] | None = None,
) -> QuerySet[Case, Any]:
    """The inbox's query: `paths` is the person's visibility (None: the whole municipality), `unit_ids` a hint
    for the database (see inbox_page); the `after_*` values are the keyset cursor; `match` the search's query
    (dialog.search.words_match), or `match_ids` the few cases it matches (dialog.search.case_ids_matching)."""
    cases = Case.objects.filter(municipality_id=municipality_id)
    if match is not None:
        cases = cases.filter(matching(match))
    if match_ids is not None:
        cases = cases.filter(pk__in=match_ids)
    if paths is not None:
        cases = cases.filter(units_below(paths, prefix="unit__"))
    if status is not None:
        cases = cases.filter(status=status)
    if kind is not None:
        cases = cases.filter(kind=kind)
    if category_id is not None:
        cases = cases.filter(category_id=category_id)
    if unit_path is not None:
        cases = cases.filter(unit__path__below=unit_path)
    if unit_ids is not None:
        cases = cases.filter(unit_id__in=unit_ids)
    if assignee_id is not None:
        cases = cases.filter(assignee_id=assignee_id)
    if open_only:
        cases = cases.filter(status__in=OPEN_STATUSES)
    if overdue_before is not None:
        cases = cases.filter(answer_due__lt=overdue_before)
    # The lower or upper bound on the sort column comes first and alone, so that PostgreSQL can use it as the
    # index condition and the tie-break on the id only filters the few rows that share the key.
    if after_due is not None and after_id is not None:
        cases = cases.filter(Q(answer_due__gte=after_due) & (Q(answer_due__gt=after_due) | Q(pk__gt=after_id)))
    if after_submitted is not None and after_id is not None:
        cases = cases.filter(
            Q(submitted_at__lte=after_submitted) & (Q(submitted_at__lt=after_submitted) | Q(pk__lt=after_id))
        )
    ordering = ["answer_due", "id"] if urgent else ["-submitted_at", "-id"]
    return cases.order_by(*ordering).values_list(*_ROW_FIELDS)


@prepared
def _inbox_rows(**arguments: Any) -> QuerySet[Case, Any]:
    """A page of `_inbox_cases` (and one more row, to know whether there is a next page)."""
    return _inbox_cases(**arguments)[: PAGE_SIZE + 1]


def inbox_page(
    *,
    person: Person | None,
    query: InboxQuery,
    today: datetime.date,
    visibility: Visibility | None = None,
) -> InboxPage:
    """One page of the cases the person may see, filtered; keyset-paginated, so page 1 000 costs what page 1 does.

    "Most urgent first" lists open cases only, by answer-by date; "newest first" every case by when it came in.
    No count over all matching rows is made: the page knows its own position from the link that led to it.

    When the cases are those of a hundred units or fewer, their ids are spelled out in the query: that only helps
    the database (PostgreSQL then reads a team's newest cases from an index instead of walking the whole
    municipality's by date); the scope still decides what is visible."""
    deadlines = Deadlines.on(today)
    urgent = query.order == ORDER_URGENT
    if visibility is None:
        visibility = unit_visibility(person=person)
    if visibility is None or person is None:
        return InboxPage([], 0, 0, "", 0, urgent, visible=False, deadlines=deadlines)
    after = _after_cursor(query.after, query.order) if query.after else None
    start = max(query.start, 1) if after is not None else 1
    values = _inbox_rows(**_inbox_arguments(person, visibility, query, today, after))
    fetched = _case_rows(values, deadlines)
    more = len(fetched) > PAGE_SIZE
    rows = fetched[:PAGE_SIZE]
    next_cursor = _cursor_for(rows[-1], query.order) if more else ""
    last = start + len(rows) - 1 if rows else 0
    return InboxPage(rows, start if rows else 0, last, next_cursor, last + 1, urgent, deadlines=deadlines)


def _inbox_arguments(
    person: Person,
    visibility: Visibility,
    query: InboxQuery,
    today: datetime.date,
    after: tuple[datetime.date | datetime.datetime, int] | None,
) -> dict[str, Any]:
    """The arguments of `_inbox_cases` for a person's query, from `after` (a cursor's key and id) on."""
    urgent = query.order == ORDER_URGENT
    paths = None if visibility.everything else list(visibility.paths)
    unit_path = query.unit.path if query.unit is not None else None
    unit_ids = None
    if paths is not None or unit_path is not None:
        below = unit_ids_below(paths=paths, under=unit_path)
        unit_ids = below if len(below) <= UNIT_IDS_LIMIT else None
    return dict(
        municipality_id=visibility.municipality_id,
        paths=paths,
        unit_path=unit_path,
        unit_ids=unit_ids,
        status=query.status or None,
        kind=query.kind or None,
        category_id=query.category.pk if query.category is not None else None,
        assignee_id=person.pk if query.mine else None,
        open_only=query.overdue or urgent,
        overdue_before=today if query.overdue else None,
        urgent=urgent,
        after_due=after[0] if after is not None and urgent else None,  # type: ignore[arg-type]
        after_submitted=after[0] if after is not None and not urgent else None,  # type: ignore[arg-type]
        after_id=after[1] if after is not None else None,
        **_search_arguments(query.words),
    )


def _search_arguments(words: tuple[str, ...]) -> dict[str, Any]:
    """`match` or `match_ids` for the words searched (see dialog.search); neither without words."""
    if not words:
        return {"match": None, "match_ids": None}
    match = words_match(list(words))
    ids = case_ids_matching(match)
    if ids is None:
        return {"match": match, "match_ids": None}
    return {"match": None, "match_ids": ids or [0]}  # no case has the id 0: none matches


# An export holds at most this many cases: more is a selection to narrow, not a list anyone reads (a year of a
# city's cases is some 100,000). The file is written as it is read, in chunks of EXPORT_CHUNK.
EXPORT_MAX_ROWS = 100_000
EXPORT_CHUNK = 2_000


@dataclass(frozen=True)
class InboxExport:
    """The whole selection of the inbox (every page), to be written as a file: `count` cases, read in chunks."""

    count: int
    too_many: bool  # more than `limit` (EXPORT_MAX_ROWS) cases: no rows are read
    limit: int
    chunks: Iterator[list[CaseRow]]


def inbox_export(
    *, person: Person | None, query: InboxQuery, today: datetime.date, visibility: Visibility | None = None
) -> InboxExport:
    """Every case of the inbox's selection (its filters, search and order, from the first page), in chunks of
    EXPORT_CHUNK rows read from one query as the file is written; two queries in all, however many cases."""
    deadlines = Deadlines.on(today)
    if visibility is None:
        visibility = unit_visibility(person=person)
    if visibility is None or person is None:
        return InboxExport(0, False, EXPORT_MAX_ROWS, iter(()))
    cases = _inbox_cases(**_inbox_arguments(person, visibility, query, today, None))
    count = cases.order_by()[: EXPORT_MAX_ROWS + 1].count()
    if count > EXPORT_MAX_ROWS:
        return InboxExport(count, True, EXPORT_MAX_ROWS, iter(()))

    def chunks() -> Iterator[list[CaseRow]]:
        values = cases.iterator(chunk_size=EXPORT_CHUNK)
        while chunk := list(itertools.islice(values, EXPORT_CHUNK)):
            yield _case_rows(chunk, deadlines)

    return InboxExport(count, False, EXPORT_MAX_ROWS, chunks())


def _attnames(model: type[Model], only: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The model's columns (of those named in `only`) in the order of its fields, as `Model.from_db` takes them."""
    return tuple(f.attname for f in model._meta.concrete_fields if only is None or f.attname in only)


_CASE_FIELDS = _attnames(Case)
# What the case page and its frequent actions use of the rows a case names, read with the case as select_related()
# with only() would read them (the rest is deferred); the municipality is the person's own, read with them.
_CASE_RELATIONS = tuple(
    (descriptor.field, model, _attnames(model, only))
    for descriptor, model, only in (
        (Case.category, Category, ("id", "name")),
        (Case.unit, Unit, ("id", "municipality_id", "name", "path")),
        (Case.assignee, Person, ("id", "first_name", "last_name")),
    )
)
_ENTRY_KINDS = dict(CaseEntry.Kind.choices)
_MAIL_STATUSES = dict(CaseEntry.MailStatus.choices)
# The kinds of entry the resident sees: CaseEntry.visible_to_resident (tests/dialog check that the two agree).
RESIDENT_SEES = frozenset({CaseEntry.Kind.ANSWER, CaseEntry.Kind.RESIDENT_REPLY, CaseEntry.Kind.FOLLOW_UP})
_PROMISE_FIELDS = ("acknowledge_days", "answer_days")
# Larger than any id: a case id from a URL beyond it is no case, and no database parameter either.
_ID_LIMIT = 2**63
_DEFAULT_PROMISE = Promise(DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS)


@prepared
def _case_row(*, municipality_id: int, case_id: int) -> QuerySet[Case, Any]:
    """A case of the municipality in one row: its fields, the number of the case it duplicates, what the page uses
    of its category, unit and handler (`_CASE_RELATIONS`), and the promises of its category for its kind and for
    any kind (the rule of `services.promise_for`).

    Whether the person sees the case is decided from its unit's path (`Visibility.sees`), not in the query: SQLite
    prepares a statement whose GLOB has a bound pattern anew on every run, which for this one took 0.35 ms."""
    related = (f"{relation.name}__{name}" for relation, _model, names in _CASE_RELATIONS for name in names)
    promises = {
        "own": FilteredRelation("category__promises", condition=Q(category__promises__kind=F("kind"))),
        "any": FilteredRelation("category__promises", condition=Q(category__promises__kind="")),
    }
    return (
        Case.objects.filter(municipality_id=municipality_id, pk=case_id)
        .alias(**promises)
        .order_by()
        .values_list(
            *_CASE_FIELDS,
            "duplicate_of__number",
            *related,
            *(f"{which}__{name}" for which in promises for name in _PROMISE_FIELDS),
        )
    )


@prepared
def _entries(*, case_id: int) -> QuerySet[CaseEntry, Any]:
    """A case's history, oldest first, with the name of each entry's author (none: the resident or the system)."""
    authors = ("author_id", "author__first_name", "author__last_name")
    entries = CaseEntry.objects.filter(case_id=case_id).order_by("created_at", "id")
    return entries.values_list("kind", "text", "created_at", "mail_status", *authors)


@prepared
def _photos(*, case_id: int) -> QuerySet[CaseAttachment, Any]:
    return CaseAttachment.objects.filter(case_id=case_id).order_by("id").values_list("id", "width", "height")


@prepared
def _duplicates(*, municipality_id: int, case_id: int) -> QuerySet[Case, Any]:
    """The cases linked as duplicates of the case, with their units' paths (the page lists those the person sees)."""
    return (
        Case.objects.filter(municipality_id=municipality_id, duplicate_of_id=case_id)
        .order_by("id")
        .values_list("id", "number", "unit__path")
    )


@prepared
def _answer_templates(*, municipality_id: int) -> QuerySet[AnswerTemplate, Any]:
    return (
        AnswerTemplate.objects.filter(municipality_id=municipality_id, is_active=True)
        .order_by("title", "id")
        .values_list("id", "title", "text")
    )


@prepared
def _unit_people(*, municipality_id: int, unit_id: int) -> QuerySet[Person, Any]:
    """The active people of a unit, by name: whom its cases can be given to."""
    return (
        Person.objects.filter(
            is_active=True,
            municipality_id=municipality_id,
            pk__in=Subquery(Membership.objects.filter(unit_id=unit_id).values("person_id")),
        )
        .order_by("last_name", "first_name", "id")
        .values_list("id", "first_name", "last_name")
    )


@dataclass(frozen=True, slots=True)
class EntryRow:
    """An entry of a case's history as its page shows it, with its labels: read as values, its kind's and mail's
    labels looked up once (get_kind_display() translated every label of the choices, for every entry)."""

    kind: str
    kind_label: str
    text: str
    created_at: datetime.datetime
    author: str  # the full name of who on staff wrote it; "" for the resident or the system
    visible_to_resident: bool
    mail_status_label: str  # "" when no mail goes with it


@dataclass(frozen=True, slots=True)
class TemplateOption:
    """An active answer template as the answer form offers it."""

    pk: int
    title: str
    text: str


@dataclass(frozen=True)
class CasePage:
    """Everything a case's page shows, read in a fixed number of queries."""

    case: Case
    entries: list[EntryRow]
    attachments: list[tuple[int, int, int]]  # (id, width, height) of the photos
    duplicate_of_number: str | None  # the number of the case this one duplicates
    duplicates: list[tuple[int, str]]  # (id, number) of the cases that duplicate this one
    promise: Promise
    templates: list[TemplateOption]
    people: list[tuple[int, str]]  # (id, full name) of the active people of the case's own unit
    deadlines: Deadlines
    sections: list[Section]  # what other apps show of the case (dialog.case_sections.CASE_PAGE)


def _instance[M: Model](model: type[M], fields: tuple[str, ...], values: tuple[Any, ...]) -> M | None:
    """A model instance from values of its fields (its id first, the rest deferred), as only() makes one; None for
    a relation to no row."""
    return None if values[0] is None else model.from_db(DEFAULT_DB_ALIAS, fields, values)


def case_page(*, person: Person | None, case_id: int, today: datetime.date) -> CasePage:
    """A case the person may see with its history and the choices of its frequent actions (answer, give to a
    handler, status); 404 when missing or not visible. The rarer actions have pages of their own
    (`case_move_units`, `case_categories`), so this page does not read the tree of units or the categories.

    The case is `case_in_scope`'s, with what the page uses of its category, unit and handler read with it, and the
    person's municipality. Every query is prepared (`core.prepared`): building and compiling them was half of the
    page.

    A case is given to a person of its own unit; to give it to someone elsewhere, move it first."""
    visibility = unit_visibility(person=person)
    if visibility is None or person is None or not 0 < case_id < _ID_LIMIT:
        raise Http404
    municipality_id = visibility.municipality_id
    rows = _case_row(municipality_id=municipality_id, case_id=case_id)
    if not rows:
        raise Http404
    values = iter(rows[0])

    def take(count: int) -> tuple[Any, ...]:
        return tuple(itertools.islice(values, count))

    case = Case.from_db(DEFAULT_DB_ALIAS, _CASE_FIELDS, take(len(_CASE_FIELDS)))
    duplicate_of_number = next(values)
    for relation, model, names in _CASE_RELATIONS:
        relation.set_cached_value(case, _instance(model, names, take(len(names))))
    if not visibility.sees(municipality_id=municipality_id, path=case.unit.path):
        raise Http404
    Case.municipality.field.set_cached_value(case, person.municipality)
    own, any_kind = take(2), take(2)  # the promise for the case's kind, or for any kind
    chosen = own if own[0] is not None else any_kind
    promise = Promise(*chosen) if chosen[0] is not None else _DEFAULT_PROMISE

    entries = [
        EntryRow(
            kind=kind,
            kind_label=str(_ENTRY_KINDS.get(kind, kind)),
            text=text,
            created_at=created_at,
            author=f"{first_name} {last_name}" if author_id is not None else "",  # Person.full_name
            visible_to_resident=kind in RESIDENT_SEES,
            mail_status_label=str(_MAIL_STATUSES.get(mail_status, mail_status)) if mail_status else "",
        )
        for kind, text, created_at, mail_status, author_id, first_name, last_name in _entries(case_id=case_id)
    ]
    people = _unit_people(municipality_id=case.municipality_id, unit_id=case.unit_id)
    return CasePage(
        case=case,
        entries=entries,
        attachments=_photos(case_id=case_id),
        duplicate_of_number=duplicate_of_number,
        duplicates=[
            (pk, number)
            for pk, number, path in _duplicates(municipality_id=municipality_id, case_id=case_id)
            if visibility.sees(municipality_id=municipality_id, path=path)
        ],
        promise=promise,
        templates=[TemplateOption(*row) for row in _answer_templates(municipality_id=case.municipality_id)],
        people=[(pk, f"{first_name} {last_name}") for pk, first_name, last_name in people],  # Person.full_name
        deadlines=Deadlines.on(today),
        sections=CASE_PAGE(case, person),
    )


def case_move_units(*, case: Case, open_unit: str = "") -> list[UnitOption]:
    """The units the page "Move the case" offers, a level at a time as the inbox's unit filter does: the top of the
    tree, its next level, and the `open_unit`'s ancestors and children (by default the level the case's unit is on).

    Anyone who may see the case may move it anywhere in its municipality (the unit that gets it decides). A city has
    1,500 units: one list of them all was long to scroll and to hear, and made the page grow with the municipality."""
    whole = Visibility(case.municipality_id, everything=True, paths=())
    if open_unit:
        return unit_filter_options(visibility=whole, chosen=open_unit)
    parent = str(case.unit.parent_id or case.unit_id)
    return unit_filter_options(visibility=whole, chosen=parent, chosen_path=case.unit.parent_path)


def case_categories(*, case: Case) -> list[tuple[int, str]]:
    """The categories of the case's municipality, active or not, as (id, name): the page "Correct the category"."""
    return [(pk, name) for pk, name in _categories(municipality_id=case.municipality_id)]


def case_visible(*, person: Person | None, case_id: int) -> bool:
    """Whether the person may still see the case (after moving it elsewhere, they may not)."""
    scope = case_scope(person=person)
    return scope is not None and Case.objects.filter(scope, pk=case_id).exists()


def case_unit_choice(*, case: Case, unit_id: str) -> Unit:
    """The unit of the case's municipality chosen in the move form (which offers them as (id, name) pairs)."""
    unit = Unit.objects.filter(municipality_id=case.municipality_id, pk=int(unit_id)).first()
    if unit is None:  # the form only accepts the units it offered, so only a unit deleted meanwhile gets here
        raise Http404
    return unit


def case_category_choice(*, case: Case, category_id: str) -> Category:
    """The category of the case's municipality chosen in the category form (which offers them as (id, name) pairs)."""
    category = Category.objects.filter(municipality_id=case.municipality_id, pk=int(category_id)).first()
    if category is None:  # the form only accepts the categories it offered
        raise Http404
    return category


def case_assignee_choice(*, case: Case, person_id: str) -> Person:
    """The person chosen in the move form (which offers them as (id, name) pairs); the service checks their unit."""
    person = Person.objects.filter(municipality_id=case.municipality_id, pk=int(person_id)).first()
    if person is None:  # the form only accepts the people it offered
        raise Http404
    return person


def case_attachment_get(*, actor: Actor, case_id: int, attachment_id: int) -> CaseAttachment:
    """A photo of a case the actor may see; 404 for a missing photo, a missing case and a case not visible alike."""
    case = case_get(person=person_for_actor(actor=actor), case_id=case_id)
    attachment = CaseAttachment.objects.filter(case_id=case.pk, pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def case_by_number(*, person: Person | None, number: str) -> Case | None:
    """A case the person may see, by its number in their municipality (for linking duplicates); None otherwise."""
    scope = case_scope(person=person)
    if scope is None or person is None:
        return None
    return Case.objects.filter(scope, number=number.strip().upper()).select_related("duplicate_of").first()


def answer_template_get(*, municipality_id: int, template_id: str | None) -> AnswerTemplate | None:
    """An active answer template of the municipality, from an untrusted id; None when there is no such template."""
    if not template_id or not template_id.isdigit():
        return None
    return AnswerTemplate.objects.filter(municipality_id=municipality_id, is_active=True, pk=int(template_id)).first()


_DUE_ROW_FIELDS = ("id", "number", "status", "answer_due", "unit__name")


type DueValues = tuple[int, str, str, datetime.date, str]


@prepared
def responsible_cases_due(
    *, person_id: int, municipality_id: int, soon_until: datetime.date, led_unit_ids: list[int]
) -> QuerySet[Case, DueValues]:
    """Open cases due by `soon_until` (overdue included) that the person answers for: assigned to them, or
    unassigned in a unit they lead (`led_unit_ids`, which "Min sida" has read already), as rows of
    `_DUE_ROW_FIELDS`, most urgent first.

    The two kinds are one `UNION ALL` of two selects rather than one select with `OR`: each half has its own index
    (the assignee's; `unit, status, answer_due`), where the `OR` made the database read every due case of the
    municipality (thousands in a city) and keep the few that were the person's."""
    # No ordering in the halves: the union is ordered. The assigned half names no municipality (a person handles
    # cases of their own only), so that even SQLite, which keeps no statistics, reads it by the assignee's index.
    open_due = Case.objects.order_by().filter(status__in=OPEN_STATUSES, answer_due__lte=soon_until)
    assigned = open_due.filter(assignee_id=person_id).values_list(*_DUE_ROW_FIELDS)
    unassigned = open_due.filter(
        municipality_id=municipality_id, assignee__isnull=True, unit_id__in=led_unit_ids
    ).values_list(*_DUE_ROW_FIELDS)
    union = assigned.union(unassigned, all=True).order_by("answer_due", "id")
    return union[: MY_PAGE_LIMIT + 1]  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class DueRow:
    """A case as "Min sida" lists it: its number, answer-by date and how late it is, and its unit."""

    id: int
    number: str
    answer_due: datetime.date
    state: str
    unit: str


@dataclass(frozen=True)
class MyCases:
    rows: list[DueRow]
    more: bool


def my_cases_due(*, person: Person, today: datetime.date, led_unit_ids: tuple[int, ...]) -> MyCases:
    """The first cases of `responsible_cases_due` for "Min sida", in one query however many there are."""
    deadlines = Deadlines.on(today)
    due = responsible_cases_due(
        person_id=person.pk,
        municipality_id=person.municipality_id,
        soon_until=deadlines.soon_until,
        led_unit_ids=list(led_unit_ids),
    )
    fetched = [
        DueRow(case_id, number, answer_due, deadlines.state_of(status, answer_due), unit)
        for case_id, number, status, answer_due, unit in due
    ]
    return MyCases(fetched[:MY_PAGE_LIMIT], len(fetched) > MY_PAGE_LIMIT)
