"""Logging in: one throttle for every way in (staff login, admin, old password), per pair, address and account,
nobody locked out by others, Swedish messages, audit, idle timeout, logout, unlocking."""

import datetime
import threading

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.utils import translation

from brobygget.core.forms import ERROR_INVALID_LOGIN, ERROR_SLOWED_DOWN, ERROR_THROTTLED
from brobygget.core.logins import DEVICE_COOKIE
from brobygget.core.models import AuditEvent, ThrottleCount
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "ett-bra-losenord-42"
NOON = datetime.datetime(2026, 6, 19, 10, 0, tzinfo=datetime.UTC)


def _login(client: Client, username: str, password: str, address: str = "10.1.2.3", url: str = "/konto/logga-in/"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _sv(message) -> str:
    with translation.override("sv"):
        return str(message)


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def person(municipality):
    return PersonFactory(municipality=municipality, user__username="anna")


@pytest.fixture
def known_client(person) -> Client:
    """A browser that logged in to anna before (and logged out): it holds the known-device cookie."""
    client = Client()
    assert _login(client, "anna", PASSWORD).status_code == 302
    assert DEVICE_COOKIE in client.cookies
    client.post("/konto/logga-ut/")
    return client


def test_a_correct_login_reaches_my_page_and_is_audited(client, person):
    response = _login(client, "anna", PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/min-sida/"
    assert AuditEvent.objects.filter(action="account.logged_in", actor=person.user).count() == 1


def test_a_wrong_password_says_so_in_swedish_and_keeps_the_username(client, person):
    response = _login(client, "anna", "fel")

    html = response.content.decode()
    assert response.status_code == 200
    assert _sv(ERROR_INVALID_LOGIN) in html
    assert 'value="anna"' in html
    assert "error-summary" in html


# The pair (account, address) is locked; the account as a whole is only slowed down


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=3)
def test_the_pair_is_locked_after_repeated_failures_even_with_the_right_password(client, person):
    for _ in range(3):
        _login(client, "anna", "fel")

    response = _login(client, "anna", PASSWORD)

    assert _sv(ERROR_THROTTLED) in response.content.decode()
    assert not _logged_in(client)


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=3, LOGIN_SLOWDOWN_MAX_SECONDS=30)
def test_failures_from_many_addresses_slow_the_account_down_for_a_few_seconds_and_never_lock_it(person):
    with time_machine.travel(NOON, tick=False) as clock:
        for number in range(3):
            _login(Client(), "anna", "fel", address=f"10.2.0.{number}")

        slowed = _login(Client(), "anna", PASSWORD, address="10.3.3.3")
        assert _sv(ERROR_SLOWED_DOWN) in slowed.content.decode()

        clock.shift(3)  # the first extra try waits 2 s
        assert _login(Client(), "anna", PASSWORD, address="10.3.3.3").status_code == 302

        for number in range(3, 12):  # the waits grow: 2, 4, 8, 16 … seconds, at most 30
            clock.shift(60)
            _login(Client(), "anna", "fel", address=f"10.2.0.{number}")
        clock.shift(20)
        assert _sv(ERROR_SLOWED_DOWN) in _login(Client(), "anna", PASSWORD, address="10.4.4.4").content.decode()
        clock.shift(15)  # 35 s after the last failure: more than the 30 s at most
        assert _login(Client(), "anna", PASSWORD, address="10.4.4.4").status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=3)
def test_a_known_browser_gets_in_with_the_right_password_while_others_lock_its_address_and_slow_its_account(
    known_client,
):
    attacker = Client()
    for _ in range(10):
        _login(attacker, "anna", "fel")  # the same address as the person's own browser
    for number in range(5):
        _login(Client(), "anna", "fel", address=f"10.2.0.{number}")

    assert _sv(ERROR_THROTTLED) in _login(attacker, "anna", PASSWORD).content.decode()
    assert _login(known_client, "anna", PASSWORD).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=100, LOGIN_FAILURE_LIMIT_PER_ADDRESS=4)
def test_made_up_usernames_lock_the_address_but_not_for_accounts_that_logged_in_from_there(known_client):
    for name in ("bo", "cecilia", "david", "elsa", "fredrik"):
        _login(Client(), name, "fel")

    stranger = _login(Client(), "anna", PASSWORD)
    other_address = _login(Client(), "anna", PASSWORD, address="10.6.6.6")

    assert _sv(ERROR_THROTTLED) in stranger.content.decode()
    assert other_address.status_code == 302
    assert _login(known_client, "anna", PASSWORD).status_code == 302


def test_a_forged_known_device_cookie_counts_for_nothing(person):
    client = Client()
    client.cookies[DEVICE_COOKIE] = "forged:value"
    with override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=100, LOGIN_FAILURE_LIMIT_PER_ADDRESS=2):
        _login(Client(), "bo", "fel")
        _login(Client(), "cecilia", "fel")
        assert _sv(ERROR_THROTTLED) in _login(client, "anna", PASSWORD).content.decode()


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=2, LOGIN_FAILURE_WINDOW_MINUTES=15)
def test_the_lock_lifts_when_the_window_has_passed(client, person):
    with time_machine.travel(NOON, tick=False):
        _login(client, "anna", "fel")
        _login(client, "anna", "fel")
        assert _sv(ERROR_THROTTLED) in _login(client, "anna", PASSWORD).content.decode()
    with time_machine.travel(NOON + datetime.timedelta(minutes=31), tick=False):
        assert _login(client, "anna", PASSWORD).status_code == 302


def test_failures_store_neither_username_nor_address(client, person):
    _login(client, "anna", "fel", address="10.7.7.7")

    rows = list(ThrottleCount.objects.all())
    assert {row.scope for row in rows} == {"login-pair", "login-address", "login-account"}
    for row in rows:
        for value in (row.key, row.subject):
            assert "anna" not in value and "10.7.7.7" not in value and len(value) in (0, 64)


def test_a_successful_login_forgets_earlier_failures_of_the_pair_and_the_account(client, person):
    _login(client, "anna", "fel")
    _login(client, "anna", PASSWORD)

    assert not ThrottleCount.objects.filter(scope__in=["login-pair", "login-account"]).exists()
    assert sum(ThrottleCount.objects.filter(scope="login-address").values_list("count", flat=True)) == 1


# Every way in shares the throttle


def test_the_admin_login_page_is_the_staff_login(client, person):
    response = client.get("/admin/login/?next=/admin/dialog/case/")

    assert response.status_code == 302
    assert response["Location"] == "/konto/logga-in/?next=%2Fadmin%2Fdialog%2Fcase%2F"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")


def test_thirty_wrong_passwords_at_the_admin_then_the_right_one_does_not_log_in():
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(30):
        _login(client, "admin", "fel", url="/admin/login/")

    response = _login(client, "admin", PASSWORD, url="/admin/login/")

    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")
    assert not _logged_in(client)


def test_wrong_passwords_for_the_admin_are_counted_on_the_way_to_the_admin(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        _login(client, "admin", "fel", url="/konto/logga-in/?next=/admin/")

    assert (
        _sv(ERROR_THROTTLED) in _login(client, "admin", PASSWORD, url="/konto/logga-in/?next=/admin/").content.decode()
    )
    assert not _logged_in(client)


def test_an_administrator_logs_in_to_the_admin_through_the_staff_login(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)

    response = _login(client, "admin", PASSWORD, url="/konto/logga-in/?next=/admin/")

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_the_admin_login_sends_nowhere_but_this_site(client):
    assert client.get("/admin/login/?next=https://elak.example/")["Location"] == "/konto/logga-in/?next=%2Fadmin%2F"
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    assert client.get("/admin/login/?next=https://elak.example/")["Location"] == "/admin/"


def test_a_logged_in_person_who_is_not_an_administrator_is_refused_at_the_admin_login_without_a_loop(client, person):
    client.force_login(person.user)

    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_a_held_session_cannot_guess_the_old_password(client, person):
    client.force_login(person.user)
    for _ in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        client.post("/konto/losenord/", {"old_password": "fel", "new_password1": "x", "new_password2": "x"})

    response = client.post(
        "/konto/losenord/",
        {"old_password": PASSWORD, "new_password1": "broar-och-bryggor-77", "new_password2": "broar-och-bryggor-77"},
    )

    assert response.status_code == 200 and _sv(ERROR_THROTTLED) in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.check_password(PASSWORD)
    assert _sv(ERROR_THROTTLED) in _login(Client(), "anna", PASSWORD, address="127.0.0.1").content.decode()


# Parallel tries


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_logins_get_no_further_than_the_limit() -> None:
    PersonFactory(user__username="anna")
    limit, tries = settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT, 25
    barrier = threading.Barrier(tries)
    checked: list[str] = []
    errors: list[BaseException] = []

    def count_failure(sender: object, credentials: dict[str, str], **kwargs: object) -> None:
        checked.append(credentials["username"])

    def attempt() -> None:
        try:
            barrier.wait(timeout=10)
            _login(Client(), "anna", "fel")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    user_login_failed.connect(count_failure)
    try:
        threads = [threading.Thread(target=attempt) for _ in range(tries)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        user_login_failed.disconnect(count_failure)

    assert not errors, errors
    assert len(checked) == limit  # the password was looked at only `limit` times
    assert _sv(ERROR_THROTTLED) in _login(Client(), "anna", PASSWORD).content.decode()
    assert _sv(ERROR_SLOWED_DOWN) in _login(Client(), "anna", PASSWORD, address="10.8.8.8").content.decode()


# Unlocking


@override_settings(LOGIN_FAILURE_LIMIT_PER_ACCOUNT=2, LOGIN_FAILURE_LIMIT_PER_ADDRESS=2)
def test_an_administrator_unlocks_an_account_and_an_address(client, person, capsys):
    _login(client, "anna", "fel")
    _login(client, "anna", "fel")
    assert _sv(ERROR_THROTTLED) in _login(client, "anna", PASSWORD).content.decode()

    call_command("login_unlock", "ANNA", "--address", "10.1.2.3")

    assert _login(client, "anna", PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="account.unlocked").count() == 0  # "ANNA" is no account's name
    call_command("login_unlock", "anna")
    assert AuditEvent.objects.filter(action="account.unlocked", target_id=str(person.user.pk)).count() == 1
    assert capsys.readouterr().out.splitlines() == [
        "Inloggningsräknare borttagna: 3.",
        "Inloggningsräknare borttagna: 0.",
    ]


# Sessions


def test_sessions_expire_after_the_configured_idle_time(client, person):
    _login(client, "anna", PASSWORD)

    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_MINUTES * 60


def test_logout_is_a_post_and_ends_the_session(client, person):
    client.force_login(person.user)

    assert client.get("/konto/logga-ut/").status_code == 405
    response = client.post("/konto/logga-ut/")

    assert response.status_code == 302
    assert not _logged_in(client)


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
