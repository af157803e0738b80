"""Staff answers stay out of caches: every answer to a logged-in person is `Cache-Control: no-store, private`
(core/middleware), while the residents' public pages keep their own."""

import io

import pytest
from django.test import Client
from PIL import Image

from brobygget.dialog.photos import ProcessedPhoto
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives and "public" not in directives


def _photo() -> ProcessedPhoto:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, format="JPEG")
    return ProcessedPhoto(out.getvalue(), "image/jpeg", "jpg", 8, 6)


def test_the_inbox_a_case_its_photo_and_my_page_are_not_stored(org, make_case, login_client):
    case = make_case(photos=[_photo()], contact_email="boende@example.se")
    photo = case.attachments.get()
    leader = login_client(org["leader"])

    responses = {
        path: leader.get(path)
        for path in ("/arenden/", f"/arenden/{case.pk}/", f"/arenden/{case.pk}/bilder/{photo.pk}/", "/min-sida/")
    }

    assert {path: response.status_code for path, response in responses.items()} == dict.fromkeys(responses, 200)
    assert all(_no_store(response) for response in responses.values()), {
        path: response.get("Cache-Control") for path, response in responses.items()
    }


def test_the_admin_is_not_stored():
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))

    response = client.get("/admin/")

    assert response.status_code == 200 and _no_store(response)


def test_a_public_page_seen_by_nobody_logged_in_keeps_its_own_headers(client, category):
    response = client.get("/lamna-synpunkt/")

    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
