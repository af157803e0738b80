"""Reads of the organisation, always scoped to what the actor may see.

Rule: staff see every unit of their own municipality (openness between units helps a newcomer and
the sharing of competence); nothing of another municipality. Missing and not-visible look the same.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from brobygget.core.actors import Actor
from brobygget.core.models import Municipality
from brobygget.core.prepared import prepared
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit
from brobygget.organisation.workspace import UNIT_PAGE, Section, Viewer, my_page_sections

ROUTINE_DUE_WITHIN_DAYS = 30


_PERSON_FIELDS = tuple(f.attname for f in Person._meta.concrete_fields)
_MUNICIPALITY_FIELDS = tuple(f.attname for f in Municipality._meta.concrete_fields)


_ROLE_FIELDS = ("id", "person_id", "unit_id", "role")


@prepared
def _active_person(*, user_id: int) -> QuerySet[Person, Any]:
    """The person with their municipality, one row per membership (one row with None when they have none), in
    the order of `roles_prefetch`."""
    return (
        Person.objects.filter(user_id=user_id, is_active=True)
        .order_by("pk", "memberships__unit__name", "memberships__role", "memberships__pk")
        .values_list(
            *_PERSON_FIELDS,
            *(f"municipality__{name}" for name in _MUNICIPALITY_FIELDS),
            "memberships__id",
            "memberships__unit_id",
            "memberships__role",
            "memberships__unit__path",
            "memberships__unit__name",
        )
    )


def person_for_actor(*, actor: Actor) -> Person | None:
    """The active person behind a logged-in account, with their municipality and roles, or None.

    The same Person as `Person.objects.select_related("municipality").with_roles()` reads in two queries, read in
    one: the person's roles are a handful of rows, and every staff page asks for them."""
    if not actor.is_authenticated:
        return None
    rows = _active_person(user_id=actor.pk)
    if not rows:
        return None
    split, end = len(_PERSON_FIELDS), len(_PERSON_FIELDS) + len(_MUNICIPALITY_FIELDS)
    first = rows[0]
    person = Person.from_db(DEFAULT_DB_ALIAS, _PERSON_FIELDS, first[:split])
    Person.municipality.field.set_cached_value(
        person, Municipality.from_db(DEFAULT_DB_ALIAS, _MUNICIPALITY_FIELDS, first[split:end])
    )
    person.unit_roles = []
    for row in rows:
        membership_id, unit_id, role, unit_path, unit_name = row[end:]
        if row[0] != person.pk or membership_id is None:
            continue
        membership = Membership.from_db(DEFAULT_DB_ALIAS, _ROLE_FIELDS, (membership_id, person.pk, unit_id, role))
        membership.unit_path, membership.unit_name = unit_path, unit_name
        person.unit_roles.append(membership)
    return person


def municipalities_administered(*, actor: Actor) -> QuerySet[Municipality]:
    """Municipalities whose organisation and configuration this account may change (services.require_admin's rule)."""
    if not actor.is_authenticated:
        return Municipality.objects.none()
    if actor.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(
        units__memberships__person__user_id=actor.pk,
        units__memberships__person__is_active=True,
        units__memberships__role=Role.ADMIN,
    ).distinct()


_UNIT_FIELDS = tuple(f.attname for f in Unit._meta.concrete_fields)


@prepared
def _visible_unit(*, user_id: int, unit_id: int) -> QuerySet[Unit, Any]:
    return Unit.objects.filter(
        pk=unit_id, municipality__people__user_id=user_id, municipality__people__is_active=True
    ).values_list(*_UNIT_FIELDS)[:1]


def unit_get(*, actor: Actor, unit_id: int) -> Unit:
    """One unit the actor may see; 404 for missing and for not visible alike."""
    rows = _visible_unit(user_id=actor.pk, unit_id=unit_id) if actor.is_authenticated else []
    if not rows:
        raise Http404
    return Unit.from_db(DEFAULT_DB_ALIAS, _UNIT_FIELDS, rows[0])


@dataclass(frozen=True, slots=True)
class UnitLink:
    pk: int
    name: str


@dataclass(frozen=True, slots=True)
class MemberRow:
    name: str
    title: str
    role: str
    role_label: str


@dataclass(frozen=True, slots=True)
class ResponsibilityRow:
    area: str
    person: str


@dataclass(frozen=True, slots=True)
class RoutineRow:
    title: str
    description: str
    owner: str
    review_date: datetime.date


@dataclass(frozen=True)
class UnitPage:
    """A unit's page. What it lists is read as plain values (names, not Person instances): a page of a unit with
    its members, responsibilities and routines in five queries, without building a model for every row."""

    unit: Unit
    ancestors: list[UnitLink]
    children: list[UnitLink]
    leader: MemberRow | None
    members: list[MemberRow]
    responsibilities: list[ResponsibilityRow]
    routines: list[RoutineRow]
    sections: list[Section] = field(default_factory=list)  # what the apps above show of the unit (UNIT_PAGE)


def _name(first: str | None, last: str | None) -> str:
    return f"{first} {last}" if first is not None else ""


@prepared
def _unit_relatives(*, ancestor_ids: list[int], unit_id: int) -> QuerySet[Unit, Any]:
    """Ancestors (breadcrumbs) and children in one query: the path tells which is which."""
    return (
        Unit.objects.filter(Q(pk__in=ancestor_ids) | Q(parent_id=unit_id))
        .order_by("name")
        .values_list("pk", "name", "parent_id", "path")
    )


@prepared
def _unit_members(*, unit_id: int) -> QuerySet[Membership, Any]:
    return (
        Membership.objects.filter(unit_id=unit_id, person__is_active=True)
        .order_by("person__last_name", "person__first_name", "role")
        .values_list("person__first_name", "person__last_name", "person__title", "role")
    )


@prepared
def _unit_responsibilities(*, unit_id: int) -> QuerySet[Responsibility, Any]:
    return (
        Responsibility.objects.filter(unit_id=unit_id)
        .order_by("area")
        .values_list("area", "person__first_name", "person__last_name")
    )


@prepared
def _unit_routines(*, unit_id: int) -> QuerySet[Routine, Any]:
    return (
        Routine.objects.filter(unit_id=unit_id)
        .order_by("review_date", "title")
        .values_list("title", "description", "owner__first_name", "owner__last_name", "review_date")
    )


def unit_page(*, actor: Actor, unit_id: int) -> UnitPage:
    """Everything a newcomer reads about a unit: who leads, who answers for what, members, routines."""
    unit = unit_get(actor=actor, unit_id=unit_id)
    relatives = _unit_relatives(ancestor_ids=list(unit.ancestor_ids), unit_id=unit.pk)
    ancestors = [
        UnitLink(pk, name) for pk, name, parent, path in sorted(relatives, key=lambda u: len(u[3])) if parent != unit.pk
    ]
    children = [UnitLink(pk, name) for pk, name, parent, _path in relatives if parent == unit.pk]
    roles = dict(Role.choices)
    members = [
        MemberRow(_name(first, last), title, role, str(roles.get(role, role)))
        for first, last, title, role in _unit_members(unit_id=unit.pk)
    ]
    leader = next((m for m in members if m.role == Role.LEADER), None)
    responsibilities = [
        ResponsibilityRow(area, _name(first, last)) for area, first, last in _unit_responsibilities(unit_id=unit.pk)
    ]
    routines = [
        RoutineRow(title, description, _name(first, last), review_date)
        for title, description, first, last, review_date in _unit_routines(unit_id=unit.pk)
    ]
    return UnitPage(unit, ancestors, children, leader, members, responsibilities, routines, UNIT_PAGE(unit))


@dataclass(frozen=True, slots=True)
class MyUnitRow:
    unit_id: int
    unit: str
    role: str
    role_label: str


@dataclass(frozen=True, slots=True)
class MyResponsibilityRow:
    area: str
    unit_id: int
    unit: str


@dataclass(frozen=True, slots=True)
class RoutineDueRow:
    title: str
    review_date: datetime.date
    unit_id: int
    unit: str


@dataclass(frozen=True)
class MyPage:
    person: Person | None
    memberships: list[MyUnitRow]
    led_units: list[MyUnitRow]
    responsibilities: list[MyResponsibilityRow]
    routines_due: list[RoutineDueRow]
    today: datetime.date
    sections: list[Section] = field(default_factory=list)


@prepared
def _my_responsibilities(*, person_id: int) -> QuerySet[Responsibility, Any]:
    return (
        Responsibility.objects.filter(person_id=person_id).order_by("area").values_list("area", "unit_id", "unit__name")
    )


@prepared
def _my_routines_due(*, person_id: int, led_unit_ids: list[int], due_by: datetime.date) -> QuerySet[Routine, Any]:
    return (
        Routine.objects.filter(Q(owner_id=person_id) | Q(unit_id__in=led_unit_ids), review_date__lte=due_by)
        .order_by("review_date", "title")
        .values_list("title", "review_date", "unit_id", "unit__name")
    )


def my_page(*, actor: Actor) -> MyPage:
    """The logged-in person's units, responsibilities and what is due soon (lists read as plain values).

    The person is read as every page reads them (person_for_actor), with their roles, which are the units listed;
    the sections of the apps above get that same person."""
    today = timezone.localdate()
    person = person_for_actor(actor=actor)
    if person is None:
        return MyPage(None, [], [], [], [], today)
    roles = dict(Role.choices)
    memberships = [MyUnitRow(m.unit_id, m.unit_name, m.role, str(roles.get(m.role, m.role))) for m in person.unit_roles]
    led_units = [m for m in memberships if m.role == Role.LEADER]
    responsibilities = [MyResponsibilityRow(*values) for values in _my_responsibilities(person_id=person.pk)]
    due_by = today + datetime.timedelta(days=ROUTINE_DUE_WITHIN_DAYS)
    led_unit_ids = tuple(m.unit_id for m in led_units)
    routines_due = [
        RoutineDueRow(*values)
        for values in _my_routines_due(person_id=person.pk, led_unit_ids=list(led_unit_ids), due_by=due_by)
    ]
    sections = my_page_sections(viewer=Viewer(person, today, led_unit_ids))
    return MyPage(person, memberships, led_units, responsibilities, routines_due, today, sections)
