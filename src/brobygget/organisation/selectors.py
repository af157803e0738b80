"""Reads of the organisation, always scoped to what the actor may see.

Rule: staff see every unit of their own municipality (openness between units helps a newcomer and
the sharing of competence); nothing of another municipality. Missing and not-visible look the same.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from brobygget.core.actors import Actor
from brobygget.core.models import Municipality
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit
from brobygget.organisation.workspace import Section, my_page_sections

ROUTINE_DUE_WITHIN_DAYS = 30


def person_for_actor(*, actor: Actor) -> Person | None:
    """The active person behind a logged-in account, or None."""
    if not actor.is_authenticated:
        return None
    return Person.objects.select_related("municipality").filter(user_id=actor.pk, is_active=True).first()


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


def unit_visible_queryset(*, actor: Actor) -> QuerySet[Unit]:
    """Units the actor may see: those of the municipality the actor's active person works in."""
    if not actor.is_authenticated:
        return Unit.objects.none()
    # A join rather than a lookup of the person first: one query instead of two on every unit page.
    return Unit.objects.filter(municipality__people__user_id=actor.pk, municipality__people__is_active=True)


def unit_get(*, actor: Actor, unit_id: int) -> Unit:
    """One unit the actor may see; 404 for missing and for not visible alike."""
    unit = unit_visible_queryset(actor=actor).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


@dataclass(frozen=True)
class UnitPage:
    unit: Unit
    ancestors: list[Unit]
    children: list[Unit]
    leader: Person | None
    members: list[Membership]
    responsibilities: list[Responsibility]
    routines: list[Routine]


def unit_page(*, actor: Actor, unit_id: int) -> UnitPage:
    """Everything a newcomer reads about a unit: who leads, who answers for what, members, routines."""
    unit = unit_get(actor=actor, unit_id=unit_id)
    # Ancestors (breadcrumbs) and children in one query: the path tells which is which.
    relatives = list(Unit.objects.filter(Q(pk__in=unit.ancestor_ids) | Q(parent_id=unit.pk)).order_by("name"))
    ancestors = sorted((u for u in relatives if u.parent_id != unit.pk), key=lambda u: len(u.path))
    children = [u for u in relatives if u.parent_id == unit.pk]
    members = list(
        unit.memberships.select_related("person")
        .filter(person__is_active=True)
        .order_by("person__last_name", "person__first_name", "role")
    )
    leader = next((m.person for m in members if m.role == Role.LEADER), None)
    responsibilities = list(unit.responsibilities.select_related("person").order_by("area"))
    routines = list(unit.routines.select_related("owner").order_by("review_date", "title"))
    return UnitPage(unit, ancestors, children, leader, members, responsibilities, routines)


@dataclass(frozen=True)
class MyPage:
    person: Person | None
    memberships: list[Membership]
    led_units: list[Unit]
    responsibilities: list[Responsibility]
    routines_due: list[Routine]
    today: datetime.date
    sections: list[Section] = field(default_factory=list)


def my_page(*, actor: Actor) -> MyPage:
    """The logged-in person's units, responsibilities and what is due soon."""
    today = timezone.localdate()
    person = person_for_actor(actor=actor)
    if person is None:
        return MyPage(None, [], [], [], [], today)
    memberships = list(Membership.objects.filter(person=person).select_related("unit").order_by("unit__name", "role"))
    led_units = [m.unit for m in memberships if m.role == Role.LEADER]
    responsibilities = list(person.responsibilities.select_related("unit").order_by("area"))
    due_by = today + datetime.timedelta(days=ROUTINE_DUE_WITHIN_DAYS)
    routines_due = list(
        Routine.objects.filter(Q(owner=person) | Q(unit__in=[u.pk for u in led_units]), review_date__lte=due_by)
        .select_related("unit", "owner")
        .order_by("review_date", "title")
        .distinct()
    )
    sections = my_page_sections(person=person, today=today)
    return MyPage(person, memberships, led_units, responsibilities, routines_due, today, sections)
