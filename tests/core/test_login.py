"""Staff login: throttling per account and address, Swedish messages, audit, idle timeout, logout."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.utils import translation

from brobygget.core.forms import ERROR_INVALID_LOGIN, ERROR_THROTTLED
from brobygget.core.models import AuditEvent, ThrottleHit
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ett-bra-losenord-42"


def _login(client: Client, username: str, password: str, address: str = "10.1.2.3"):
    return client.post("/konto/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, user__username="anna")


def test_a_correct_login_reaches_my_page_and_is_audited(client, person):
    response = _login(client, "anna", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/min-sida/"
    assert AuditEvent.objects.filter(action="account.logged_in", actor=person.user).count() == 1


def test_a_wrong_password_says_so_in_swedish_and_keeps_the_username(client, person):
    response = _login(client, "anna", "fel")

    html = response.content.decode()
    assert response.status_code == 200
    with translation.override("sv"):
        assert str(ERROR_INVALID_LOGIN) in html
    assert 'value="anna"' in html
    assert "error-summary" in html


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=3)
def test_an_account_is_throttled_after_repeated_failures_even_with_the_right_password(client, person):
    for _ in range(3):
        _login(client, "anna", "fel")

    response = _login(client, "anna", PASSWORD, address="10.9.9.9")

    assert response.status_code == 200
    with translation.override("sv"):
        assert str(ERROR_THROTTLED) in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=100, LOGIN_FAILURE_LIMIT_PER_ADDRESS=4)
def test_an_address_is_throttled_after_failures_on_many_accounts(client, person):
    for name in ("bo", "cecilia", "david", "elsa"):
        _login(client, name, "fel", address="10.5.5.5")

    blocked = _login(client, "anna", PASSWORD, address="10.5.5.5")
    other_address = _login(Client(), "anna", PASSWORD, address="10.6.6.6")

    assert "För många misslyckade inloggningar." in blocked.content.decode()
    assert other_address.status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=2, LOGIN_FAILURE_WINDOW_MINUTES=15)
def test_the_throttle_lifts_when_the_window_has_passed(client, person):
    with time_machine.travel(datetime.datetime(2026, 6, 19, 10, 0, tzinfo=datetime.UTC), tick=False):
        _login(client, "anna", "fel")
        _login(client, "anna", "fel")
        assert "För många" in _login(client, "anna", PASSWORD).content.decode()
    with time_machine.travel(datetime.datetime(2026, 6, 19, 10, 16, tzinfo=datetime.UTC), tick=False):
        assert _login(client, "anna", PASSWORD).status_code == 302


def test_failures_store_neither_username_nor_address(client, person):
    _login(client, "anna", "fel", address="10.7.7.7")

    hits = list(ThrottleHit.objects.all())
    assert {hit.scope for hit in hits} == {"login-account", "login-address"}
    for hit in hits:
        assert "anna" not in hit.key and "10.7.7.7" not in hit.key and len(hit.key) == 64


def test_a_successful_login_forgets_earlier_failures_of_the_account(client, person):
    _login(client, "anna", "fel")
    _login(client, "anna", PASSWORD)

    assert not ThrottleHit.objects.filter(scope="login-account").exists()


def test_sessions_expire_after_the_configured_idle_time(client, person):
    _login(client, "anna", PASSWORD)

    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_logout_is_a_post_and_ends_the_session(client, person):
    client.force_login(person.user)

    assert client.get("/konto/logga-ut/").status_code == 405
    response = client.post("/konto/logga-ut/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change_checks_the_validators_in_swedish(client, person):
    client.force_login(person.user)

    response = client.post(
        "/konto/losenord/", {"old_password": PASSWORD, "new_password1": "kort", "new_password2": "kort"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html and 'href="#id_new_password2"' in html
    assert "för kort" in html


def test_password_change_succeeds_and_is_audited(client, person):
    client.force_login(person.user)

    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": "broar-och-bryggor-77", "new_password2": "broar-och-bryggor-77"},
        follow=True,
    )

    assert "Ditt lösenord är bytt." in response.content.decode()
    assert AuditEvent.objects.filter(action="account.password_changed").count() == 1
    person.user.refresh_from_db()
    assert person.user.check_password("broar-och-bryggor-77")
