"""One badge macro (core/jinja2/macros/badges.html) for every page: the inbox, a case's page and Min sida show a
case's status and how late it is with the same words and the same HTML."""

import datetime
import zoneinfo

import pytest
import time_machine

from tests.dialog.conftest import sv

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_an_overdue_case_is_marked_alike_on_every_page(org, make_case, login_client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        late = make_case()
    overdue = f'<span class="badge badge-overdue">{sv("Overdue")}</span>'
    received = f'<span class="badge badge-status badge-received">{sv("Received")}</span>'

    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=STOCKHOLM), tick=False):
        leader = login_client(org["leader"])
        inbox = leader.get("/arenden/").content.decode()
        case = leader.get(f"/arenden/{late.pk}/").content.decode()
        my_page = leader.get("/min-sida/").content.decode()

    assert overdue in inbox and overdue in case and overdue in my_page
    assert received in inbox and received in case


def test_a_case_due_soon_is_marked_alike_and_a_fresh_one_not_at_all(org, make_case, login_client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        make_case()
    due_soon = f'<span class="badge badge-soon">{sv("Due soon")}</span>'

    with time_machine.travel(datetime.datetime(2026, 3, 13, 10, tzinfo=STOCKHOLM), tick=False):
        leader = login_client(org["leader"])
        inbox, my_page = leader.get("/arenden/").content.decode(), leader.get("/min-sida/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 3, 3, 10, tzinfo=STOCKHOLM), tick=False):
        fresh = login_client(org["leader"]).get("/arenden/").content.decode()

    assert due_soon in inbox and due_soon in my_page
    assert "badge-soon" not in fresh and "badge-overdue" not in fresh
