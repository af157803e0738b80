"""The municipality's face in a browser: the demo municipality's header, footer, contact, privacy and accessibility
pages, reached from the footer's links, with no axe-core (WCAG 2.1 A and AA) violations and no sideways scrolling,
at desktop and phone width."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.demo.municipality import DEMO_MUNICIPALITY_NAME, demo_municipality_load
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck

pytestmark = pytest.mark.browser


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


def test_the_footer_leads_to_the_municipalitys_pages_and_they_are_accessible(sized_page: Page, server: Any) -> None:
    demo_municipality_load()
    page, axe = sized_page, AxeCheck()

    page.goto("/")
    logo = page.locator(".site-header").get_by_role("link", name=DEMO_MUNICIPALITY_NAME)
    expect(logo.get_by_role("img", name=DEMO_MUNICIPALITY_NAME)).to_be_visible()
    assert page.evaluate("document.querySelector('.brand-logo').naturalWidth") > 0, "the logo did not load"
    expect(page).to_have_title(re.compile(f"– {DEMO_MUNICIPALITY_NAME}$"))
    footer = page.locator(".site-footer")
    expect(footer.get_by_role("link", name="0980-31 92 00")).to_have_attribute("href", "tel:0980319200")
    expect(footer).to_contain_text("Storgatan 12")
    axe.check(page, "the start page with the face")

    for link, heading in [
        ("Kontakt", "Kontakta Sjöbacka kommun"),
        ("Så behandlar vi personuppgifter", "Så behandlar vi personuppgifter"),
        ("Tillgänglighetsredogörelse", "Tillgänglighetsredogörelse"),
    ]:
        page.locator(".site-footer").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        axe.check(page, heading)

    expect(page.get_by_role("link", name="Anmäl en webbplats som inte är tillgänglig till Digg")).to_have_attribute(
        "href", "https://www.digg.se/tdosanmalan"
    )
    expect(page.get_by_role("main")).to_contain_text("Webbplatsen är delvis förenlig")

    page.goto("/lamna-synpunkt/")  # a page of the dialog (its own axe tests check the rest of it)
    expect(page.locator(".site-footer")).to_contain_text("0980-31 92 00")

    axe.assert_clean()
