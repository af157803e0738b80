"""A deviation or a learning the database refuses to save loses nothing: the form comes back, 503, with what was
typed and a message to try again, and nothing is half-written (no row, no audit event, no search entry). The lock
is real: another connection holds it (tests/faults.py)."""

import datetime
import html

import pytest
from django.utils import timezone

from brobygget.core.faults import ERROR_NOT_SAVED
from brobygget.core.models import AuditEvent
from brobygget.improvement import search
from brobygget.improvement.models import Deviation, Learning
from tests.faults import database_locked, short_lock_wait
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db(transaction=True)

WHAT = "Nyckelskåpet var tomt.\nIngen <b>visste</b> varför."


def test_a_deviation_comes_back_with_what_was_typed_when_the_database_is_locked(org, login_client):
    client = login_client(org["member"])
    an_hour_ago = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")  # any day of any year
    data = {"what_happened": WHAT, "where": "Kontoret", "happened_at": an_hour_ago, "unit": org["team"].pk}
    audited = AuditEvent.objects.count()

    with short_lock_wait(), database_locked():
        response = client.post("/forbattringar/avvikelser/ny/", data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 503
    assert sv(ERROR_NOT_SAVED) in page and WHAT in page and 'value="Kontoret"' in page
    assert not Deviation.objects.exists() and AuditEvent.objects.count() == audited
    assert client.post("/forbattringar/avvikelser/ny/", data).status_code == 302


def test_an_anonymous_learning_comes_back_and_nothing_is_indexed_when_the_database_is_locked(org, login_client):
    client = login_client(org["member"])
    data = {
        "title": "Nycklar",
        "what_happened": WHAT,
        "what_we_expected": "Nycklar på plats.",
        "what_we_learned": "Ingen rutin.",
        "what_we_change": "En checklista.",
        "unit": org["team"].pk,
        "anonymous": "on",
    }

    with short_lock_wait(), database_locked():
        response = client.post("/forbattringar/lardomar/ny/", data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 503 and WHAT in page and " checked>" in page
    assert not Learning.objects.exists()
    municipality = org["member"].municipality_id
    assert search.search(municipality_id=municipality, filters=search.Filters(query="nycklar")).total == 0
    assert client.post("/forbattringar/lardomar/ny/", data).status_code == 302
    assert search.search(municipality_id=municipality, filters=search.Filters(query="nycklar")).total == 1
