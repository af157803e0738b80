"""The dialog's part of "Min sida": the cases a person answers for that are overdue or due soon."""

import datetime
import zoneinfo

import pytest
import time_machine

from brobygget.dialog.my_page import MY_CASES_LIMIT
from brobygget.dialog.services import case_assign
from tests.dialog.conftest import sv
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SUBMITTED = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)  # due Monday 16 March


def at(day: int):
    return time_machine.travel(datetime.datetime(2026, 3, day, 9, tzinfo=STOCKHOLM), tick=False)


def section(response) -> str:
    html = response.content.decode()
    start = html.index('id="my-cases-title"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def cases(org, make_case):
    """Three cases due 16 March: one for Mats, one for someone else, one for nobody yet."""
    with time_machine.travel(SUBMITTED, tick=False):
        mine, others, nobodys = make_case(), make_case(), make_case()
    someone = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=someone, unit=org["team"])
    case_assign(actor=None, case=mine, unit=org["team"], assignee=org["member"])
    case_assign(actor=None, case=others, unit=org["team"], assignee=someone)
    return {"mine": mine, "others": others, "nobodys": nobodys}


def test_the_handler_sees_their_case_when_it_is_due_soon_with_a_link(org, cases, login_client):
    with at(12):
        shown = section(login_client(org["member"]).get("/min-sida/"))

    assert f'href="/arenden/{cases["mine"].pk}/"' in shown
    assert sv("Due soon") in shown
    assert cases["others"].number not in shown and cases["nobodys"].number not in shown


def test_the_leader_sees_the_unassigned_cases_of_their_unit(org, cases, login_client):
    with at(18):
        shown = section(login_client(org["leader"]).get("/min-sida/"))

    assert cases["nobodys"].number in shown and sv("Overdue") in shown
    assert cases["mine"].number not in shown and cases["others"].number not in shown


def test_nothing_due_gives_a_kind_message(org, cases, login_client):
    with at(3):  # two weeks before the deadline
        shown = section(login_client(org["member"]).get("/min-sida/"))

    assert sv("None of the cases you answer for is overdue or due in the next two working days.") in shown


def test_a_long_list_is_cut_with_a_link_to_the_inbox(org, make_case, login_client):
    with time_machine.travel(SUBMITTED, tick=False):
        for _ in range(MY_CASES_LIMIT + 1):
            make_case()
    with at(16):
        shown = section(login_client(org["leader"]).get("/min-sida/"))

    assert shown.count("<li") == MY_CASES_LIMIT
    assert sv("More cases are due: see them all, most urgent first") in shown


def test_the_query_count_of_min_sida_does_not_grow_with_the_cases(org, make_case, login_client, assert_max_queries):
    with time_machine.travel(SUBMITTED, tick=False):
        make_case()
    with at(16):
        client = login_client(org["leader"])
        client.get("/min-sida/")
        with assert_max_queries(16) as small:  # the leader's units' cases (1) and her choice of mail (1) included
            client.get("/min-sida/")
    with time_machine.travel(SUBMITTED, tick=False):
        for _ in range(15):
            make_case()
    with at(16), assert_max_queries(len(small)) as large:
        client.get("/min-sida/")

    assert len(large) == len(small)
