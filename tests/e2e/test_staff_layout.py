"""Staff pages use the screen: the inbox fits a 1,280 px desktop, and on a phone its first column stays in view.

The registrar sees every case of the municipality, so the inbox is as full as it gets: long unit and category
names, named case handlers and overdue badges in the last column.
"""

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from brobygget.dialog.models import Category
from brobygget.dialog.services import case_assign
from brobygget.organisation.models import Person, Role, Unit
from tests.e2e.helpers import assert_no_axe_violations, log_in
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
    UserFactory,
    submit_case,
)

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
KINDS = ["complaint", "fault_report", "suggestion", "question", "praise"]


@pytest.fixture
def full_inbox(server: Any) -> str:
    """A page's worth of cases and more, some overdue and assigned, for the registrar `registrator`."""
    municipality = MunicipalityFactory(name="Testby kommun", code="8001")
    board = UnitFactory(municipality=municipality, code="KS", name="Kommunstyrelsen", kind="board")
    department = UnitFactory(
        municipality=municipality, code="SBF", name="Samhällsbyggnadsförvaltningen", kind="department", parent=board
    )
    teams = [
        cast(
            Unit,
            UnitFactory(municipality=municipality, code="GP", name="Gata, park och grönområden", parent=department),
        ),
        cast(
            Unit,
            UnitFactory(municipality=municipality, code="VA", name="Vatten, avlopp och renhållning", parent=department),
        ),
    ]
    registrar = PersonFactory(
        municipality=municipality, first_name="Maria", last_name="Ek", user=UserFactory(username="registrator")
    )
    MembershipFactory(person=registrar, unit=board, role=Role.REGISTRAR)
    handler = cast(
        Person, PersonFactory(municipality=municipality, first_name="Karl-Johan", last_name="Lindqvist-Håkansson")
    )
    MembershipFactory(person=handler, unit=teams[0], role=Role.STAFF)
    categories = []
    for team, name in zip(teams, ["Gator, trottoarer och cykelvägar", "Vattenläckor och avloppsstopp"], strict=True):
        category = cast(Category, CategoryFactory(municipality=municipality, unit=team, name=name))
        ServicePromiseFactory(category=category, acknowledge_days=2, answer_days=10)
        categories.append(category)
    a_month_ago = timezone.now() - datetime.timedelta(days=30)
    for n in range(30):
        category, kind = categories[n % 2], KINDS[n % len(KINDS)]
        with time_machine.travel(a_month_ago + datetime.timedelta(days=n), tick=False):
            case = submit_case(category, kind=kind, text=f"Ärende {n}", contact_email="ada@example.se")[0]
        if n % 3 == 0 and category.unit_id == teams[0].pk:
            case_assign(actor=None, case=case, unit=teams[0], assignee=handler)
    return "registrator"


def screenshot(page: Page, directory: Path, name: str) -> None:
    """Kept in pytest's temporary directory (the last three runs), to look at when the layout changes."""
    page.screenshot(path=str(directory / f"staff-layout-{name}.png"), full_page=True)


def right_edge_inside(page: Page, inner: Locator, outer: Locator) -> bool:
    inner_box, outer_box = inner.bounding_box(), outer.bounding_box()
    assert inner_box is not None and outer_box is not None
    return inner_box["x"] + inner_box["width"] <= outer_box["x"] + outer_box["width"] + 0.5


def test_the_inbox_fits_a_laptop_screen(new_page: Callable[..., Page], full_inbox: str, tmp_path: Path) -> None:
    page = new_page(viewport=LAPTOP)
    log_in(page, full_inbox)
    page.goto("/arenden/")

    table = page.locator("table.cases")
    expect(table.locator("tbody tr")).to_have_count(25)
    region = page.locator(".table-scroll").filter(has=table)
    widths = region.evaluate("r => ({table: r.querySelector('table').scrollWidth, region: r.clientWidth})")
    assert widths["table"] <= widths["region"], f"the inbox scrolls sideways at 1280 px: {widths}"
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    last_column = table.locator("thead th").last
    expect(last_column).to_have_text("Svar senast")
    expect(last_column).to_be_in_viewport()
    assert right_edge_inside(page, last_column, region)
    assert right_edge_inside(page, table.locator("tbody tr").first.locator("td").last, region)
    # The resident pages keep their narrow reading column; the inbox is wider than it.
    assert region.evaluate("r => r.clientWidth") > 960
    screenshot(page, tmp_path, "1280")
    assert_no_axe_violations(page, "the inbox at 1280 px")


def test_on_a_phone_the_case_number_stays_in_view_while_the_table_scrolls(
    new_page: Callable[..., Page], full_inbox: str, tmp_path: Path
) -> None:
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, full_inbox)
    page.goto("/arenden/")

    region = page.get_by_role("region", name="Ärenden, 1–25")
    expect(region).to_be_visible()
    assert region.get_attribute("tabindex") == "0"  # reachable by keyboard, to scroll with the arrow keys
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "expected the table to scroll on a phone"
    first_number = region.locator("tbody th").first
    region.locator("thead").scroll_into_view_if_needed()  # the table is below the filters on a phone
    before = first_number.bounding_box()

    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    assert region.evaluate("r => r.scrollLeft") > 100

    after = first_number.bounding_box()
    assert before is not None and after is not None
    assert after["x"] == pytest.approx(before["x"], abs=1), "the case number scrolled out of view"
    expect(first_number).to_be_in_viewport()
    expect(region.locator("thead th").last).to_be_in_viewport()
    # Nothing else on the page scrolls sideways: the table scrolls inside its region.
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, tmp_path, "390")
    assert_no_axe_violations(page, "the inbox on a phone, scrolled")


def test_resident_pages_keep_their_reading_column(new_page: Callable[..., Page], server: Any) -> None:
    MunicipalityFactory(name="Testby kommun", code="8001")
    page = new_page(viewport={"width": 1920, "height": 1080})
    page.goto("/")

    assert page.locator("body").get_attribute("class") == "layout-reading"
    assert page.locator("main").evaluate("m => m.clientWidth") <= 960
