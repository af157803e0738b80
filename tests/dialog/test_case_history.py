"""A case's history says what happened, who did it and when: given to a named person, taken up, every change of
status, closed, and what the resident said back ("Blev det löst?"), which marks the case in the inbox until someone
on staff opens it, and reopens it or asks the case handler to decide, as the municipality chose."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.core import mail

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import CaseEntry, DialogSettings, Status
from brobygget.dialog.services import (
    case_answer,
    case_assign,
    case_reject,
    case_resident_reply,
    case_resolved_set,
)
from tests.dialog.conftest import sv
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(day: int, hour: int = 9):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, tzinfo=STOCKHOLM), tick=False)


def history(response) -> str:
    html = response.content.decode()
    start = html.index('id="history-title"')
    return re.sub(r"\s+", " ", html[start : html.index("</section>", start)])


def events(case) -> list[tuple[str, str, str | None]]:
    return [
        (entry.kind, entry.text, entry.author.full_name if entry.author else None)
        for entry in case.entries.order_by("created_at", "id")
    ]


@pytest.fixture
def case(make_case):
    with at(2):
        return make_case(contact_email="ada@example.se", wants_answer=True)


def test_giving_a_case_to_a_person_names_the_person(org, case, login_client):
    with at(3):
        response = login_client(org["leader"]).post(
            f"/arenden/{case.pk}/handlaggare/", {"assign-assignee": org["member"].pk}
        )

    assert response.status_code == 302
    assert events(case) == [("event", sv("Given to %(person)s.") % {"person": "Mats Medarbetare"}, "Lena Ledare")]
    event = AuditEvent.objects.get(action="case.assigned")
    assert event.payload["assignee"] == org["member"].pk


def test_moving_and_giving_in_one_step_says_both_and_taking_the_handler_away_says_so(org, case):
    street = UnitFactory(municipality=case.municipality, name="Gatuenheten", parent=org["admin_unit"])
    case_assign(actor=org["leader"].user, case=case, unit=org["team"], assignee=org["member"])
    case_assign(actor=org["leader"].user, case=case, unit=org["team"], assignee=None)
    case_assign(actor=org["registrar"].user, case=case, unit=street)

    assert [text for _kind, text, _who in events(case)] == [
        sv("Given to %(person)s.") % {"person": "Mats Medarbetare"},
        sv("No case handler any longer."),
        sv("Moved to %(unit)s.") % {"unit": "Gatuenheten"},
    ]


def test_taking_up_every_status_change_and_closing_are_in_the_history_with_who_and_when(org, case, login_client):
    def status(day: int, hour: int, value: str) -> None:
        with at(day, hour):  # logged in at that moment (a session from the future would be refused)
            response = login_client(org["member"]).post(f"/arenden/{case.pk}/status/", {"status-status": value})
        assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"

    status(3, 9, Status.IN_PROGRESS)
    status(3, 10, Status.CLOSED)
    status(4, 11, Status.IN_PROGRESS)
    with at(4, 12):
        case_answer(actor=org["member"].user, case=case, text="Vi har lagat gungan.", close=True)

    assert [(text, who) for kind, text, who in events(case) if kind == "event"] == [
        (sv("Taken up."), "Mats Medarbetare"),
        (sv("Closed."), "Mats Medarbetare"),
        (sv("Reopened."), "Mats Medarbetare"),
        (sv("Closed with the answer."), "Mats Medarbetare"),
    ]
    with at(4, 13):
        shown = history(login_client(org["member"]).get(f"/arenden/{case.pk}/"))
    assert sv("Taken up.") in shown and "Mats Medarbetare" in shown
    assert "3 mars 2026 09:00" in shown.lower() and "3 mars 2026 10:00" in shown.lower()


def test_an_answer_and_a_rejection_say_what_they_did_to_the_status(org, make_case):
    answered, rejected = make_case(), make_case()
    case_answer(actor=org["member"].user, case=answered, text="Vi tittar på det.")
    case_reject(actor=org["member"].user, case=rejected, reason="Det är Trafikverkets väg.")

    assert events(answered)[-1] == (
        "event",
        sv("Status changed to %(status)s.") % {"status": sv("Answered")},
        "Mats Medarbetare",
    )
    assert events(rejected)[-1] == ("event", sv("Marked as not for us and closed."), "Mats Medarbetare")


# What the resident says back


@pytest.fixture
def answered(org, case):
    with at(3):
        case_answer(actor=org["member"].user, case=case, text="Vi har lagat gungan.", close=True)
    case.refresh_from_db()
    return case


def test_a_no_shows_on_the_case_page_in_the_history_and_as_news_in_the_inbox_until_someone_opens_it(
    org, answered, login_client
):
    with at(5):
        case_resolved_set(case=answered, resolved=False)
    client = login_client(org["member"])

    inbox = client.get("/arenden/").content.decode()
    assert sv("New from the resident") in inbox

    page = client.get(f"/arenden/{answered.pk}/").content.decode()
    assert sv("The resident answered: No, not solved") in page
    assert sv("Reopen the case") in page
    assert sv("No, it was not solved.") in history_of(page)
    answered.refresh_from_db()
    assert answered.status == Status.CLOSED  # the municipality asks the handler to decide (the default)
    assert answered.resident_news_at is None
    assert AuditEvent.objects.filter(action="case.resident_news_read", actor=org["member"].user).count() == 1

    assert sv("New from the resident") not in client.get("/arenden/").content.decode()
    page = client.get(f"/arenden/{answered.pk}/").content.decode()
    assert sv("The resident answered: No, not solved") in page  # still on the case, no longer news


def history_of(page: str) -> str:
    start = page.index('id="history-title"')
    return page[start : page.index("</section>", start)]


def test_a_no_reopens_the_case_when_the_municipality_chose_so(org, answered):
    DialogSettings.objects.create(
        municipality=answered.municipality, when_not_solved=DialogSettings.WhenNotSolved.REOPEN
    )

    with at(5):
        case_resolved_set(case=answered, resolved=False)

    answered.refresh_from_db()
    assert answered.status == Status.IN_PROGRESS and answered.closed_at is None
    assert [(kind, text) for kind, text, _who in events(answered)][-2:] == [
        (CaseEntry.Kind.RESOLVED, sv("No, it was not solved.")),
        (CaseEntry.Kind.EVENT, sv("Reopened: the resident answered that it was not solved.")),
    ]


def test_a_yes_is_news_and_history_but_changes_no_status_even_where_a_no_would_reopen(org, answered, login_client):
    DialogSettings.objects.create(
        municipality=answered.municipality, when_not_solved=DialogSettings.WhenNotSolved.REOPEN
    )

    with at(5):
        case_resolved_set(case=answered, resolved=True)

    answered.refresh_from_db()
    assert answered.status == Status.CLOSED and answered.resident_news_at is not None
    page = login_client(org["member"]).get(f"/arenden/{answered.pk}/").content.decode()
    assert sv("The resident answered: Yes, solved") in page


def test_a_reply_after_the_answer_reopens_the_case_says_so_and_is_news(org, answered):
    with at(5):
        case_resident_reply(case=answered, text="Kedjan är trasig igen.")

    answered.refresh_from_db()
    assert answered.status == Status.IN_PROGRESS and answered.resident_news_at is not None
    assert events(answered)[-1] == ("event", sv("Reopened by the resident's reply."), None)


def test_the_setting_is_in_the_admin_in_swedish(admin_client):
    page = admin_client.get("/admin/dialog/dialogsettings/add/").content.decode()

    assert sv("when the resident answers that it was not solved").capitalize() in page
    assert sv("Ask the case handler to decide") in page and sv("Reopen the case for the unit") in page


def test_the_resident_saying_no_is_not_mailed_to_the_resident(org, answered):
    mail.outbox.clear()
    case_resolved_set(case=answered, resolved=False)
    assert [m for m in mail.outbox if m.to == ["ada@example.se"]] == []
