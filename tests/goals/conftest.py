"""Fixtures of the goal tests: the organisation of tests/conftest.py with a chief of the förvaltning, an
administrator, a street team beside the park team, a period, and goals made as leaders make them."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from brobygget.goals import services
from brobygget.goals.models import Goal, Level, Period
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, PersonFactory, UnitFactory

TODAY = datetime.datetime(2027, 5, 12, 10, 0, tzinfo=datetime.UTC)


def sv(message: Any) -> str:
    """A message as a Swedish visitor reads it (the staff pages are Swedish first)."""
    from django.utils import translation

    with translation.override("sv"):
        return str(message)


@pytest.fixture
def goals_org(org):
    """org plus: Frida leads the förvaltning, Adam administers the municipality, Gatuenheten (led by Greta, with
    Gustav) sits beside the park team, and the period 2027."""
    municipality = org["team"].municipality
    street = UnitFactory(municipality=municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    chief = PersonFactory(municipality=municipality, first_name="Frida", last_name="Förvaltningschef")
    admin = PersonFactory(municipality=municipality, first_name="Adam", last_name="Administratör")
    street_leader = PersonFactory(municipality=municipality, first_name="Greta", last_name="Gatuchef")
    street_member = PersonFactory(municipality=municipality, first_name="Gustav", last_name="Gata")
    MembershipFactory(person=chief, unit=org["admin_unit"], role=Role.LEADER)
    MembershipFactory(person=admin, unit=org["root"], role=Role.ADMIN)
    MembershipFactory(person=street_leader, unit=street, role=Role.LEADER)
    MembershipFactory(person=street_member, unit=street, role=Role.STAFF)
    people = {p.pk: p for p in Person.objects.filter(municipality=municipality).select_related("user").with_roles()}
    period = Period.objects.create(
        municipality=municipality, name="2027", start=datetime.date(2027, 1, 1), end=datetime.date(2027, 12, 31)
    )
    return {
        **org,
        "street": street,
        "chief": people[chief.pk],
        "admin": people[admin.pk],
        "street_leader": people[street_leader.pk],
        "street_member": people[street_member.pk],
        "leader": people[org["leader"].pk],
        "member": people[org["member"].pk],
        "period": period,
    }


def goal_input(responsible: Person, **fields: Any) -> services.GoalInput:
    values: dict[str, Any] = {
        "level": Level.UNIT,
        "title": "Fler invånare trivs i parkerna",
        "description": "Parkerna ska vara trygga och rena.",
        "responsible_id": responsible.pk,
    }
    values.update(fields)
    return services.GoalInput(**values)


@pytest.fixture
def make_goal(goals_org) -> Callable[..., Goal]:
    """`make_goal(by=person, unit=unit, **fields)`: a goal of the period made through the service (by default the
    park team's leader, a goal of the park team)."""

    def make(by: Person | None = None, unit: Any = None, responsible: Person | None = None, **fields: Any) -> Goal:
        by = by or goals_org["leader"]
        assert by.user is not None
        return services.goal_create(
            actor=by.user,
            unit=unit or goals_org["team"],
            period=fields.pop("period", goals_org["period"]),
            data=goal_input(responsible or by, **fields),
        )

    return make


@pytest.fixture
def tree(goals_org, make_goal) -> dict[str, Goal]:
    """vision (KS) → council goal (KS) → committee goal (förvaltning) → park goal → park activity, and a street goal
    under the committee goal."""
    admin = goals_org["admin"]
    vision = make_goal(by=admin, unit=goals_org["root"], level=Level.VISION, title="Strängnäs – där alla trivs")
    council = make_goal(
        by=admin, unit=goals_org["root"], level=Level.COUNCIL, title="En attraktiv kommun", parent_id=vision.pk
    )
    committee = make_goal(
        by=goals_org["chief"],
        unit=goals_org["admin_unit"],
        level=Level.COMMITTEE,
        title="Trygga offentliga miljöer",
        parent_id=council.pk,
    )
    park = make_goal(title="Rena lekplatser", parent_id=committee.pk)
    activity = make_goal(level=Level.ACTIVITY, title="Städa lekplatsen varje måndag", parent_id=park.pk)
    street = make_goal(
        by=goals_org["street_leader"],
        unit=goals_org["street"],
        title="Säkra övergångsställen",
        parent_id=committee.pk,
    )
    return {
        "vision": vision,
        "council": council,
        "committee": committee,
        "park": park,
        "activity": activity,
        "street": street,
    }
