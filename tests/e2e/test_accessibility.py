"""axe-core (WCAG 2.1 A and AA) on every page, filled with the demo municipality, at desktop and phone width.

One test per viewport walks through the pages and reports the violations of all of them at once;
the demo municipality is loaded once per test, which keeps the suite fast.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from brobygget.demo.municipality import DEMO_PASSWORD, demo_municipality_load
from brobygget.organisation.models import Person, Unit
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, axe_report, axe_violations, log_in
from tests.factories import MunicipalityFactory, RoutineFactory

pytestmark = pytest.mark.browser

VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.fixture(params=VIEWPORTS)
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


@pytest.fixture
def demo(server: Any) -> dict[str, Unit]:
    """The demo municipality, plus an overdue routine for Elin (login `medarbetare`) so every state shows."""
    demo_municipality_load()
    park = Unit.objects.get(code="GP-PARK")
    RoutineFactory(
        unit=park,
        owner=Person.objects.get(user__username="medarbetare"),
        title="Kontroll av gungor",
        review_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    return {"park": park, "department": Unit.objects.get(code="GP")}


def test_public_pages(sized_page: Page, server: Any) -> None:
    page, axe = sized_page, AxeCheck()

    MunicipalityFactory(name="Testby kommun", code="8001")  # the start page is the municipality's
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Testby kommun")
    axe.check(page, "the start page")

    page.goto("/principer/")
    expect(page.get_by_role("heading", level=2).first).to_be_visible()
    axe.check(page, "the principles page")

    page.goto("/konto/logga-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in som medarbetare")
    axe.check(page, "the login page")

    log_in(page, "ingen-sadan", "fel-losenord-123")
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the login page with errors")

    response = page.goto("/finns-inte/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi hittar inte sidan")
    axe.check(page, "the 404 page")

    axe.assert_clean()


def test_staff_pages(sized_page: Page, demo: dict[str, Unit]) -> None:
    page, axe = sized_page, AxeCheck()
    log_in(page, "medarbetare", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    expect(page.locator(".overdue")).to_have_count(1)
    axe.check(page, "Min sida")

    page.goto(f"/organisation/enheter/{demo['park'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkenheten")
    expect(page.get_by_role("table")).to_be_visible()
    axe.check(page, "the unit page of Parkenheten (leader, responsibilities, routines, members)")

    page.goto(f"/organisation/enheter/{demo['department'].pk}/")
    expect(page.get_by_role("heading", name="Underliggande enheter")).to_be_visible()
    axe.check(page, "the unit page of Gata och park (units below)")

    page.goto("/principer/")  # logged in, the page lists what is linked to each principle
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    axe.check(page, "the principles page, logged in")

    page.goto("/min-sida/")
    page.get_by_role("button", name="In English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My page")
    axe.check(page, "Min sida in English")

    axe.assert_clean()


def test_the_axe_check_reports_what_is_wrong(browser: Browser) -> None:
    """Guards the check itself: a page with known faults must fail, and the report must name them."""
    page = browser.new_page()
    try:
        page.set_content('<!doctype html><html><body><img src="x.png"><p style="color:#aaa">Grått</p></body></html>')
        violations = axe_violations(page)
    finally:
        page.close()
    assert {v["id"] for v in violations} >= {"image-alt", "color-contrast", "html-has-lang"}
    report = axe_report("a broken page", violations)
    assert "image-alt (critical)" in report
    assert 'html: <img src="x.png">' in report
