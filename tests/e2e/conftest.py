"""Browser fixtures: one headless Debian Chromium per session, a fresh Swedish context per test.

The pages are served by pytest-django's `live_server` (a real HTTP server in a thread, with a
transactional test database), so a test goes through the same middleware, CSRF, sessions and
static files as a user does.
"""

import os
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from brobygget.organisation.models import Role
from tests.e2e.helpers import DESKTOP
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory, UserFactory

# Playwright's sync API runs an asyncio event loop in the main thread (in a greenlet) from the
# moment the session-wide browser starts until the session ends. Django's async-safety check sees
# that running loop and refuses ORM calls from the test thread (factories, the live server's
# database flush between tests) with SynchronousOnlyOperation, although nothing here runs
# concurrently with the loop: every ORM call is plain synchronous code. The loop stays marked as
# running in this thread for the rest of the session, so the setting must be process-wide and
# set before any test runs, not only around the browser tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
# This machine has no internet: without these flags Chromium tries to reach Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
            "Install it with `apt-get install chromium` (`playwright install` is not used).",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def server(live_server: Any) -> Any:
    """The live server, with the principles a data migration loads.

    Each transactional test ends by emptying every table (flush), which also removes rows that
    migrations loaded; post_migrate brings back content types and permissions, not these. The
    migration's own loader puts them back (it is idempotent). Serialized rollback would do the
    same, but clashes with the content types of transactional tests that do not use it.
    """
    import_module("brobygget.core.migrations.0002_load_principles").load(apps, None)
    return live_server


@pytest.fixture
def new_page(browser: Browser, server: Any) -> Iterator[Callable[..., Page]]:
    """Make a page in a new browser context (own cookies), Swedish and in Stockholm time."""
    contexts = []

    def make(**options: Any) -> Page:
        options = {"viewport": DESKTOP, **options}
        context = browser.new_context(base_url=server.url, locale="sv-SE", timezone_id="Europe/Stockholm", **options)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()


@pytest.fixture
def staff(server: Any) -> dict[str, Any]:
    """Elin on the park team, led by Peter, under Gata och park; Elin can log in as `elin`."""
    municipality = MunicipalityFactory(name="Testby kommun", code="8001")
    department = UnitFactory(municipality=municipality, code="GP", name="Gata och park", kind="department")
    team = UnitFactory(
        municipality=municipality,
        code="PARK",
        name="Parkenheten",
        parent=department,
        description="Parker, lekplatser och grönytor.",
    )
    leader = PersonFactory(municipality=municipality, first_name="Peter", last_name="Norén", title="Enhetschef")
    elin = PersonFactory(
        municipality=municipality, first_name="Elin", last_name="Månsson", user=UserFactory(username="elin")
    )
    MembershipFactory(person=leader, unit=team, role=Role.LEADER)
    MembershipFactory(person=elin, unit=team, role=Role.STAFF)
    return {"team": team, "department": department, "leader": leader, "person": elin, "username": "elin"}
