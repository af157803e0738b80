"""A case handler's journey in a real browser: find the overdue case, answer it with a template, see the answer.

The pages' words are looked up through gettext, as a Swedish visitor gets them, so the test follows the texts.
"""

import datetime
import re
from collections.abc import Callable
from typing import Any, cast

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from brobygget.dialog.models import AnswerTemplate, Case, Category
from brobygget.organisation.models import Unit
from tests.e2e.helpers import PHONE, AxeCheck, log_in
from tests.factories import CategoryFactory, ServicePromiseFactory, UnitFactory, submit_case

pytestmark = pytest.mark.browser

TEMPLATE_TEXT = "Tack för att du hörde av dig! Vi byter kedjan på gungan i veckan."


def sv(message: str, **values: Any) -> str:
    with translation.override("sv"):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.fixture
def cases(staff: dict[str, Any]) -> dict[str, Case]:
    """Two cases of the park team: one came in a month ago and is overdue, one came in today."""
    team = staff["team"]
    category = cast(Category, CategoryFactory(municipality=team.municipality, unit=team, name="Parker och lekplatser"))
    ServicePromiseFactory(category=category, acknowledge_days=2, answer_days=10)
    AnswerTemplate.objects.create(municipality=team.municipality, title="Tack för felanmälan", text=TEMPLATE_TEXT)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        late = submit_case(
            category,
            kind="fault_report",
            text="Kedjan på gungan i Norrbyparken är trasig.",
            address="Norrbyparken",
            contact_email="ada@example.se",
            wants_answer=True,
        )[0]
    fresh = submit_case(category, kind="suggestion", text="Fler bänkar vid dammen, tack.")[0]
    return {"late": late, "fresh": fresh}


def test_a_handler_finds_the_overdue_case_and_answers_it_with_a_template(page: Page, cases: dict[str, Case]) -> None:
    late, fresh = cases["late"], cases["fresh"]
    axe = AxeCheck()
    log_in(page, "elin")

    page.get_by_role("navigation", name=sv("Main menu")).get_by_role("link", name=sv("Cases")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Cases"))
    cases_table = page.get_by_role("table")
    expect(cases_table.get_by_role("link", name=fresh.number)).to_be_visible()
    expect(cases_table.get_by_role("row").filter(has_text=late.number)).to_contain_text(sv("Overdue"))
    axe.check(page, "the inbox")

    page.get_by_label(sv("Only overdue cases")).check()
    page.get_by_role("button", name=sv("Show cases")).click()
    expect(page).to_have_url(re.compile(r"/arenden/\?.*forsenade=on"))
    expect(cases_table.get_by_role("link")).to_have_text([late.number])
    expect(page.get_by_text(sv("Showing %(first)s–%(last)s", first=1, last=1))).to_be_visible()

    cases_table.get_by_role("link", name=late.number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Case %(number)s", number=late.number))
    expect(page.locator(".resident-text")).to_have_text("Kedjan på gungan i Norrbyparken är trasig.")
    expect(page.get_by_text(sv("Overdue")).first).to_be_visible()
    axe.check(page, "the case page")

    page.get_by_label(sv("Answer template")).select_option(label="Tack för felanmälan")
    page.get_by_role("button", name=sv("Insert the template")).click()
    answer = page.get_by_label(sv("Answer to the resident"))
    expect(answer).to_have_value(TEMPLATE_TEXT)
    answer.fill(TEMPLATE_TEXT + " Hälsningar, Elin")
    page.get_by_role("button", name=sv("Send the answer"), exact=True).click()

    expect(page.get_by_role("status")).to_have_text(sv("The answer is saved and will be mailed to the resident."))
    history = page.get_by_role("region", name=sv("History"))
    expect(history).to_contain_text(TEMPLATE_TEXT + " Hälsningar, Elin")
    expect(history).to_contain_text("Elin Månsson")
    expect(page.locator(".case-badges")).to_contain_text(sv("Answered"))
    axe.check(page, "the case page after the answer")

    page.goto("/arenden/statistik/")
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("How we keep our promises"))
    chart = page.get_by_role("img", name=sv("Cases received and answered within the promise, per month"))
    expect(chart).to_be_visible()
    axe.check(page, "the statistics page")

    axe.assert_clean()


def test_the_staff_pages_of_the_dialog_fit_a_phone(new_page: Callable[..., Page], cases: dict[str, Case]) -> None:
    page, axe = new_page(viewport=PHONE), AxeCheck()
    log_in(page, "elin")

    page.goto("/arenden/")
    expect(page.get_by_role("table")).to_be_visible()
    axe.check(page, "the inbox on a phone")
    page.goto(f"/arenden/{cases['late'].pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check(page, "the case page on a phone")
    page.goto("/arenden/statistik/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check(page, "the statistics page on a phone")

    axe.assert_clean()


def test_an_action_works_without_javascript(new_page: Callable[..., Page], cases: dict[str, Case]) -> None:
    page = new_page(java_script_enabled=False)
    log_in(page, "elin")
    page.goto(f"/arenden/{cases['fresh'].pk}/")

    page.get_by_role("button", name=sv("Save the note")).click()  # empty: refused, the summary says why
    expect(page.get_by_role("alert")).to_contain_text(sv("Write the note."))
    page.get_by_role("textbox", name=sv("Internal note")).fill("Ringer vaktmästaren i morgon.")
    page.get_by_role("button", name=sv("Save the note")).click()

    expect(page.get_by_role("status")).to_have_text(sv("The internal note is saved."))
    expect(page.get_by_role("region", name=sv("History"))).to_contain_text("Ringer vaktmästaren i morgon.")


def test_a_rarer_action_has_its_own_page_that_works_without_javascript(
    new_page: Callable[..., Page], staff: dict[str, Any], cases: dict[str, Case]
) -> None:
    """Moving a case: the case page links to "Move the case"; the page opens the tree a level at a time by a button
    (no script), and the move comes back with a message (to the inbox: Elin does not see the street team's cases)."""
    department = staff["department"]
    street = cast(Unit, UnitFactory(municipality=department.municipality, parent=department, name="Gatuenheten"))
    page = new_page(java_script_enabled=False)
    log_in(page, "elin")
    page.goto(f"/arenden/{cases['fresh'].pk}/")

    page.get_by_role("link", name=sv("Move the case")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Move the case"))
    units = page.get_by_label(sv("Unit"))
    units.select_option(str(department.pk))  # the labels are indented by level
    page.get_by_role("button", name=sv("Show the units below")).click()
    expect(units).to_have_value(str(department.pk))
    units.select_option(str(street.pk))
    page.get_by_role("button", name=sv("Move the case")).click()

    expect(page.get_by_role("status")).to_have_text(sv("The case has been moved to %(unit)s.", unit=street.name))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Cases"))


def test_the_rarer_actions_pages_pass_axe_and_say_why_an_action_was_refused(page: Page, cases: dict[str, Case]) -> None:
    axe = AxeCheck()
    log_in(page, "elin")
    page.goto(f"/arenden/{cases['late'].pk}/")

    page.get_by_role("link", name=sv("Move the case")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Move the case"))
    axe.check(page, "the page Move the case")
    page.get_by_role("link", name=sv("Cancel")).click()
    page.get_by_role("link", name=sv("Not for us")).click()
    page.get_by_role("button", name=sv("Mark as not for us")).click()  # no reason: refused, the summary says why
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the page Not for us with an error")
    page.get_by_role("link", name=sv("Cancel")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Case %(number)s", number=cases["late"].number))

    axe.assert_clean()
