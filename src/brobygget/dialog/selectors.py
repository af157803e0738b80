"""Reads of cases, scoped: staff see the cases of their units and the units below them;
registrars and administrators see every case of their municipality; a resident sees one case by its key."""

import hashlib

from django.db.models import Q
from django.http import Http404

from brobygget.dialog.models import Case, CaseEntry, Open311Client
from brobygget.dialog.tracking import tracking_key_matches
from brobygget.organisation.models import Membership, Person, Role


def case_scope(*, person: Person | None) -> Q | None:
    """A filter on Case for what `person` may see; None when they may see nothing."""
    if person is None:
        return None
    memberships = list(Membership.objects.filter(person=person).select_related("unit").only("role", "unit__path"))
    if any(m.role in (Role.REGISTRAR, Role.ADMIN) for m in memberships):
        return Q(municipality_id=person.municipality_id)
    if not memberships:
        return None
    units = Q()
    for path in sorted({m.unit.path for m in memberships}):
        units |= Q(unit__path__startswith=path)
    return Q(municipality_id=person.municipality_id) & units


def case_get(*, person: Person | None, case_id: int) -> Case:
    """One case the person may see, with what its page shows; 404 for missing and not visible alike."""
    return case_in_scope(scope=case_scope(person=person), case_id=case_id)


def case_in_scope(*, scope: Q | None, case_id: int) -> Case:
    """One case within a scope made by `case_scope`; 404 for missing and not visible alike."""
    if scope is None:
        raise Http404
    case = (
        Case.objects.filter(scope, pk=case_id)
        .select_related("category", "unit", "assignee", "duplicate_of", "municipality")
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_by_tracking_key(*, number: str, key: str) -> Case:
    """The case behind a resident's private tracking link; 404 when number and key do not match."""
    for case in Case.objects.filter(number=number).select_related("category", "unit", "municipality"):
        if tracking_key_matches(case, key):
            return case
    raise Http404


def api_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client_for_key(*, key: str) -> Open311Client | None:
    """The active Open311 client that holds this API key, if any."""
    if not key:
        return None
    return (
        Open311Client.objects.filter(key_hash=api_key_hash(key), is_active=True).select_related("municipality").first()
    )


def case_entries_for_resident(*, case: Case) -> list[CaseEntry]:
    """What the resident sees of the history: answers and their own replies, never internal notes."""
    return list(case.entries.filter(kind__in=[CaseEntry.Kind.ANSWER, CaseEntry.Kind.RESIDENT_REPLY]))
