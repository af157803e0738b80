"""A staff member's journey in a real browser: log in, find the unit and its leader, log out."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import PASSWORD, log_in

pytestmark = pytest.mark.browser

BRAND_BLUE = "rgb(11, 79, 108)"  # --brand in brobygget.css


def test_staff_member_logs_in_finds_the_unit_leader_and_logs_out(page: Page, staff) -> None:
    with page.expect_response(re.compile(r"/static/core/brobygget\.css$")) as stylesheet:
        page.goto("/")
    assert stylesheet.value.status == 200, "the live server does not serve the stylesheet"
    expect(page.locator(".site-header")).to_have_css("background-color", BRAND_BLUE)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Inloggning för medarbetare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Logga in som medarbetare")
    page.get_by_label("Användarnamn").press_sequentially("elin")
    page.get_by_label("Lösenord").press_sequentially(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    expect(page).to_have_url(re.compile(r"/min-sida/$"))
    expect(page).to_have_title("Min sida – Testby kommun")  # the municipality names the site
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    expect(page.get_by_text("Välkommen, Elin.")).to_be_visible()
    units = page.get_by_role("region", name="Mina enheter")
    expect(units.get_by_role("listitem")).to_have_text("Parkenheten (Medarbetare)")

    units.get_by_role("link", name="Parkenheten").click()
    expect(page).to_have_url(re.compile(rf"/organisation/enheter/{staff['team'].pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Parkenheten")
    breadcrumbs = page.get_by_role("navigation", name="Var enheten finns i organisationen")
    expect(breadcrumbs.get_by_role("link", name="Gata och park")).to_be_visible()
    responsible = page.get_by_role("region", name="Vem ansvarar för vad")
    expect(responsible.locator("dt").first).to_have_text("Ansvarig chef")
    expect(responsible.locator("dd").first).to_have_text("Peter Norén, Enhetschef")
    expect(page.get_by_role("region", name="Medarbetare i enheten")).to_contain_text("Elin Månsson (Medarbetare)")

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(re.compile(r"/$"))
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Inloggning för medarbetare")).to_be_visible()
    expect(menu.get_by_role("link", name="Min sida")).to_have_count(0)
    page.goto("/min-sida/")
    expect(page).to_have_url(re.compile(r"/konto/logga-in/\?next=/min-sida/$"))


def test_wrong_password_shows_the_error_summary_and_keeps_the_username(page: Page, staff) -> None:
    log_in(page, "elin", "fel-losenord-123")

    summary = page.get_by_role("alert")
    expect(summary.get_by_role("heading", level=2)).to_have_text("Rätta följande")
    expect(summary).to_contain_text("Användarnamnet eller lösenordet är fel. Tänk på stora och små bokstäver.")
    expect(summary).to_be_focused()  # a screen reader reads the summary first, without JavaScript
    expect(page.get_by_label("Användarnamn")).to_have_value("elin")
    expect(page.get_by_label("Lösenord")).to_have_value("")

    link = summary.get_by_role("link")
    expect(link).to_have_attribute("href", "#id_username")
    link.click()
    expect(page.get_by_label("Användarnamn")).to_be_focused()

    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")


def test_language_switch_shows_the_page_in_english_and_back(page: Page, staff) -> None:
    page.goto("/principer/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Våra principer")

    page.get_by_role("button", name="In English").click()
    expect(page).to_have_url(re.compile(r"/principer/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our principles")
    expect(page.get_by_role("link", name="Staff login")).to_be_visible()

    page.get_by_role("button", name="På svenska").click()
    expect(page).to_have_url(re.compile(r"/principer/$"))
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Våra principer")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page: Page, staff) -> None:
    page.goto("/")
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).not_to_be_in_viewport()  # hidden until it gets focus

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is the first link of the content, not the header again
    expect(page.locator("main").get_by_role("link").first).to_be_focused()


def test_login_works_without_javascript(new_page, staff) -> None:
    page = new_page(java_script_enabled=False)
    log_in(page, "elin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("link", name="Inloggning för medarbetare")).to_be_visible()
