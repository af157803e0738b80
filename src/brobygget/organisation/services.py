"""Every write to the organisation: validated, audited in the same transaction."""

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor as Actor
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit

ERROR_NOT_ALLOWED = _("You may not change the organisation of this municipality.")
ERROR_PARENT_OTHER_MUNICIPALITY = _("The parent unit belongs to another municipality.")
ERROR_PARENT_CYCLE = _("A unit cannot be placed under itself or one of its own sub-units.")
ERROR_PERSON_OTHER_MUNICIPALITY = _("The person belongs to another municipality.")


def _administers(*, actor: Actor, municipality_id: int) -> bool:
    """Whether the actor is an administrator of the municipality, a superuser or a system job (actor None)."""
    if actor is None:
        return True
    if actor.is_authenticated and getattr(actor, "is_superuser", False):
        return True
    return (
        actor.is_authenticated
        and Membership.objects.filter(
            person__user_id=actor.pk, person__is_active=True, role=Role.ADMIN, unit__municipality_id=municipality_id
        ).exists()
    )


def _require_admin(*, actor: Actor, municipality: Municipality) -> None:
    """Administrators of the municipality, superusers and system jobs (actor None) may change it."""
    if not _administers(actor=actor, municipality_id=municipality.pk):
        raise PermissionDenied(ERROR_NOT_ALLOWED)


def require_admin(*, actor: Actor, municipality: Municipality) -> None:
    """The public form of the rule above, for writes that live outside this module (imports, admin)."""
    _require_admin(actor=actor, municipality=municipality)


def _leads(*, actor: Actor, unit: Unit) -> bool:
    """Whether the actor is a leader of the unit or of a unit above it (its path starts with theirs)."""
    if actor is None or not actor.is_authenticated:
        return False
    led = Membership.objects.filter(
        person__user_id=actor.pk, person__is_active=True, role=Role.LEADER, unit__municipality_id=unit.municipality_id
    ).values_list("unit__path", flat=True)
    return any(unit.path.startswith(path) for path in led)


def leads_or_administers(*, actor: Actor, unit: Unit) -> bool:
    """Whether the actor leads the unit or a unit above it, or administers its municipality (the rule of
    routine_create, for the apps above whose writes follow it: the goals of a unit)."""
    return _leads(actor=actor, unit=unit) or _administers(actor=actor, municipality_id=unit.municipality_id)


def administers(*, actor: Actor, municipality_id: int) -> bool:
    """Whether the actor administers the municipality (superusers and system jobs do)."""
    return _administers(actor=actor, municipality_id=municipality_id)


def _same_municipality(unit: Unit, person: Person) -> None:
    if unit.municipality_id != person.municipality_id:
        raise ValidationError(ERROR_PERSON_OTHER_MUNICIPALITY)


def unit_path(*, parent: Unit | None, pk: int) -> str:
    """The materialised path of a unit with this parent."""
    return f"{parent.path if parent else '/'}{pk}/"


@transaction.atomic
def unit_create(
    *,
    actor: Actor,
    municipality: Municipality,
    code: str,
    name: str,
    kind: str = Unit.Kind.TEAM,
    parent: Unit | None = None,
    description: str = "",
) -> Unit:
    """Create a unit under a parent (or as a root)."""
    _require_admin(actor=actor, municipality=municipality)
    if parent is not None and parent.municipality_id != municipality.pk:
        raise ValidationError(ERROR_PARENT_OTHER_MUNICIPALITY)
    unit = Unit(municipality=municipality, code=code, name=name, kind=kind, parent=parent, description=description)
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path = unit_path(parent=parent, pk=unit.pk)
    unit.save(update_fields=["path"])
    audit_record(actor=actor, action="unit.created", target=unit, municipality=municipality)
    return unit


@transaction.atomic
def unit_update(*, actor: Actor, unit: Unit, name: str, kind: str, parent: Unit | None, description: str = "") -> Unit:
    """Rename or move a unit; moving rewrites the paths of its whole subtree."""
    _require_admin(actor=actor, municipality=unit.municipality)
    if parent is not None:
        if parent.municipality_id != unit.municipality_id:
            raise ValidationError(ERROR_PARENT_OTHER_MUNICIPALITY)
        if parent.pk == unit.pk or parent.path.startswith(unit.path):
            raise ValidationError(ERROR_PARENT_CYCLE)
    changed = [
        field
        for field, value in (("name", name), ("kind", kind), ("description", description))
        if getattr(unit, field) != value
    ]
    unit.name, unit.kind, unit.description = name, kind, description
    old_path = unit.path
    if unit.parent_id != (parent.pk if parent else None):
        changed.append("parent")
        unit.parent = parent
        unit.path = unit_path(parent=parent, pk=unit.pk)
        subtree = list(Unit.objects.filter(path__below=old_path).exclude(pk=unit.pk))
        for descendant in subtree:
            descendant.path = unit.path + descendant.path[len(old_path) :]
        Unit.objects.bulk_update(subtree, ["path"])
    unit.full_clean(exclude=["path"])
    unit.save()
    if changed:
        audit_record(actor=actor, action="unit.updated", target=unit, municipality=unit.municipality, fields=changed)
    return unit


@transaction.atomic
def person_create(
    *,
    actor: Actor,
    municipality: Municipality,
    employee_number: str,
    first_name: str,
    last_name: str,
    email: str = "",
    title: str = "",
    user: User | None = None,
) -> Person:
    """Register an employee, optionally linked to a staff account."""
    _require_admin(actor=actor, municipality=municipality)
    person = Person(
        municipality=municipality,
        employee_number=employee_number,
        first_name=first_name,
        last_name=last_name,
        email=email,
        title=title,
        user=user,
    )
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="person.created", target=person, municipality=municipality)
    return person


@transaction.atomic
def person_deactivate(*, actor: Actor, person: Person) -> Person:
    """Mark a person who has left as inactive; public records keep pointing at them, so nothing is deleted."""
    _require_admin(actor=actor, municipality=person.municipality)
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="person.deactivated",
            target=person,
            municipality=person.municipality,
            fields=["is_active"],
        )
    return person


@transaction.atomic
def membership_add(*, actor: Actor, person: Person, unit: Unit, role: str = Role.STAFF) -> Membership:
    """Give a person a role in a unit; a new leader replaces the unit's previous one."""
    _require_admin(actor=actor, municipality=unit.municipality)
    _same_municipality(unit, person)
    if role == Role.LEADER:
        previous = Membership.objects.select_for_update().filter(unit=unit, role=Role.LEADER).exclude(person=person)
        for membership in previous:
            audit_record(
                actor=actor,
                action="membership.removed",
                target=membership,
                municipality=unit.municipality,
                extra={"unit": unit.pk, "role": membership.role},
            )
        previous.delete()
    membership, created = Membership.objects.get_or_create(person=person, unit=unit, role=role)
    if created:
        audit_record(
            actor=actor,
            action="membership.added",
            target=membership,
            municipality=unit.municipality,
            extra={"unit": unit.pk, "role": role},
        )
    return membership


@transaction.atomic
def responsibility_set(*, actor: Actor, unit: Unit, area: str, person: Person) -> Responsibility:
    """Name the person who answers for an area of a unit."""
    _require_admin(actor=actor, municipality=unit.municipality)
    _same_municipality(unit, person)
    responsibility, created = Responsibility.objects.get_or_create(unit=unit, area=area, defaults={"person": person})
    if not created and responsibility.person_id != person.pk:
        responsibility.person = person
        responsibility.save(update_fields=["person"])
    audit_record(
        actor=actor,
        action="responsibility.created" if created else "responsibility.updated",
        target=responsibility,
        municipality=unit.municipality,
        fields=None if created else ["person"],
    )
    return responsibility


@transaction.atomic
def routine_create(
    *, actor: Actor, unit: Unit, owner: Person, title: str, review_date: datetime.date, description: str = ""
) -> Routine:
    """Document a way of working, with an owner and a review date: the municipality's administrators, or a leader
    of the unit or of a unit above it (an improvement the unit adopted becomes one of its routines)."""
    if not _leads(actor=actor, unit=unit):
        _require_admin(actor=actor, municipality=unit.municipality)
    _same_municipality(unit, owner)
    routine = Routine(unit=unit, owner=owner, title=title, review_date=review_date, description=description)
    routine.full_clean()
    routine.save()
    audit_record(actor=actor, action="routine.created", target=routine, municipality=unit.municipality)
    return routine


@transaction.atomic
def staff_account_create(
    *, actor: Actor, person: Person, username: str, password: str | None, is_superuser: bool = False
) -> User:
    """Give a person a staff login (no password: they must set one through the administrator)."""
    _require_admin(actor=actor, municipality=person.municipality)
    user = User.objects.create_user(
        username=username,
        email=person.email,
        password=password,
        first_name=person.first_name,
        last_name=person.last_name,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    person.user = user
    person.save(update_fields=["user"])
    audit_record(actor=actor, action="account.created", target=user, municipality=person.municipality)
    return user
