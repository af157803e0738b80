"""Fixtures of the improvement tests: a second team beside the park team, and improvements raised as staff do."""

from collections.abc import Callable
from typing import Any

import pytest

from brobygget.improvement import services
from brobygget.improvement.models import Improvement
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, PersonFactory, UnitFactory


def sv(message: Any) -> str:
    """A message as a Swedish visitor reads it (the staff pages are Swedish first)."""
    from django.utils import translation

    with translation.override("sv"):
        return str(translation.gettext(message) if isinstance(message, str) else message)


@pytest.fixture
def street(org):
    """A team beside the park team, with its own employee: they do not see the park team's board."""
    unit = UnitFactory(municipality=org["team"].municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    person = PersonFactory(municipality=unit.municipality, first_name="Gustav", last_name="Gata")
    MembershipFactory(person=person, unit=unit, role=Role.STAFF)
    return {"unit": unit, "person": Person.objects.with_roles().get(pk=person.pk)}


def improvement_input(owner: Person, **fields: Any) -> services.ImprovementInput:
    values: dict[str, Any] = {
        "title": "Färre samtal om snöröjning",
        "problem": "Invånare ringer för att fråga när deras gata plogas.",
        "value_for_resident": "De vet när gatan plogas utan att ringa.",
        "idea": "Visa plogningsordningen på webben.",
        "measure": "Antal samtal om snöröjning per vecka.",
        "baseline": "ungefär 40 samtal i veckan",
        "owner_id": owner.pk,
    }
    values.update(fields)
    return services.ImprovementInput(**values)


@pytest.fixture
def raise_improvement(org) -> Callable[..., Improvement]:
    """`raise_improvement(by=person, **fields)`: an improvement on the park team's board, raised through the service."""

    def make(by: Person | None = None, unit: Any = None, **fields: Any) -> Improvement:
        by = by or org["member"]
        assert by.user is not None
        return services.improvement_raise(
            actor=by.user, unit=unit or org["team"], data=improvement_input(org["member"], **fields)
        )

    return make
