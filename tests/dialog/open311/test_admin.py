"""Issuing and switching off Open311 app keys in the admin: the key is shown once, only its hash is kept."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import Open311Client
from brobygget.dialog.open311.admin import DEACTIVATED_MESSAGE, KEY_ISSUED_MESSAGE
from brobygget.dialog.selectors import api_key_hash, open311_client_for_key
from brobygget.dialog.services import open311_client_create

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:dialog_open311client_add")
LIST_URL = reverse("admin:dialog_open311client_changelist")


def issued_key(response, name: str) -> str:
    """The key in the one message that shows it (a key is 32 URL-safe characters)."""
    with translation.override("sv"):
        template = str(KEY_ISSUED_MESSAGE)
    for message in get_messages(response.wsgi_request):
        for candidate in re.findall(r"[A-Za-z0-9_-]{32}", str(message)):
            if str(message) == template % {"name": name, "key": candidate}:
                return candidate
    raise AssertionError("No message shows the key.")


def test_a_superuser_issues_a_key_that_is_shown_once_and_stored_as_a_hash(admin_client, municipality):
    response = admin_client.post(ADD_URL, {"municipality": municipality.pk, "name": "Felanmälan-appen"})

    assert response.status_code == 302
    key = issued_key(response, "Felanmälan-appen")
    client = Open311Client.objects.get()
    assert (client.name, client.municipality, client.is_active) == ("Felanmälan-appen", municipality, True)
    assert client.key_hash == api_key_hash(key) and key not in client.key_hash
    assert open311_client_for_key(key=key) == client
    assert AuditEvent.objects.filter(action="open311.client_created", target_id=str(client.pk)).exists()
    assert admin_client.get(response["Location"]).content.decode().count(key) == 1
    change_page = admin_client.get(reverse("admin:dialog_open311client_change", args=[client.pk])).content.decode()
    assert key not in change_page and client.key_hash not in change_page
    assert key not in admin_client.get(LIST_URL).content.decode()


def test_the_add_form_asks_only_for_municipality_and_name(admin_client, municipality):
    form = admin_client.get(ADD_URL).content.decode()

    assert 'name="municipality"' in form and 'name="name"' in form
    assert 'name="key_hash"' not in form and 'name="is_active"' not in form


def test_switching_a_key_off_in_the_change_form_is_audited_and_refuses_the_key(admin_client, municipality):
    client, key = open311_client_create(actor=None, municipality=municipality, name="Appen")

    response = admin_client.post(
        reverse("admin:dialog_open311client_change", args=[client.pk]), {"name": "Appen (gammal)"}
    )

    assert response.status_code == 302
    client.refresh_from_db()
    assert (client.name, client.is_active) == ("Appen (gammal)", False)
    event = AuditEvent.objects.get(action="open311.client_updated")
    assert event.payload == {"fields": ["is_active", "name"], "is_active": False}
    assert open311_client_for_key(key=key) is None


def test_the_action_switches_off_the_selected_apps(admin_client, municipality):
    first, first_key = open311_client_create(actor=None, municipality=municipality, name="Ett")
    second, _key = open311_client_create(actor=None, municipality=municipality, name="Två")

    response = admin_client.post(LIST_URL, {"action": "deactivate", "_selected_action": [first.pk]})

    assert response.status_code == 302
    assert list(Open311Client.objects.filter(is_active=True)) == [second]
    assert open311_client_for_key(key=first_key) is None
    with translation.override("sv"):
        expected = str(DEACTIVATED_MESSAGE) % {"count": 1}
    assert expected in [str(message) for message in get_messages(response.wsgi_request)]


def test_apps_are_never_deleted(admin_client, municipality):
    client, _key = open311_client_create(actor=None, municipality=municipality, name="Appen")

    response = admin_client.post(reverse("admin:dialog_open311client_delete", args=[client.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Open311Client.objects.filter(pk=client.pk).exists()


def test_staff_who_are_not_superusers_cannot_see_or_issue_keys(client, org, municipality):
    user = org["registrar"].user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    assert client.get(LIST_URL).status_code == 403
    assert client.post(ADD_URL, {"municipality": municipality.pk, "name": "Smygapp"}).status_code == 403
    assert not Open311Client.objects.exists()
