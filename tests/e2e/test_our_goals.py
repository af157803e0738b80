"""The public "Våra mål" in the browser: the park team's leader publishes the goal's latest follow-up from the
goal's page (the analysis masked and marked), and a resident reads it on the public tree and on the goal's page with
its indicator's chart and its published activity listed below it; axe-core finds nothing on the publish page, the
tree and the goal's page, at desktop and phone width."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.goals import services
from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.indicators import IndicatorInput, MeasurementInput, indicator_create, measurement_record
from brobygget.goals.models import FollowUp, Goal, Level, Period
from brobygget.openresults import goals as our_goals
from brobygget.openresults.cache import public_changed
from brobygget.organisation.selectors import person_for_actor
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def followed_up(staff: dict[str, Any]) -> Goal:
    """Peter's park goal, monthly, with an indicator and a yellow follow-up of last month whose analysis names a
    telephone number."""
    peter = staff["leader"]
    peter.user.username = "peter"
    peter.user.save()
    today = datetime.date.today()
    period = Period.objects.create(
        municipality=staff["team"].municipality,
        name="Mandatperioden",
        start=today.replace(year=today.year - 1, month=1, day=1),
        end=today.replace(month=12, day=31),
    )
    goal = services.goal_create(
        actor=peter.user,
        unit=staff["team"],
        period=period,
        data=services.GoalInput(level=Level.UNIT, title="Rena lekplatser", responsible_id=peter.pk),
    )
    Goal.objects.filter(pk=goal.pk).update(rhythm="monthly")
    goal.refresh_from_db()
    indicator = indicator_create(
        actor=peter.user, goal=goal, data=IndicatorInput(name="Nöjda besökare", owner_id=peter.pk, unit_of_measure="%")
    )
    for year, value in ((today.year - 1, "71"), (today.year, "78")):
        measurement_record(actor=peter.user, indicator=indicator, data=MeasurementInput(year, Decimal(value)))
    last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
    follow_up_submit(
        actor=peter.user,
        goal=goal,
        covers_until=last_month_end,
        data=FollowUpInput(FollowUp.Status.YELLOW, "Fler lekplatser städas nu. Ring 070-123 45 67 om något saknas."),
    )
    return goal


def test_a_leader_publishes_a_follow_up_and_a_resident_reads_it(new_page, followed_up: Goal) -> None:
    axe = AxeCheck()
    page: Page = new_page(viewport=DESKTOP)
    log_in(page, "peter")
    page.goto(f"/mal/{followed_up.pk}/")
    page.get_by_role("link", name="Publicering och tillbakadragande").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Publicera i ”Våra mål”")
    expect(page.locator("mark.masked")).to_have_count(1)
    axe.check(page, "publishing a goal's follow-up")
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_text("Uppföljningen är publicerad i ”Våra mål”.")).to_be_visible()
    activity = _published_activity(followed_up)

    for viewport in (DESKTOP, PHONE):
        resident: Page = new_page(viewport=viewport)
        resident.goto("/resultat/vara-mal/")
        expect(resident.get_by_role("heading", level=1)).to_have_text("Våra mål")
        expect(resident.get_by_text("Fler lekplatser städas nu.", exact=False)).to_be_visible()
        assert "070-123 45 67" not in resident.content() and "Norén" not in resident.content()
        axe.check(resident, f"Våra mål ({viewport['width']} px)")
        assert activity.title not in resident.content()  # on the page of the goal it works towards
        resident.get_by_role("link", name="1 mål för förvaltningar och enheter arbetar mot detta", exact=False).click()
        expect(resident.locator("svg").first).to_be_visible()
        expect(resident.get_by_role("heading", name="1 mål arbetar mot det här målet")).to_be_visible()
        expect(resident.get_by_role("link", name=activity.title, exact=True)).to_be_visible()
        axe.check(resident, f"a published goal and the goals below it ({viewport['width']} px)")
    axe.assert_clean()


def _published_activity(goal: Goal) -> Goal:
    """An activity under the goal, followed up and published by Peter as the Publicera page does."""
    assert goal.responsible.user is not None
    peter = person_for_actor(actor=goal.responsible.user)
    assert peter is not None and peter.user is not None
    activity = services.goal_create(
        actor=peter.user,
        unit=goal.unit,
        period=goal.period,
        data=services.GoalInput(
            level=Level.ACTIVITY, title="Städa lekplatsen varje måndag", responsible_id=peter.pk, parent_id=goal.pk
        ),
    )
    Goal.objects.filter(pk=activity.pk).update(rhythm="monthly")
    activity.refresh_from_db()
    last_month_end = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    follow_up_submit(
        actor=peter.user, goal=activity, covers_until=last_month_end, data=FollowUpInput(FollowUp.Status.GREEN, "")
    )
    preview = our_goals.goal_publication_preview(person=peter, goal_id=activity.pk, actor=peter.user)
    our_goals.goal_publication_publish(actor=peter.user, goal_id=activity.pk, confirmed=preview.digest)
    public_changed()
    return activity
