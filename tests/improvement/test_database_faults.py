"""A write the database refuses loses nothing: the improvement's form comes back, 503, with what was typed and a
message to try again, and nothing is half-written. The lock is real: another connection holds it (tests/faults.py)."""

import html

import pytest

from brobygget.core.models import AuditEvent
from brobygget.improvement.models import Improvement, Stage, StageMove
from brobygget.improvement.views import ERROR_NOT_SAVED
from tests.faults import database_locked, short_lock_wait
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "Invånare ringer för att fråga när gatan plogas.\nSärskilt <b>efter</b> snöfall."


def test_a_new_improvement_comes_back_with_everything_typed_when_the_database_is_locked(org, login_client):
    client = login_client(org["member"])
    data = {
        "title": "Färre samtal om snöröjning",
        "problem": PROBLEM,
        "value_for_resident": "De vet när gatan plogas.",
        "idea": "Visa plogningsordningen på webben.",
        "measure": "Samtal per vecka.",
        "owner": org["member"].pk,
    }
    audited = AuditEvent.objects.count()

    with short_lock_wait(), database_locked():
        response = client.post(f"/forbattringar/enheter/{org['team'].pk}/ny/", data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 503
    assert sv(ERROR_NOT_SAVED) in page and PROBLEM in page and 'value="Färre samtal om snöröjning"' in page
    assert not Improvement.objects.exists() and AuditEvent.objects.count() == audited

    assert client.post(f"/forbattringar/enheter/{org['team'].pk}/ny/", data).status_code == 302
    assert Improvement.objects.get().problem == PROBLEM


def test_the_answer_of_a_stage_is_kept_when_the_database_is_locked(org, raise_improvement, login_client):
    improvement = raise_improvement()
    client = login_client(org["member"])
    client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan"})

    with short_lock_wait(), database_locked():
        response = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "do", "answer": "Hälften så många."})

    assert response.status_code == 503
    assert "Hälften så många.</textarea>" in html.unescape(response.content.decode())
    assert Improvement.objects.get().stage == Stage.PLAN and StageMove.objects.count() == 1
