"""A board meeting in a real browser, with the keyboard alone: from the board to the meeting mode, through the cards
one by one (moving one on and answering its stage's question), back to the board, where a card moves in place
(htmx) and the focus stays on it; axe-core on the board, the meeting mode and the figures page."""

import datetime
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from brobygget.improvement import services
from brobygget.improvement.models import Improvement, Stage
from brobygget.organisation.models import Person
from tests.e2e.helpers import PASSWORD, PHONE, AxeCheck
from tests.factories import UnitFactory

pytestmark = pytest.mark.browser


def tab_to(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until `target` has the focus, as a keyboard user does; fail when it never gets it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


@pytest.fixture
def board(staff: dict[str, Any]) -> dict[str, Any]:
    """Elin's board: an overdue idea, one raised today and one with no due date."""
    elin = Person.objects.with_roles().get(pk=staff["person"].pk)
    today = timezone.localdate()

    def make(title: str, due: datetime.date | None) -> Improvement:
        data = services.ImprovementInput(
            title=title,
            problem="Invånare ringer och frågar.",
            value_for_resident="De slipper ringa.",
            idea="Skriv det på webben.",
            measure="Antal samtal i veckan.",
            owner_id=elin.pk,
            due_date=due,
        )
        return services.improvement_raise(actor=elin.user, unit=staff["team"], data=data)

    return {
        "overdue": make("Skyltar vid lekplatsen", today - datetime.timedelta(days=3)),
        "later": make("Sms om plogning", today + datetime.timedelta(days=30)),
        "open": make("Bänkar i parken", None),
        **staff,
    }


def test_a_board_meeting_with_the_keyboard_alone(page: Page, board: dict[str, Any]) -> None:
    axe = AxeCheck()
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").focus()
    page.keyboard.type("elin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")

    team = board["team"]
    page.goto(f"/forbattringar/enheter/{team.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förbättringstavla för Parkenheten")
    axe.check(page, "the board")

    tab_to(page, page.get_by_role("link", name="Starta tavelmötet"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tavelmöte: Parkenheten")
    expect(page.get_by_text("Kort 1 av 3")).to_be_visible()
    card = page.locator(".meeting-card")
    expect(card.get_by_role("heading", level=2)).to_have_text("Skyltar vid lekplatsen")  # overdue first
    expect(card).to_contain_text("Försenad")
    axe.check(page, "the meeting mode")

    # The overdue idea moves on to Plan; the meeting stays at the card, which now asks Plan's question.
    tab_to(page, card.get_by_role("button", name="Flytta till Planera"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("”Skyltar vid lekplatsen” flyttades till Planera.")
    expect(card.get_by_role("heading", level=2)).to_have_text("Skyltar vid lekplatsen")
    answer = card.get_by_label("Vad förväntar vi oss ska hända?")
    tab_to(page, answer)
    page.keyboard.type("Färre frågor om lekplatsen.")
    tab_to(page, card.get_by_role("button", name="Spara svaret och flytta till Göra"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("flyttades till Göra.")
    expect(card).to_contain_text("Vad gjorde vi?")
    axe.check(page, "the meeting mode after a move")

    # Next, and next again, through the cards in order, then back to the board.
    titles = []
    for _ in range(2):
        tab_to(page, page.get_by_role("link", name="Nästa", exact=True))
        page.keyboard.press("Enter")
        titles.append(card.get_by_role("heading", level=2).inner_text())
    assert titles == ["Sms om plogning", "Bänkar i parken"]  # by due date, those without one last
    expect(page.get_by_text("Kort 3 av 3")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Avsluta mötet: tillbaka till tavlan"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förbättringstavla för Parkenheten")

    # On the board a card moves in place (htmx): no new page, the message is spoken, the focus stays on the card.
    page.evaluate("window.notReloaded = true")
    later = board["later"]
    tab_to(page, page.get_by_role("button", name="Flytta till Planera – Sms om plogning"))
    page.keyboard.press("Enter")
    expect(page.locator("#board-status")).to_contain_text("”Sms om plogning” flyttades till Planera.")
    expect(page.locator(f"#kort-{later.pk} h3 a")).to_be_focused()
    plan = page.locator(".board-column[data-stage=plan]")
    expect(plan.get_by_role("link", name="Sms om plogning")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    assert Improvement.objects.get(pk=later.pk).stage == Stage.PLAN
    axe.check(page, "the board after a move in place")

    tab_to(page, page.get_by_role("link", name="Enhetens siffror"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Förbättringssiffror för Parkenheten")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    axe.check(page, "the figures")
    axe.assert_clean()


def test_a_card_dragged_to_the_next_column_moves_in_place(page: Page, board: dict[str, Any]) -> None:
    # The Content Security Policy allows scripts and styles from our static files only: htmx must need nothing else.
    refused: list[str] = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("elin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    # Tall enough that the card and the column it goes to are both in view: Playwright's drag would otherwise scroll
    # between pressing and moving, and Chromium starts the drag from whatever card is under the pointer by then.
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"/forbattringar/enheter/{board['team'].pk}/")

    card = page.locator(f"#kort-{board['open'].pk}")
    expect(card).to_have_attribute("draggable", "true")
    card.drag_to(page.locator(".board-column[data-stage=plan]"))

    expect(page.locator("#board-status")).to_contain_text("”Bänkar i parken” flyttades till Planera.")
    expect(page.locator(".board-column[data-stage=plan]")).to_contain_text("Bänkar i parken")
    assert re.search(rf"/forbattringar/enheter/{board['team'].pk}/$", page.url)
    assert Improvement.objects.get(pk=board["open"].pk).stage == Stage.PLAN

    assert refused == []

    # Plan's question is not answered yet: the in-place move goes to the answer form on the improvement's page.
    page.get_by_role("button", name="Flytta till Göra – Bänkar i parken").click()
    expect(page).to_have_url(re.compile(rf"/forbattringar/{board['open'].pk}/#svara$"))
    expect(page.get_by_role("status")).to_contain_text("Svara på frågan i Planera")
    expect(page.get_by_label("Vad förväntar vi oss ska hända?")).to_be_visible()


def test_the_board_the_meeting_and_the_figures_on_a_phone(new_page: Any, board: dict[str, Any]) -> None:
    page, axe = new_page(viewport=PHONE), AxeCheck()
    team = board["team"]
    UnitFactory(municipality=team.municipality, code="LEK", name="Lekplatsgruppen", parent=team)  # a unit below
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("elin")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Min sida")
    for url, name in (
        (f"/forbattringar/enheter/{team.pk}/", "the board"),
        (f"/forbattringar/enheter/{team.pk}/mote/", "the meeting mode"),
        (f"/forbattringar/enheter/{team.pk}/siffror/", "the figures"),
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).not_to_have_text("Vi hittar inte sidan")
        axe.check(page, f"{name} on a phone")
    expect(page.get_by_role("link", name="Lekplatsgruppen")).to_be_visible()
    axe.assert_clean()
