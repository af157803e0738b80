"""Reads of the staff side of the dialog: the inbox (keyset pages), a case's page, its photos and what is due.

Every read starts from `selectors.case_scope` (or `case_get`): staff see the cases of their units and the units
below them, registrars and administrators every case of their municipality, nobody anything of another one.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from brobygget.core.actors import Actor
from brobygget.core.calendar import add_working_days
from brobygget.dialog.models import AnswerTemplate, Case, CaseAttachment, CaseEntry, Category, Kind, Status
from brobygget.dialog.selectors import Visibility, case_get, case_in_scope, case_scope
from brobygget.dialog.services import Promise, promise_for
from brobygget.organisation.models import Membership, Person, Unit
from brobygget.organisation.selectors import person_for_actor

OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)
PAGE_SIZE = 50
# A case stands out as "due soon" from this many working days before its answer-by date.
DUE_SOON_WORKING_DAYS = 2
MY_PAGE_LIMIT = 20
# Up to this many visible units, the inbox names them in its query (see inbox_page).
UNIT_HINT_LIMIT = 100

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
class UnitOption:
    """A unit as a filter offers it: read as plain values, since a city's registrar sees 1,500 of them."""

    pk: int
    name: str
    path: str


def units_for_cases(*, visibility: Visibility | None) -> list[UnitOption]:
    """Units whose cases the person may see (as filter choices): their units and below, or all for registrars."""
    if visibility is None:
        return []
    units = Unit.objects.filter(visibility.units(), municipality_id=visibility.municipality_id)
    return [UnitOption(*values) for values in units.order_by("name", "id").values_list("id", "name", "path")]


def categories_for_cases(*, person: Person | None) -> list[Category]:
    """The categories of the person's municipality, active or not (old cases keep retired categories)."""
    if person is None:
        return []
    return list(Category.objects.filter(municipality_id=person.municipality_id).order_by("order", "name"))


@dataclass(frozen=True)
class InboxQuery:
    """What the inbox is asked for: filters, order and the keyset cursor of the page."""

    status: str = ""
    kind: str = ""
    category: Category | None = None
    unit: UnitOption | None = None
    overdue: bool = False
    mine: bool = False
    order: str = ORDER_NEWEST
    after: str = ""
    start: int = 1


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
    received_on: datetime.date
    answer_due: datetime.date
    state: str  # OVERDUE, DUE_SOON or ""


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
)


def _case_rows(cases: QuerySet[Case], deadlines: Deadlines, limit: int) -> list[CaseRow]:
    """Up to `limit` rows of the cases in their order, in one query. Labels are translated once per page."""
    kinds = {value: str(label) for value, label in Kind.choices}
    statuses = {value: str(label) for value, label in Status.choices}
    return [
        CaseRow(
            id=values["id"],
            number=values["number"],
            kind=values["kind"],
            kind_label=kinds.get(values["kind"], values["kind"]),
            status=values["status"],
            status_label=statuses.get(values["status"], values["status"]),
            category=values["category__name"],
            unit=values["unit__name"],
            assignee=f"{values['assignee__first_name']} {values['assignee__last_name']}"
            if values["assignee__first_name"] is not None
            else "",
            submitted_at=values["submitted_at"],
            received_on=timezone.localdate(values["submitted_at"]),
            answer_due=values["answer_due"],
            state=deadlines.state_of(values["status"], values["answer_due"]),
        )
        for values in cases.values(*_ROW_FIELDS)[:limit]
    ]


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


def _after_cursor(cursor: str, order: str) -> Q | None:
    """The rows after a cursor; None when the cursor is not one we made (the first page is shown then).

    The lower or upper bound on the sort column comes first and alone, so that PostgreSQL can use it as the
    index condition and the tie-break on the id only filters the few rows that share the key."""
    key, _sep, raw_id = cursor.partition("_")
    if not raw_id.isdigit():
        return None
    case_id = int(raw_id)
    try:
        if order == ORDER_URGENT:
            due = datetime.date.fromisoformat(key)
            return Q(answer_due__gte=due) & (Q(answer_due__gt=due) | Q(pk__gt=case_id))
        submitted = _EPOCH + datetime.timedelta(microseconds=int(key))
    except (ValueError, OverflowError):
        return None
    return Q(submitted_at__lte=submitted) & (Q(submitted_at__lt=submitted) | Q(pk__lt=case_id))


def inbox_page(
    *,
    person: Person | None,
    query: InboxQuery,
    today: datetime.date,
    units: list[UnitOption] | None = None,
    visibility: Visibility | None = None,
) -> InboxPage:
    """One page of the cases the person may see, filtered; keyset-paginated, so page 1 000 costs what page 1 does.

    "Most urgent first" lists open cases only, by answer-by date; "newest first" every case by when it came in.
    No count over all matching rows is made: the page knows its own position from the link that led to it.

    `units` (from `units_for_cases`, which the page has read for its filter anyway) only helps the database: with
    the few unit ids of a team spelled out, PostgreSQL reads that unit's newest cases from an index instead of
    walking the whole municipality's by date. The scope still decides what is visible."""
    deadlines = Deadlines.on(today)
    urgent = query.order == ORDER_URGENT
    scope = case_scope(person=person, visibility=visibility)
    if scope is None or person is None:
        return InboxPage([], 0, 0, "", 0, urgent, visible=False, deadlines=deadlines)
    cases = Case.objects.filter(scope)
    if query.status:
        cases = cases.filter(status=query.status)
    if query.kind:
        cases = cases.filter(kind=query.kind)
    if query.category is not None:
        cases = cases.filter(category_id=query.category.pk)
    if query.unit is not None:
        cases = cases.filter(unit__path__startswith=query.unit.path)
    if units is not None:
        below = [u.pk for u in units if query.unit is None or u.path.startswith(query.unit.path)]
        if len(below) <= UNIT_HINT_LIMIT:
            cases = cases.filter(unit_id__in=below)
    if query.mine:
        cases = cases.filter(assignee_id=person.pk)
    if query.overdue or urgent:
        cases = cases.filter(status__in=OPEN_STATUSES)
    if query.overdue:
        cases = cases.filter(answer_due__lt=today)
    ordering = ["answer_due", "id"] if urgent else ["-submitted_at", "-id"]
    if query.after and (after := _after_cursor(query.after, query.order)) is not None:
        cases = cases.filter(after)
        start = max(query.start, 1)
    else:
        start = 1
    fetched = _case_rows(cases.order_by(*ordering), deadlines, PAGE_SIZE + 1)
    more = len(fetched) > PAGE_SIZE
    rows = fetched[:PAGE_SIZE]
    next_cursor = _cursor_for(rows[-1], query.order) if more else ""
    last = start + len(rows) - 1 if rows else 0
    return InboxPage(rows, start if rows else 0, last, next_cursor, last + 1, urgent, deadlines=deadlines)


@dataclass(frozen=True)
class CasePage:
    """Everything a case's page shows, read in a fixed number of queries."""

    case: Case
    entries: list[CaseEntry]
    attachments: list[CaseAttachment]
    duplicates: list[Case]
    promise: Promise
    templates: list[AnswerTemplate]
    categories: list[Category]
    units: list[Unit]
    people: list[Person]
    deadlines: Deadlines


def case_page(*, person: Person | None, case_id: int, today: datetime.date) -> CasePage:
    """A case the person may see with its history and the choices of its actions; 404 when missing or not visible."""
    scope = case_scope(person=person)
    case = case_in_scope(scope=scope, case_id=case_id)
    entries = list(case.entries.select_related("author").order_by("created_at", "id"))
    attachments = list(case.attachments.order_by("id"))
    duplicates = list(Case.objects.filter(scope, duplicate_of_id=case.pk).only("id", "number").order_by("id"))
    templates = list(AnswerTemplate.objects.filter(municipality_id=case.municipality_id, is_active=True))
    categories = list(Category.objects.filter(municipality_id=case.municipality_id).order_by("order", "name"))
    units = list(Unit.objects.filter(municipality_id=case.municipality_id).only("id", "name").order_by("name", "id"))
    people = list(
        Person.objects.filter(
            is_active=True,
            municipality_id=case.municipality_id,
            pk__in=Subquery(Membership.objects.filter(unit__path__startswith=case.unit.path).values("person_id")),
        ).order_by("last_name", "first_name", "id")
    )
    return CasePage(
        case=case,
        entries=entries,
        attachments=attachments,
        duplicates=duplicates,
        promise=promise_for(category=case.category, kind=case.kind),
        templates=templates,
        categories=categories,
        units=units,
        people=people,
        deadlines=Deadlines.on(today),
    )


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


def responsible_cases_due(
    *, person: Person, today: datetime.date, led_unit_ids: tuple[int, ...]
) -> QuerySet[Case, DueValues]:
    """Open cases due within the due-soon window or overdue that the person answers for: assigned to them, or
    unassigned in a unit they lead (`led_unit_ids`, which "Min sida" has read already), as rows of
    `_DUE_ROW_FIELDS`, most urgent first.

    The two kinds are one `UNION ALL` of two selects rather than one select with `OR`: each half has its own index
    (the assignee's; `unit, status, answer_due`), where the `OR` made the database read every due case of the
    municipality (thousands in a city) and keep the few that were the person's."""
    deadlines = Deadlines.on(today)
    # No ordering in the halves: the union is ordered. The assigned half names no municipality (a person handles
    # cases of their own only), so that even SQLite, which keeps no statistics, reads it by the assignee's index.
    open_due = Case.objects.order_by().filter(status__in=OPEN_STATUSES, answer_due__lte=deadlines.soon_until)
    assigned = open_due.filter(assignee_id=person.pk).values_list(*_DUE_ROW_FIELDS)
    unassigned = open_due.filter(
        municipality_id=person.municipality_id, assignee__isnull=True, unit_id__in=led_unit_ids
    ).values_list(*_DUE_ROW_FIELDS)
    return assigned.union(unassigned, all=True).order_by("answer_due", "id")  # type: ignore[return-value]


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
    due = responsible_cases_due(person=person, today=today, led_unit_ids=led_unit_ids)
    fetched = [
        DueRow(case_id, number, answer_due, deadlines.state_of(status, answer_due), unit)
        for case_id, number, status, answer_due, unit in due[: MY_PAGE_LIMIT + 1]
    ]
    return MyCases(fetched[:MY_PAGE_LIMIT], len(fetched) > MY_PAGE_LIMIT)
