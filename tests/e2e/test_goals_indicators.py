"""Indicators in the browser: a leader adds an indicator to a goal, records a value with a decimal comma (after a
refused one), and imports a file with a bad row; axe-core finds nothing on the indicator's page, its forms (with their
errors), the import page with its bad lines and the Kolada search page, at desktop and phone width."""

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from brobygget.goals import services
from brobygget.goals.models import Goal, Level, Measurement, Period
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck, log_in

pytestmark = pytest.mark.browser


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


@pytest.fixture
def park_goal(staff) -> Goal:
    peter = staff["leader"]
    peter.user.username = "peter"
    peter.user.save()
    today = datetime.date.today()
    period = Period.objects.create(
        municipality=staff["team"].municipality,
        name=str(today.year),
        start=today.replace(month=1, day=1),
        end=today.replace(month=12, day=31),
    )
    return services.goal_create(
        actor=peter.user,
        unit=staff["team"],
        period=period,
        data=services.GoalInput(level=Level.UNIT, title="Rena lekplatser", responsible_id=peter.pk),
    )


def test_a_leader_adds_an_indicator_records_values_and_no_page_breaks_a_rule(
    sized_page: Page, park_goal: Goal, tmp_path: Path
) -> None:
    page, axe = sized_page, AxeCheck()
    log_in(page, "peter")
    page.goto(f"/mal/{park_goal.pk}/")
    page.get_by_role("link", name="Lägg till en indikator").click()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the indicator form with errors")

    page.get_by_label("Namn").fill("Andel nöjda besökare")
    page.get_by_label("Måttenhet").fill("procent")
    page.get_by_label("Grönt från").fill("80")
    page.get_by_label("Rött från").fill("60,5")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Andel nöjda besökare")

    page.get_by_role("link", name="Registrera ett värde").click()
    page.get_by_role("textbox", name="Värde").fill("sjuttio")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("textbox", name="Värde")).to_have_value("sjuttio")
    axe.check(page, "the value form with errors")
    page.get_by_role("textbox", name="Värde").fill("1 079,5")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("cell", name="1 079,5")).to_be_visible()
    expect(page.get_by_text("Grön", exact=True).first).to_be_visible()
    axe.check(page, "an indicator's page")
    assert Measurement.objects.get().value == Decimal("1079.5")

    page.get_by_role("link", name="Importera värden från fil").click()
    bad = tmp_path / "värden.csv"
    bad.write_text("indikator;år;värde\nAndel nöjda besökare;2026;70,5\nAndel nöjda besökare;2027;x\n")
    page.get_by_label("Fil").set_input_files(str(bad))
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Rad 3: Skriv ett tal")).to_be_visible()
    axe.check(page, "the import page with bad lines")

    page.goto(f"/mal/{park_goal.pk}/")
    expect(page.get_by_role("link", name="Andel nöjda besökare")).to_be_visible()
    axe.check(page, "a goal's page with its indicators")
    page.get_by_role("link", name="Koppla ett nyckeltal från Kolada").click()
    axe.check(page, "the Kolada search page")
    axe.assert_clean()
