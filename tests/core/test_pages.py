"""Error pages in Swedish, the start page, system checks and the time zone the suite runs in."""

import datetime

import pytest
from django.core.checks import run_checks
from django.test import Client, override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_start_page_tells_staff_where_to_log_in(client, municipality):
    html = client.get("/").content.decode()

    assert "Brobygget" in html and html.count('href="/konto/logga-in/"') == 2  # the menu, and the page itself


def test_a_missing_page_answers_404_in_swedish(client):
    response = client.get("/finns-inte/")

    assert response.status_code == 404
    assert "Vi hittar inte sidan" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.core.urls_failing")
def test_a_server_error_answers_500_in_swedish_without_details():
    client = Client(raise_request_exception=False)

    response = client.get("/fel/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel hos oss" in html
    assert "RuntimeError" not in html and "hemlig" not in html


def test_the_suite_runs_in_a_zone_that_is_not_utc():
    noon_utc = datetime.datetime(2026, 6, 19, 22, 30, tzinfo=datetime.UTC)

    assert timezone.get_current_timezone_name() == "Europe/Stockholm"
    # Half past midnight in Stockholm is already the next day: deadline bugs show here.
    assert timezone.localtime(noon_utc).date() == datetime.date(2026, 6, 20)


@override_settings(SESSION_IDLE_MINUTES=0)
def test_a_zero_idle_timeout_fails_the_system_check_with_a_hint():
    errors = [m for m in run_checks() if m.id == "brobygget.E001"]

    assert errors and "SESSION_IDLE_MINUTES" in errors[0].hint


@override_settings(DEBUG=False)
def test_sqlite_in_production_gives_a_warning_with_a_hint(settings):
    warnings = [m for m in run_checks() if m.id == "brobygget.W001"]

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert warnings and "DATABASE_URL" in warnings[0].hint
    else:
        assert not warnings
