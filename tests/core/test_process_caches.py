"""The fixtures empty every process-level store between tests: a value one test cached does not reach the next.

A module of the project that caches what it read from the database (an `lru_cache`) is stood in for by a probe
module registered under `brobygget.`: the fixtures find its cache the way they find the real ones, by walking
the loaded modules, without being told about it.
"""

import functools
import sys
import types
from collections.abc import Iterator

import pytest

from brobygget.organisation.models import Municipality
from tests.conftest import PROCESS_CACHES
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

PROBE = "brobygget.cache_probe_of_the_tests"


def _municipalities() -> int:
    return Municipality.objects.count()


_municipalities.__module__ = PROBE


@pytest.fixture(scope="module")
def probe() -> Iterator[types.ModuleType]:
    module = types.ModuleType(PROBE)
    module.municipalities = functools.lru_cache(maxsize=None)(_municipalities)  # type: ignore[attr-defined]
    sys.modules[PROBE] = module
    yield module
    del sys.modules[PROBE]


def test_a_test_caches_what_it_read(probe: types.ModuleType) -> None:
    MunicipalityFactory()

    assert probe.municipalities() == 1
    assert probe.municipalities.cache_info().currsize == 1


def test_the_next_test_reads_afresh(probe: types.ModuleType) -> None:
    """Runs after the test above (pytest keeps the order of a file): its row was rolled back, and so is its cache."""
    assert probe.municipalities.cache_info().currsize == 0
    assert probe.municipalities() == 0


def test_every_cache_of_the_project_starts_empty(probe: types.ModuleType) -> None:
    import brobygget.core.jinja2  # noqa: F401 - loaded by the first page anyway; its caches must be among those found

    functions = PROCESS_CACHES.collect()

    assert probe.municipalities in functions
    assert {f.__module__.split(".")[0] for f in functions} == {"brobygget"}  # never Django's own
    assert [f for f in functions if f.cache_info().currsize] == []
