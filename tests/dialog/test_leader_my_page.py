"""A leader's Min sida: what is overdue or due soon in the units she leads and below, assigned or not, with who has
it; praise only where it is true; the same number of queries however many cases."""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from brobygget.dialog.my_page import LED_LIMIT
from brobygget.dialog.services import case_assign
from brobygget.organisation.models import Role
from tests.dialog.conftest import sv
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
    submit_case,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SUBMITTED = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)  # due Monday 16 March (10 working days)
PRAISE = "No case in the units you lead is overdue or due in the next two working days. Well done!"


def at(day: int):
    return time_machine.travel(datetime.datetime(2026, 3, day, 9, tzinfo=STOCKHOLM), tick=False)


def led_section(html: str) -> str:
    start = html.index('id="led-cases-title"')
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


@pytest.fixture
def department(org):
    """Samhällsbyggnad led by Gun, with the park team (org) and a street team below it; a case in each, one given to
    Mats of the park team, and one case elsewhere in the municipality."""
    municipality = org["team"].municipality
    gun = PersonFactory(municipality=municipality, first_name="Gun", last_name="Chef")
    MembershipFactory(person=gun, unit=org["admin_unit"], role=Role.LEADER)
    street = UnitFactory(municipality=municipality, name="Gatuenheten", parent=org["admin_unit"])
    school = UnitFactory(municipality=municipality, name="Skolan", parent=org["root"])
    categories = {}
    for unit in (org["team"], street, school):
        categories[unit.name] = CategoryFactory(municipality=municipality, unit=unit)
        ServicePromiseFactory(category=categories[unit.name], answer_days=10)
    with time_machine.travel(SUBMITTED, tick=False):
        park = submit_case(categories["Parkenheten"])[0]
        road = submit_case(categories["Gatuenheten"])[0]
        elsewhere = submit_case(categories["Skolan"])[0]
    case_assign(actor=None, case=park, unit=org["team"], assignee=org["member"])
    return {"gun": gun, "park": park, "road": road, "elsewhere": elsewhere, "categories": categories}


def test_the_leader_sees_her_units_cases_below_assigned_or_not_with_who_has_them(org, department, login_client):
    with at(17):  # the day after the answer-by date
        html = login_client(department["gun"]).get("/min-sida/").content.decode()
    shown = led_section(html)

    assert department["park"].number in shown and department["road"].number in shown
    assert department["elsewhere"].number not in shown
    assert "Mats Medarbetare" in shown and sv("no case handler yet") in shown
    assert sv("Overdue") in shown
    assert "2 ärenden är försenade" in shown and "1 av dem har ingen handläggare än" in shown
    assert "Bra jobbat" not in shown
    # Her own section covers what she answers for; it does not praise a leader either.
    mine = html[html.index('id="my-cases-title"') :]
    assert "Bra jobbat" not in mine[: mine.index("</section>")]


def test_the_leader_is_praised_only_when_nothing_in_her_units_is_late_or_due(org, department, login_client):
    with at(3):  # two weeks before the answer-by date
        shown = led_section(login_client(department["gun"]).get("/min-sida/").content.decode())

    assert sv(PRAISE) in shown


def test_a_person_who_leads_no_unit_has_no_such_section(org, department, login_client):
    with at(17):
        html = login_client(org["member"]).get("/min-sida/").content.decode()

    assert 'id="led-cases-title"' not in html


def test_the_counts_name_only_what_there_is(org, department, login_client):
    with at(13):  # Friday 13 March: due Monday, within two working days
        shown = led_section(login_client(department["gun"]).get("/min-sida/").content.decode())

    assert "försenade" not in shown and "2 ärenden ska besvaras inom två arbetsdagar" in shown
    assert sv("Due soon") in shown


def test_the_query_count_of_a_leaders_min_sida_does_not_grow_with_cases_or_units(
    org, department, login_client, assert_max_queries
):
    client = login_client(department["gun"])
    with at(17):
        client.get("/min-sida/")
        with assert_max_queries(16) as small:  # as tests/organisation/test_my_page_queries.py
            client.get("/min-sida/")
    municipality = org["team"].municipality
    for index in range(5):
        unit = UnitFactory(municipality=municipality, name=f"Lag {index}", parent=org["admin_unit"])
        category = CategoryFactory(municipality=municipality, unit=unit)
        ServicePromiseFactory(category=category, answer_days=10)
        with time_machine.travel(SUBMITTED, tick=False):
            for _ in range(5):
                submit_case(category)
    with at(17), assert_max_queries(len(small)) as large:
        html = client.get("/min-sida/").content.decode()

    assert len(large) == len(small)
    assert "27 ärenden är försenade" in led_section(html)
    assert led_section(html).count("<li") == LED_LIMIT
