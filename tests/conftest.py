"""Shared fixtures: a municipality with a small organisation, and logged-in clients."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory


@pytest.fixture
def municipality():
    return MunicipalityFactory(name="Testby kommun", code="8001")


@pytest.fixture
def org(municipality) -> dict[str, Any]:
    """A tree KS → förvaltning → enhet with a leader, a member and a registrar."""
    root = UnitFactory(municipality=municipality, code="KS", name="Kommunstyrelsen", kind="board")
    admin_unit = UnitFactory(municipality=municipality, code="SBF", name="Samhällsbyggnad", parent=root)
    team = UnitFactory(municipality=municipality, code="PARK", name="Parkenheten", parent=admin_unit)
    leader = PersonFactory(municipality=municipality, first_name="Lena", last_name="Ledare")
    member = PersonFactory(municipality=municipality, first_name="Mats", last_name="Medarbetare")
    registrar = PersonFactory(municipality=municipality, first_name="Rut", last_name="Registrator")
    MembershipFactory(person=leader, unit=team, role=Role.LEADER)
    MembershipFactory(person=member, unit=team, role=Role.STAFF)
    MembershipFactory(person=registrar, unit=root, role=Role.REGISTRAR)
    return {
        "root": root,
        "admin_unit": admin_unit,
        "team": team,
        "leader": leader,
        "member": member,
        "registrar": registrar,
    }


@pytest.fixture
def login_client() -> Callable[[Person], Client]:
    def make(person: Person) -> Client:
        client = Client()
        assert person.user is not None
        client.force_login(person.user)
        return client

    return make


@pytest.fixture
def assert_max_queries() -> Callable[[int], AbstractContextManager[CaptureQueriesContext]]:
    """`with assert_max_queries(5):` fails when the block runs more queries, listing them."""

    @contextmanager
    def check(limit: int):
        with CaptureQueriesContext(connection) as context:
            yield context
        queries = "\n".join(q["sql"] for q in context.captured_queries)
        assert len(context) <= limit, f"{len(context)} queries, at most {limit} expected:\n{queries}"

    return check


@pytest.fixture(autouse=True)
def _cache_cleared() -> Iterator[None]:
    """Every test starts with an empty cache: a test's rolled-back rows must not live on in another's pages."""
    cache.clear()
    yield
    cache.clear()
