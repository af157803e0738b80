"""Deviations, learnings and the search in a real browser: Elin reports a deviation with the short form, Peter (her
leader) finds it on Min sida and makes it an anonymous learning, and the search finds it without a name; axe-core on
every page of the way, with and without errors, at desktop and phone width."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_a_deviation_becomes_an_anonymous_learning_that_the_search_finds(
    new_page: Callable[..., Page], staff: dict[str, Any], viewport: dict[str, int]
) -> None:
    axe = AxeCheck()
    elin = new_page(viewport=viewport)
    log_in(elin, staff["username"])
    elin.goto("/forbattringar/avvikelser/ny/")
    axe.check(elin, "the deviation form")
    elin.get_by_role("button", name="Rapportera avvikelsen").click()
    expect(elin.get_by_role("alert")).to_be_visible()
    axe.check(elin, "the deviation form with errors")
    elin.get_by_label("Vad hände?").fill("Nyckelskåpet var tomt på morgonen.")
    elin.get_by_label("Var?").fill("Hemtjänstens kontor")
    elin.get_by_role("button", name="Rapportera avvikelsen").click()
    expect(elin.get_by_text("Avvikelsen är rapporterad")).to_be_visible()
    axe.check(elin, "the deviations list")

    peter = new_page(viewport=viewport)
    log_in(peter, staff["leader"].user.username)
    expect(peter.get_by_role("heading", name="Avvikelser att ta ställning till")).to_be_visible()
    peter.get_by_role("link", name="Hemtjänstens kontor").click()
    make_learning = peter.get_by_role("link", name="Gör den till en lärdom")
    expect(make_learning).to_be_visible()  # the deviation's page has come: axe reads it, not the page being left
    axe.check(peter, "a deviation, for its leader")
    make_learning.click()
    expect(peter.get_by_label("Vad hände?")).to_have_value("Nyckelskåpet var tomt på morgonen.")
    axe.check(peter, "the learning form")
    peter.get_by_label("Rubrik").fill("Nycklar som försvinner")
    peter.get_by_label("Vad förväntade vi oss?").fill("Att nycklarna fanns på plats.")
    peter.get_by_label("Vad lärde vi oss?").fill("Ingen visste vem som lämnar tillbaka dem.")
    peter.get_by_label("Vad ändrar vi?").fill("Kvällspasset har en checklista.")
    peter.get_by_label("Publicera lärdomen utan mitt namn").check()
    peter.get_by_role("button", name="Publicera lärdomen").click()
    expect(peter.get_by_text("Publicerad utan namn")).to_be_visible()
    axe.check(peter, "a learning")

    elin.goto("/forbattringar/lardomar/")
    elin.get_by_label("Sök efter").fill("nycklarna")
    elin.get_by_role("button", name="Sök", exact=True).click()
    result = elin.get_by_role("link", name="Nycklar som försvinner")
    expect(result).to_be_visible()
    expect(elin.locator("main")).not_to_contain_text("Peter")
    axe.check(elin, "the search with a hit")
    result.click()
    expect(elin.locator("main")).not_to_contain_text("Norén")
    axe.check(elin, "a learning, for a reader")
    axe.assert_clean()
