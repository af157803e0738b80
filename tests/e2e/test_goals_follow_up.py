"""A leader follows up a goal in the browser: from Min sida to the form (refused without an analysis for red, then
saved), the goal's page with its status, the unit's dashboard and the follow-up report; axe-core finds nothing on
the tree, the form (with its error), the goal, the dashboard and the report, at desktop and phone width."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.goals import services
from brobygget.goals.models import FollowUp, Level, Period, Rhythm
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


@pytest.fixture
def park_goal(staff: dict[str, Any]) -> Any:
    """Peter leads the park team and answers for its goal, followed up every month, in a period around today."""
    team, peter = staff["team"], staff["leader"]
    peter.user = UserFactory(username="peter")
    peter.save()
    today = datetime.date.today()
    period = Period.objects.create(
        municipality=team.municipality,
        name="Mandatperioden",
        start=datetime.date(today.year - 1, 1, 1),
        end=datetime.date(today.year + 1, 12, 31),
    )
    return services.goal_create(
        actor=peter.user,
        unit=team,
        period=period,
        data=services.GoalInput(
            level=Level.UNIT, title="Rena lekplatser", responsible_id=peter.pk, rhythm=Rhythm.MONTHLY
        ),
    )


def test_a_leader_follows_up_a_goal_and_no_page_breaks_a_rule(sized_page: Page, park_goal: Any) -> None:
    page, axe = sized_page, AxeCheck()
    log_in(page, "peter")
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + "/min-sida/")
    section = page.get_by_role("region", name="Mål att följa upp")
    expect(section).to_be_visible()
    section.get_by_role("link", name="Rena lekplatser").first.click()  # the overdue one comes first
    expect(page.get_by_role("heading", level=1)).to_have_text("Följ upp målet")

    page.get_by_label("Röd – Avviker").check()
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Skriv en analys när statusen är gul eller röd").first).to_be_visible()
    axe.check(page, "the follow-up form with its error")

    page.get_by_label("Analys").fill("Vi ser skräp på tre lekplatser. Städrundan uteblev. Vi lägger till en runda.")
    page.get_by_role("button", name="Spara uppföljningen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rena lekplatser")
    expect(page.get_by_text("Uppföljningen är sparad")).to_be_visible()
    axe.check(page, "a goal's page with its follow-up")
    assert FollowUp.objects.get(goal=park_goal).status == "red"

    page.get_by_role("link", name="Översikt över målen för Parkenheten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål för Parkenheten")
    expect(page.get_by_text("Var är vi?")).to_be_visible()
    axe.check(page, "the unit's dashboard")

    page.get_by_role("link", name="Uppföljningsrapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning av Parkenheten")
    expect(page.get_by_text("Städrundan uteblev").first).to_be_visible()
    axe.check(page, "the follow-up report")

    page.get_by_role("link", name="Mål", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mål")
    axe.check(page, "the goal tree")
    axe.assert_clean()
