"""A write the database refuses loses nothing: the form comes back, 503, with what was typed and a message to try
again, and nothing is half-written. The lock is real: another connection holds it (tests/faults.py)."""

import html
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from brobygget.core.faults import ERROR_NOT_SAVED, ERROR_NOT_SAVED_NO_TEXT
from brobygget.core.models import AuditEvent
from brobygget.dialog.forms import ERROR_PHOTOS_AGAIN
from brobygget.dialog.models import Case, CaseEntry, Status
from tests.dialog.test_public_support import FORM_URL, form_data, jpeg_with_gps, png, sv
from tests.factories import CategoryFactory, submit_case
from tests.faults import database_locked, short_lock_wait

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Gungan i Stadsparken har en trasig kedja.\nDen gröna gungan, närmast sandlådan. <b>Tack!</b>"


@pytest.fixture
def category(org):
    return CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")


@pytest.fixture
def case(category) -> Case:
    return submit_case(category, contact_email="rut@example.se", wants_answer=True, text="Gungan är trasig.")[0]


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _textarea(response, name: str) -> str:
    """What a textarea holds, as the browser fills it in."""
    content = response.content.decode()
    start = content.index(">", content.index(f'name="{name}"')) + 1
    return html.unescape(content[start : content.index("</textarea>", start)]).removeprefix("\n")


def test_the_resident_form_comes_back_with_everything_typed_when_the_database_is_locked(client, category):
    data = form_data(
        category,
        text=TEXT,
        address="Stadsparken, Storgatan 1",
        contact_name="Rut Andersson",
        contact_email="rut@example.se",
        wants_answer="on",
    )
    audited = AuditEvent.objects.count()

    with short_lock_wait(), database_locked():
        response = client.post(FORM_URL, data)

    assert response.status_code == 503
    page = _page(response)
    assert sv(ERROR_NOT_SAVED) == "Vi kunde inte spara just nu. Din text finns kvar – försök igen om en stund."
    assert sv(ERROR_NOT_SAVED) in page
    assert _textarea(response, "text") == TEXT
    assert 'value="Stadsparken, Storgatan 1"' in response.content.decode()
    assert 'value="Rut Andersson"' in response.content.decode()
    assert 'value="rut@example.se"' in response.content.decode()
    # Nothing half-written: no case, no audit event.
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == audited

    # And when the lock is gone, sending the same again works.
    assert client.post(FORM_URL, data).status_code == 302
    assert Case.objects.get().text == TEXT


def test_the_resident_is_told_to_choose_the_photos_again(client, category):
    with short_lock_wait(), database_locked():
        response = client.post(FORM_URL, {**form_data(category, text=TEXT), "photos": [jpeg_with_gps()]})

    assert response.status_code == 503
    page = _page(response)
    assert sv(ERROR_NOT_SAVED) in page and sv(ERROR_PHOTOS_AGAIN) in page
    assert Case.objects.count() == 0


def test_a_case_refused_while_its_photos_are_written_leaves_no_photo_behind(client, category):
    photos_dir = Path(settings.MEDIA_ROOT)
    before = set(photos_dir.rglob("*")) if photos_dir.exists() else set()

    # PostgreSQL: the case and its audit event are written, the photos' table is locked; SQLite: the whole file.
    with short_lock_wait(), database_locked(tables=("dialog_caseattachment",)):
        response = client.post(FORM_URL, {**form_data(category, text=TEXT), "photos": [jpeg_with_gps(), png()]})

    assert response.status_code == 503
    assert Case.objects.count() == 0
    after = set(photos_dir.rglob("*")) if photos_dir.exists() else set()
    assert {path for path in after - before if path.is_file()} == set()


def test_a_locked_database_holds_the_resident_a_few_seconds_not_fifteen_or_for_ever(client, category):
    assert settings.DATABASE_LOCK_WAIT_SECONDS == 5
    connection.close()  # a connection made with the settings' own lock wait (busy_timeout, lock_timeout)

    with database_locked():
        started = time.monotonic()
        response = client.post(FORM_URL, form_data(category, text=TEXT))
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert 4.5 < waited < 8


def test_the_tracking_page_keeps_the_reply_when_the_database_is_locked(client, case):
    from brobygget.dialog.tracking import tracking_path

    path = tracking_path(case)
    entries = CaseEntry.objects.count()

    with short_lock_wait(), database_locked():
        response = client.post(path, {"text": TEXT})

    assert response.status_code == 503
    assert sv(ERROR_NOT_SAVED) in _page(response)
    assert _textarea(response, "text") == TEXT
    assert CaseEntry.objects.count() == entries


def test_was_it_solved_says_to_try_again_when_the_database_is_locked(client, org, case):
    from brobygget.dialog.services import case_answer
    from brobygget.dialog.tracking import tracking_path

    case_answer(actor=org["member"].user, case=case, text="Vi lagar den på fredag.")

    with short_lock_wait(), database_locked():
        response = client.post(tracking_path(case), {"resolved": "yes"}, follow=True)

    assert sv(ERROR_NOT_SAVED_NO_TEXT) in _page(response)
    case.refresh_from_db()
    assert case.resolved is None


@pytest.mark.parametrize(
    ("action", "field"),
    [
        ("svara", "answer-text"),
        ("anteckning", "note-text"),
        ("ratta-text", "correct-text"),
        ("inte-for-oss", "reject-reason"),
    ],
)
def test_a_staff_action_keeps_the_typed_text_when_the_database_is_locked(org, case, login_client, action, field):
    client = login_client(org["member"])
    entries = CaseEntry.objects.count()

    with short_lock_wait(), database_locked():
        response = client.post(f"/arenden/{case.pk}/{action}/", {field: TEXT})

    assert response.status_code == 503
    assert sv(ERROR_NOT_SAVED) in _page(response)
    assert _textarea(response, field) == TEXT
    case.refresh_from_db()
    assert case.status == Status.RECEIVED
    assert CaseEntry.objects.count() == entries


def test_a_staff_action_without_text_says_to_try_again_when_the_database_is_locked(org, case, login_client):
    client = login_client(org["member"])

    with short_lock_wait(), database_locked():
        response = client.post(f"/arenden/{case.pk}/status/", {"status-status": Status.IN_PROGRESS})

    assert response.status_code == 503
    assert sv(ERROR_NOT_SAVED_NO_TEXT) in _page(response)
    case.refresh_from_db()
    assert case.status == Status.RECEIVED

    # Once the lock is gone the same action goes through, with the session still valid.
    assert client.post(f"/arenden/{case.pk}/status/", {"status-status": Status.IN_PROGRESS}).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
