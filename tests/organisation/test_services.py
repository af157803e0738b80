"""Writes of the organisation: invariants, permissions and audit."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from brobygget.core.models import AuditEvent
from brobygget.organisation.models import Membership, Role, Unit
from brobygget.organisation.services import (
    ERROR_NOT_ALLOWED,
    ERROR_PARENT_CYCLE,
    membership_add,
    person_create,
    routine_create,
    unit_create,
    unit_update,
)
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_new_unit_gets_the_path_of_its_parent_and_an_audit_event(municipality):
    root = unit_create(actor=None, municipality=municipality, code="KS", name="Kommunstyrelsen")

    child = unit_create(actor=None, municipality=municipality, code="SBF", name="Samhällsbyggnad", parent=root)

    assert root.path == f"/{root.pk}/"
    assert child.path == f"/{root.pk}/{child.pk}/"
    assert AuditEvent.objects.filter(action="unit.created", target_id=str(child.pk)).exists()


def test_moving_a_unit_moves_its_whole_subtree(org):
    team_child = UnitFactory(municipality=org["team"].municipality, parent=org["team"])

    unit_update(actor=None, unit=org["team"], name="Parkenheten", kind=Unit.Kind.TEAM, parent=org["root"])

    team_child.refresh_from_db()
    assert org["team"].path == f"/{org['root'].pk}/{org['team'].pk}/"
    assert team_child.path == f"{org['team'].path}{team_child.pk}/"
    event = AuditEvent.objects.get(action="unit.updated")
    assert event.payload == {"fields": ["parent"]}


def test_a_unit_cannot_be_moved_under_its_own_descendant(org):
    with pytest.raises(ValidationError) as error:
        unit_update(actor=None, unit=org["admin_unit"], name="Samhällsbyggnad", kind=Unit.Kind.TEAM, parent=org["team"])

    assert error.value.messages == [str(ERROR_PARENT_CYCLE)]
    org["admin_unit"].refresh_from_db()
    assert org["admin_unit"].parent_id == org["root"].pk


def test_a_new_leader_replaces_the_previous_one(org):
    successor = PersonFactory(municipality=org["team"].municipality)

    membership_add(actor=None, person=successor, unit=org["team"], role=Role.LEADER)

    leaders = Membership.objects.filter(unit=org["team"], role=Role.LEADER)
    assert [m.person_id for m in leaders] == [successor.pk]
    assert AuditEvent.objects.filter(action="membership.removed").count() == 1


def test_the_database_refuses_a_second_leader_of_a_unit(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            person=PersonFactory(municipality=org["team"].municipality), unit=org["team"], role=Role.LEADER
        )


def test_only_administrators_of_the_municipality_may_change_its_organisation(org):
    admin = PersonFactory(municipality=org["root"].municipality)
    MembershipFactory(person=admin, unit=org["root"], role=Role.ADMIN)
    foreign_admin = PersonFactory(municipality=MunicipalityFactory(code="8002"))
    MembershipFactory(person=foreign_admin, role=Role.ADMIN)

    unit_create(actor=admin.user, municipality=org["root"].municipality, code="NY", name="Ny enhet", parent=org["root"])
    for outsider in (org["leader"].user, foreign_admin.user):
        with pytest.raises(PermissionDenied) as error:
            unit_create(actor=outsider, municipality=org["root"].municipality, code="X", name="X")
        assert str(error.value) == str(ERROR_NOT_ALLOWED)

    assert not Unit.objects.filter(code="X").exists()
    assert AuditEvent.objects.get(action="unit.created").actor == admin.user


def test_people_and_units_of_two_municipalities_do_not_mix(org):
    neighbour_person = PersonFactory(municipality=MunicipalityFactory(code="8002"))

    with pytest.raises(ValidationError):
        membership_add(actor=None, person=neighbour_person, unit=org["team"])
    with pytest.raises(ValidationError):
        routine_create(
            actor=None, unit=org["team"], owner=neighbour_person, title="R", review_date=datetime.date(2027, 1, 1)
        )
    assert not Membership.objects.filter(person=neighbour_person).exists()


def test_audit_payloads_carry_no_personal_data(municipality):
    person = person_create(
        actor=None,
        municipality=municipality,
        employee_number="4711",
        first_name="Greta",
        last_name="Garbo",
        email="greta@example.se",
    )

    for event in AuditEvent.objects.all():
        text = str(event.payload)
        assert "Greta" not in text and "Garbo" not in text and "greta@example.se" not in text
    assert AuditEvent.objects.filter(action="person.created", target_id=str(person.pk)).exists()
