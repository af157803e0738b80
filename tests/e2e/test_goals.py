"""The goal tree in the browser: a leader adds an activity under the unit's goal with the keyboard's form, and
axe-core finds nothing on the tree, a goal's page, the form (with its errors) and the copy-down page, at desktop and
phone width; the department's leader copies a goal down."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.goals import services
from brobygget.goals.models import Goal, Level, Period
from brobygget.organisation.models import Role
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, log_in
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


@pytest.fixture
def goals(staff):
    """Peter leads the park team; Anna, the department's leader, sets a committee goal, and Peter a park goal."""
    department, team = staff["department"], staff["team"]
    chief = PersonFactory(
        municipality=department.municipality, first_name="Anna", last_name="Ek", user=UserFactory(username="anna")
    )
    MembershipFactory(person=chief, unit=department, role=Role.LEADER)
    peter = staff["leader"]
    peter.user.username = "peter"
    peter.user.save()
    today = datetime.date.today()
    period = Period.objects.create(
        municipality=department.municipality,
        name=str(today.year),
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
    )
    committee = services.goal_create(
        actor=chief.user,
        unit=department,
        period=period,
        data=services.GoalInput(level=Level.COMMITTEE, title="Trygga offentliga miljöer", responsible_id=chief.pk),
    )
    park = services.goal_create(
        actor=peter.user,
        unit=team,
        period=period,
        data=services.GoalInput(
            level=Level.UNIT, title="Rena lekplatser", responsible_id=peter.pk, parent_id=committee.pk
        ),
    )
    return {"committee": committee, "park": park}


def test_a_leader_adds_an_activity_and_no_page_breaks_a_rule(sized_page: Page, goals: dict[str, Any]) -> None:
    page, axe = sized_page, AxeCheck()
    log_in(page, "peter")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mål").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mål")
    axe.check(page, "the goal tree")

    page.get_by_role("link", name="Rena lekplatser").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rena lekplatser")
    axe.check(page, "a goal's page")

    page.get_by_role("link", name="Lägg till ett mål eller en aktivitet under det").click()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the goal form with errors")

    page.get_by_label("Nivå").select_option("activity")
    page.get_by_label("Rubrik").fill("Städa lekplatsen varje måndag")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Städa lekplatsen varje måndag")
    assert Goal.objects.get(title="Städa lekplatsen varje måndag").parent == goals["park"]

    # The department's leader copies her goal down to the park team, after a confirmation.
    page.context.clear_cookies()
    log_in(page, "anna")
    page.goto(f"/mal/{goals['committee'].pk}/")
    page.get_by_role("link", name="Kopiera det nedåt till enheterna under").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kopiera målet nedåt")
    axe.check(page, "copy down")
    page.get_by_role("button", name="Ja, kopiera målet nedåt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygga offentliga miljöer")
    expect(page.get_by_role("heading", name="Kopior")).to_be_visible()
    axe.check(page, "a goal's page with its copies")
    axe.assert_clean()
