""" "Glömt lösenord?": a reset mail with a link that works once and for a limited time, the same answer whether the
address belongs to an account or not, throttled per address and per e-mail address, in Swedish."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.utils import translation

from brobygget.core.forms import ERROR_RESETS_THROTTLED, ERROR_THROTTLED
from brobygget.core.models import AuditEvent
from tests.dialog.conftest import body, running_smtp_server, smtp_server  # noqa: F401 - fixtures
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ett-bra-losenord-42"
NEW_PASSWORD = "broar-och-bryggor-77"
RESET_URL = "/konto/glomt-losenord/"


def _sv(message) -> str:
    with translation.override("sv"):
        return str(message)


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, user__username="anna", user__email="anna@example.se")


def _ask(client: Client, email: str, address: str = "10.1.2.3"):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address)


def _link(message_body: str) -> str:
    match = re.search(re.escape(settings.SITE_URL) + r"(/konto/nytt-losenord/[^/\s]+/[^/\s]+/)", message_body)
    assert match, message_body
    return match.group(1)


def _set_new_password(client: Client, link: str):
    landing = client.get(link)
    assert landing.status_code == 302  # Django moves the token out of the address into the session
    return client.post(landing["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_the_login_page_offers_a_way_back(client):
    assert f'href="{RESET_URL}"' in client.get("/konto/logga-in/").content.decode()
    assert "Glömt lösenord?" in client.get(RESET_URL).content.decode()


def test_the_answer_is_the_same_whether_the_address_belongs_to_an_account_or_not(client, person):
    known = _ask(client, "anna@example.se")
    unknown = _ask(client, "ingen@example.se")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/konto/glomt-losenord/skickat/"
    assert [message.to for message in mail.outbox] == [["anna@example.se"]]
    assert "Om adressen hör till ett konto" in client.get(known["Location"]).content.decode()


def test_the_mail_is_in_swedish_with_a_link_that_sets_a_new_password_once(client, person):
    _ask(client, "anna@example.se")
    [message] = mail.outbox

    assert message.subject == "Nytt lösenord till Brobygget"
    assert "Ditt användarnamn: anna" in message.body and "60 minuter" in message.body
    link = _link(message.body)
    done = _set_new_password(client, link)

    assert done["Location"] == "/konto/nytt-losenord/klart/"
    person.user.refresh_from_db()
    assert person.user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action="account.password_reset", actor=person.user).count() == 1
    again = Client().get(link, follow=True)
    assert "Länken fungerar inte" in again.content.decode()


def test_the_link_stops_working_after_the_set_time(client, person):
    moment = datetime.datetime(2026, 6, 19, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        _ask(client, "anna@example.se")
    link = _link(mail.outbox[0].body)

    with time_machine.travel(moment + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60), tick=False):
        page = Client().get(link, follow=True).content.decode()

    assert "Länken fungerar inte" in page
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60


@override_settings(PASSWORD_RESETS_PER_HOUR=2)
def test_one_address_may_ask_only_so_many_times_an_hour(client, person):
    assert _ask(client, "ingen@example.se").status_code == 302
    assert _ask(client, "ingen2@example.se").status_code == 302

    refused = _ask(client, "anna@example.se")

    assert refused.status_code == 200 and _sv(ERROR_RESETS_THROTTLED) in refused.content.decode()
    assert mail.outbox == []
    assert _ask(client, "anna@example.se", address="10.9.9.9").status_code == 302 and len(mail.outbox) == 1


@override_settings(PASSWORD_RESETS_PER_HOUR=2)
def test_one_mailbox_gets_only_so_many_resets_an_hour_and_the_answer_does_not_say_so(person):
    answers = [_ask(Client(), "anna@example.se", address=f"10.0.0.{number}") for number in range(4)]

    assert {answer["Location"] for answer in answers} == {"/konto/glomt-losenord/skickat/"}
    assert len(mail.outbox) == 2


def test_a_reset_lifts_the_login_lock_of_the_account(client, person):
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        client.post("/konto/logga-in/", {"username": "anna", "password": "fel"})
    assert (
        _sv(ERROR_THROTTLED)
        in client.post("/konto/logga-in/", {"username": "anna", "password": PASSWORD}).content.decode()
    )

    _ask(client, "anna@example.se")
    _set_new_password(client, _link(mail.outbox[0].body))

    assert client.post("/konto/logga-in/", {"username": "anna", "password": NEW_PASSWORD}).status_code == 302


def test_the_reset_mail_reaches_a_real_mail_server(client, person, running_smtp_server):  # noqa: F811
    assert _ask(client, "anna@example.se").status_code == 302

    [message] = running_smtp_server.messages
    assert message["To"] == "anna@example.se"
    assert "/konto/nytt-losenord/" in body(message)


def test_with_the_mail_server_down_the_answer_is_still_the_same(client, person, smtp_server):  # noqa: F811
    response = _ask(client, "anna@example.se")  # nothing listens on the port

    assert response.status_code == 302 and response["Location"] == "/konto/glomt-losenord/skickat/"
