"""In a real browser: the inbox's search (a case number opens the case, words find cases) and its downloads, and an
answer template inserted after typing, with JavaScript and without: the typed text and the template are both there.
axe-core on each changed page, at desktop and phone width; the resident's chosen "Blev det löst?" button."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from brobygget.dialog.models import AnswerTemplate, Category
from brobygget.dialog.services import case_answer
from brobygget.dialog.tracking import tracking_key
from tests.e2e.helpers import PHONE, AxeCheck, log_in
from tests.factories import CategoryFactory, ServicePromiseFactory, submit_case

pytestmark = pytest.mark.browser

TEMPLATE_TEXT = "Vi byter kedjan på gungan i veckan."
TYPED = "Hej Ada! Tack för att du hörde av dig."


def sv(message: str, **values: Any) -> str:
    with translation.override("sv"):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.fixture
def cases(staff: dict[str, Any]) -> dict[str, Any]:
    team = staff["team"]
    category = cast(Category, CategoryFactory(municipality=team.municipality, unit=team, name="Parker och lekplatser"))
    ServicePromiseFactory(category=category, acknowledge_days=2, answer_days=10)
    AnswerTemplate.objects.create(municipality=team.municipality, title="Kedjan byts", text=TEMPLATE_TEXT)
    swing, swing_key = submit_case(
        category, text="Kedjan på gungan i Norrbyparken är trasig.", address="Norrbyparken", contact_email="a@b.se"
    )
    bench = submit_case(category, kind="suggestion", text="Fler bänkar vid dammen, tack.", address="Dammvägen 3")[0]
    return {"swing": swing, "swing_key": swing_key, "bench": bench, "staff": staff}


def test_the_search_opens_a_case_by_number_and_finds_cases_by_their_words(page: Page, cases: dict[str, Any]) -> None:
    swing, bench = cases["swing"], cases["bench"]
    axe = AxeCheck()
    log_in(page, "elin")
    page.goto("/arenden/")

    search = page.get_by_role("searchbox", name=sv("Search"))
    search.fill("dammen")
    page.get_by_role("button", name=sv("Show cases")).click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link")).to_have_text([bench.number])
    expect(search).to_have_value("dammen")
    axe.check(page, "the inbox with a search")
    expect(page.get_by_role("link", name=sv("CSV file"))).to_have_attribute("href", re.compile(r"sok=dammen"))

    with page.expect_download() as download:
        page.get_by_role("link", name=sv("CSV file")).click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert bench.number in content and swing.number not in content

    search.fill("elefant")
    page.get_by_role("button", name=sv("Show cases")).click()
    expect(page.get_by_text(sv("No cases hold those words with these filters. Try fewer words, or clear the filters.")))
    axe.check(page, "the inbox when a search finds nothing")

    page.get_by_role("searchbox", name=sv("Search")).fill(swing.number.lower().replace("-", " "))
    page.get_by_role("button", name=sv("Show cases")).click()
    expect(page).to_have_url(re.compile(rf"/arenden/{swing.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Case %(number)s", number=swing.number))

    axe.assert_clean()


def test_a_template_inserted_after_typing_keeps_the_typed_text(page: Page, cases: dict[str, Any]) -> None:
    swing = cases["swing"]
    axe = AxeCheck()
    log_in(page, "elin")
    page.goto(f"/arenden/{swing.pk}/")

    answer = page.get_by_label(sv("Answer to the resident"))
    answer.fill(TYPED)
    page.get_by_label(sv("Answer template")).select_option(label="Kedjan byts")
    page.get_by_role("button", name=sv("Insert the template")).click()

    expect(answer).to_have_value(f"{TYPED}\n\n{TEMPLATE_TEXT}")
    expect(answer).to_be_focused()
    inserted = sv("The template is inserted in the answer, at the cursor. Adapt it before you send it.")
    expect(page.get_by_role("status").filter(has_text=inserted)).to_be_visible()
    assert page.url.endswith(f"/arenden/{swing.pk}/")  # no round trip: the script inserted it
    axe.check(page, "the case page after a template was inserted")

    # At the cursor: between the greeting and the rest
    answer.fill("Hej Ada!\nMvh Elin")
    answer.evaluate("box => { box.focus(); box.setSelectionRange(9, 9); box.dispatchEvent(new Event('keyup')); }")
    page.get_by_role("button", name=sv("Insert the template")).click()
    expect(answer).to_have_value(f"Hej Ada!\n\n{TEMPLATE_TEXT}\n\nMvh Elin")

    page.get_by_role("button", name=sv("Send the answer"), exact=True).click()
    expect(page.get_by_role("region", name=sv("History"))).to_contain_text(TEMPLATE_TEXT)
    axe.assert_clean()


def test_without_javascript_the_server_adds_the_template_after_the_typed_text(
    new_page: Callable[..., Page], cases: dict[str, Any]
) -> None:
    swing = cases["swing"]
    page = new_page(java_script_enabled=False)  # axe-core needs JavaScript: it checks this page in the next test
    log_in(page, "elin")
    page.goto(f"/arenden/{swing.pk}/")

    page.get_by_label(sv("Answer to the resident")).fill(TYPED)
    page.get_by_label(sv("Answer template")).select_option(label="Kedjan byts")
    page.get_by_role("button", name=sv("Insert the template")).click()

    answer = page.get_by_label(sv("Answer to the resident"))
    expect(answer).to_have_value(f"{TYPED}\n\n{TEMPLATE_TEXT}")
    expect(page.get_by_text(sv("The template is added after your text. Adapt it before you send it."))).to_be_visible()
    expect(page.get_by_role("region", name=sv("History"))).not_to_contain_text(TYPED)  # nothing was sent


def test_the_changed_pages_fit_a_phone(new_page: Callable[..., Page], cases: dict[str, Any]) -> None:
    swing = cases["swing"]
    case_answer(actor=None, case=swing, text="Vi lagar den på fredag.")
    page, axe = new_page(viewport=PHONE), AxeCheck()

    track = f"/arende/{swing.number}/{tracking_key(swing)}/"
    page.goto(track)
    page.get_by_role("button", name=sv("No"), exact=True).click()
    chosen = page.get_by_role("button", name=re.compile(sv("No")))
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name=sv("Yes"), exact=True)).to_have_attribute("aria-pressed", "false")
    axe.check(page, "the tracking page with the resident's choice, on a phone")

    log_in(page, "elin")
    page.goto("/arenden/?sok=gungan")
    expect(page.get_by_role("table").get_by_role("link")).to_have_text([swing.number])
    axe.check(page, "the inbox with a search, on a phone")
    page.goto(f"/arenden/{swing.pk}/")
    axe.check(page, "the case page with the template chooser, on a phone")

    # The page the server answers "Infoga mallen" with when staff.js does not run (blocked here, so axe can run)
    page.route("**/dialog/staff*.js", lambda route: route.abort())
    page.goto(f"/arenden/{swing.pk}/")
    page.get_by_label(sv("Answer to the resident")).fill(TYPED)
    page.get_by_role("button", name=sv("Insert the template")).click()
    expect(page.get_by_label(sv("Answer to the resident"))).to_have_value(f"{TYPED}\n\n{TEMPLATE_TEXT}")
    axe.check(page, "the case page after the server added a template, on a phone")
    axe.assert_clean()
