"""The public numbers pages in a browser: a resident narrows "Så håller vi våra löften" to a unit and a category with
the filter form (no JavaScript needed), downloads a table, and reads "Synpunkter i siffror" with its map; axe-core on
each page, with and without a refused filter, at desktop and phone width; printed, the tables stay and the filters go.
"""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PHONE, AxeCheck
from tests.openresults import numbers_data

pytestmark = pytest.mark.browser

numbers = numbers_data.numbers  # the fixture


@pytest.fixture
def figures(server: Any, org: dict[str, Any], numbers: dict[str, Any]) -> dict[str, Any]:
    return {**org, **numbers}


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_resident_narrows_the_promises_to_a_unit_and_downloads_a_table(
    new_page: Callable[..., Page], figures: dict[str, Any], javascript: bool
) -> None:
    page = new_page(java_script_enabled=javascript)
    page.goto("/resultat/loften/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Så håller vi våra löften")

    page.get_by_label("Enhet", exact=True).select_option(label="\u2003Samhällsbyggnad")
    page.get_by_label("Kategori", exact=True).select_option(label="Parker")
    page.get_by_role("button", name="Visa").click()

    expect(page).to_have_url(re.compile(rf"[?&]enhet={figures['admin_unit'].pk}&kategori={figures['park'].pk}&"))
    units = page.get_by_role("table", name="Per enhet")
    expect(units.get_by_role("rowheader")).to_have_text(["Parkenheten"])
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned ”Per kategori” som CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("id,category,received,")
    assert "Parker" in text and "Gator" not in text


def test_the_numbers_pages_pass_axe_at_desktop_and_phone_width_and_print_their_tables(
    new_page: Callable[..., Page], figures: dict[str, Any]
) -> None:
    axe = AxeCheck()
    for viewport in (None, PHONE):
        page = new_page(**({"viewport": viewport} if viewport else {}))
        width = "phone" if viewport else "desktop"
        for path, name in (
            ("/resultat/loften/", "promises"),
            ("/resultat/loften/?fran=maj&till=2026-05", "promises with a refused filter"),
            ("/resultat/siffror/", "figures and the map"),
            (f"/resultat/siffror/?enhet={figures['street_unit'].pk}", "figures of a unit"),
        ):
            page.goto(path)
            axe.check(page, f"{name} at {width} width")

    page = new_page()
    page.goto("/resultat/siffror/")
    page.emulate_media(media="print")
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.locator(".downloads").first).to_be_hidden()
    expect(page.get_by_role("table", name="Inkomna per typ", exact=True)).to_be_visible()
    axe.assert_clean()


def test_the_api_docs_page_shows_the_operations_from_our_own_files(
    new_page: Callable[..., Page], figures: dict[str, Any], server: Any
) -> None:
    page = new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")

    expect(page.get_by_text("/api/v1/promises/months").first).to_be_visible()
    assert requested and all(url.startswith(server.url) for url in requested), requested
