"""Shared fixtures: a municipality with a small organisation, and logged-in clients."""

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo municipality, loaded once for the tests of a module that asks for it (some 3 seconds a load) and
    rolled back after the last; each test's own writes are rolled back after it, as always (a savepoint)."""
    from django.db import transaction

    from brobygget.demo.municipality import demo_municipality_load

    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_municipality_load()
        transaction.set_rollback(True)


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
    # Read again with their roles (Person.unit_roles), as every page reads a person: what they see is made of them.
    people = Person.objects.filter(municipality=municipality).select_related("user", "municipality").with_roles()
    by_name = {person.last_name: person for person in people}
    return {
        "root": root,
        "admin_unit": admin_unit,
        "team": team,
        "leader": by_name["Ledare"],
        "member": by_name["Medarbetare"],
        "registrar": by_name["Registrator"],
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


E2E_DIR = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e drives Chromium: marked `browser`, so `-m 'not browser'` leaves them all out."""
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


class ProcessCaches:
    """The `functools.lru_cache`/`cache` functions of the project's modules (and of their classes), found by
    walking `sys.modules`.

    A module imported later (by a test, or lazily by the code) brings its caches in: the walk (a few ms) is done
    again whenever the number of loaded modules has changed, which after the first few tests is seldom. Types are
    compared with `type()`, never `isinstance`, which would evaluate a module's lazy objects (settings, storages).
    """

    def __init__(self) -> None:
        self.seen_modules = -1
        self.functions: list[functools._lru_cache_wrapper[Any]] = []

    def collect(self) -> "list[functools._lru_cache_wrapper[Any]]":
        if len(sys.modules) != self.seen_modules:
            self.seen_modules = len(sys.modules)
            found: dict[int, functools._lru_cache_wrapper[Any]] = {}
            for name, module in list(sys.modules.items()):
                if not self.ours(name):
                    continue
                for value in list(vars(module).values()):
                    kind = type(value)
                    if kind is functools._lru_cache_wrapper and self.ours(value.__module__):
                        found[id(value)] = value
                    elif issubclass(kind, type) and self.ours(value.__module__):
                        for attribute in vars(value).values():
                            if type(attribute) in (staticmethod, classmethod):
                                attribute = attribute.__func__
                            if type(attribute) is functools._lru_cache_wrapper:
                                found[id(attribute)] = attribute
            self.functions = list(found.values())
        return self.functions

    @staticmethod
    def ours(module: object) -> bool:
        """A module name of the project: its caches are ours to empty, not those of Django it imported."""
        return isinstance(module, str) and (module == "brobygget" or module.startswith("brobygget."))

    def clear(self) -> None:
        for function in self.collect():
            function.cache_clear()


PROCESS_CACHES = ProcessCaches()


@pytest.fixture(autouse=True)
def _cache_cleared() -> Iterator[None]:
    """Every test starts with empty process-level stores: a test's rolled-back rows must not live on in another's
    pages. Django's cache is emptied, and so is every `lru_cache` of the project's modules (ProcessCaches)."""
    cache.clear()
    PROCESS_CACHES.clear()
    yield
    cache.clear()
    PROCESS_CACHES.clear()
