"""Case handlers and leaders in a real browser: a leader's Min sida shows her units' late cases and who has them, and
she chooses how she hears of cases; a resident's "Nej" reaches the case handler (the inbox's mark, the case page)."""

import datetime
from typing import Any, cast

import pytest
import time_machine
from django.utils import timezone, translation
from playwright.sync_api import Page, ViewportSize, expect

from brobygget.dialog.models import CaseMail, CaseMailChoice, Category
from brobygget.dialog.services import case_answer, case_assign
from brobygget.organisation.models import Role
from tests.e2e.helpers import PHONE, AxeCheck, log_in
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    PersonFactory,
    ServicePromiseFactory,
    UserFactory,
    submit_case,
)

pytestmark = pytest.mark.browser


def sv(message: str, **values: Any) -> str:
    with translation.override("sv"):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.fixture
def department(staff: dict[str, Any]) -> dict[str, Any]:
    """Camilla leads Gata och park (login `camilla`), above the park team; two overdue park cases, one given to
    Elin, and one that came in today."""
    team = staff["team"]
    camilla = PersonFactory(
        municipality=team.municipality, first_name="Camilla", last_name="Rosén", user=UserFactory(username="camilla")
    )
    MembershipFactory(person=camilla, unit=staff["department"], role=Role.LEADER)
    category = cast(Category, CategoryFactory(municipality=team.municipality, unit=team, name="Parker och lekplatser"))
    ServicePromiseFactory(category=category, acknowledge_days=2, answer_days=10)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30), tick=False):
        given = submit_case(category, text="Kedjan på gungan är trasig.")[0]
        nobodys = submit_case(category, text="Papperskorgen vid dammen är full.")[0]
    fresh = submit_case(category, text="Fler bänkar, tack.")[0]
    case_assign(actor=None, case=given, unit=team, assignee=staff["person"])
    return {**staff, "camilla": camilla, "given": given, "nobodys": nobodys, "fresh": fresh, "category": category}


def test_a_leader_sees_her_units_late_cases_and_who_has_them_and_chooses_her_mail(
    page: Page, department: dict[str, Any]
) -> None:
    axe = AxeCheck()
    log_in(page, "camilla")

    led = page.get_by_role("region", name=sv("Cases in the units you lead"))
    expect(led).to_contain_text("2 ärenden är försenade")
    given_row = led.get_by_role("listitem").filter(has_text=department["given"].number)
    expect(given_row).to_contain_text("Elin Månsson")
    expect(given_row).to_contain_text(sv("Overdue"))
    expect(led.get_by_role("listitem").filter(has_text=department["nobodys"].number)).to_contain_text(
        sv("no case handler yet")
    )
    expect(led).not_to_contain_text(department["fresh"].number)
    expect(led).not_to_contain_text("Bra jobbat")  # praise only where it is true for what the section covers
    expect(page.get_by_role("region", name=sv("Cases to answer soon"))).not_to_contain_text("Bra jobbat")
    axe.check(page, "a leader's Min sida")

    mail = page.get_by_role("region", name=sv("Mail about cases"))
    expect(mail.get_by_label(sv("A daily summary"))).to_be_checked()  # a leader's default
    mail.get_by_label(sv("A mail for each case")).check()
    mail.get_by_role("button", name=sv("Save the choice")).click()
    expect(
        page.get_by_text(sv("Saved: you get a mail for each case that comes to your unit or is given to you."))
    ).to_be_visible()
    expect(
        page.get_by_role("region", name=sv("Mail about cases")).get_by_label(sv("A mail for each case"))
    ).to_be_checked()
    assert CaseMailChoice.objects.get(person=department["camilla"]).how == CaseMail.EACH
    axe.check(page, "Min sida after saving the choice")

    page.set_viewport_size(cast(ViewportSize, PHONE))
    page.reload()
    axe.check(page, "a leader's Min sida on a phone")
    axe.assert_clean()

    page.get_by_role("region", name=sv("Cases in the units you lead")).get_by_role(
        "link", name=department["nobodys"].number
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        sv("Case %(number)s", number=department["nobodys"].number)
    )


def test_a_residents_no_reaches_the_case_handler(new_page, department: dict[str, Any]) -> None:
    staff = department
    case, key = submit_case(staff["category"], text="Lampan vid gångvägen blinkar.", contact_email="ada@example.se")
    case_assign(actor=None, case=case, unit=staff["team"], assignee=staff["person"])
    case_answer(actor=staff["person"].user, case=case, text="Vi har bytt lampan.", close=True)

    resident = new_page()
    resident.goto(f"/arende/{case.number}/{key}/")
    resident.get_by_role("button", name=sv("No"), exact=True).click()
    expect(resident.get_by_role("status")).to_be_visible()

    axe = AxeCheck()
    elin = new_page()
    log_in(elin, "elin")
    elin.goto("/arenden/")
    row = elin.get_by_role("row").filter(has_text=case.number)
    expect(row).to_contain_text(sv("New from the resident"))
    axe.check(elin, "the inbox with news from a resident")

    row.get_by_role("link", name=case.number).click()
    said = elin.get_by_role("region", name=sv("The resident answered: No, not solved"))
    expect(said).to_be_visible()
    history = elin.get_by_role("region", name=sv("History"))
    expect(history).to_contain_text(sv("No, it was not solved."))
    expect(history).to_contain_text(sv("the resident"))
    axe.check(elin, "the case page with the resident's no")

    said.get_by_role("button", name=sv("Reopen the case")).click()
    expect(elin.get_by_text(sv("The case is marked as being handled."))).to_be_visible()
    expect(elin.get_by_role("region", name=sv("History"))).to_contain_text(sv("Reopened."))

    elin.goto("/arenden/")
    expect(elin.get_by_role("row").filter(has_text=case.number)).not_to_contain_text(sv("New from the resident"))
    elin.set_viewport_size(cast(ViewportSize, PHONE))
    elin.goto(f"/arenden/{case.pk}/")
    axe.check(elin, "the case page on a phone")
    axe.assert_clean()
