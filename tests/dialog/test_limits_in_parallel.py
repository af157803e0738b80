"""The resident form's hourly limit and Open311's posts per minute hold when the posts arrive at the same moment
(checked and counted in one step, core/throttle), as from many workers and servers."""

from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from brobygget.dialog.models import Case
from brobygget.dialog.services import open311_client_create
from tests.dialog.test_public_support import FORM_URL, form_data, started_ago
from tests.factories import CategoryFactory
from tests.threads import in_parallel


@pytest.mark.django_db(transaction=True)
@override_settings(DIALOG_SUBMISSIONS_PER_HOUR=10)
def test_parallel_resident_posts_from_one_address_get_no_further_than_the_hourly_limit():
    category = CategoryFactory()
    posts = [form_data(category, started=started_ago(60 + number)) for number in range(30)]

    statuses = in_parallel(30, lambda number: Client().post(FORM_URL, posts[number]).status_code)

    assert statuses.count(302) == 10 and len(statuses) == 30
    assert Case.objects.count() == 10


@pytest.mark.django_db(transaction=True)
@override_settings(OPEN311_POSTS_PER_MINUTE=5)
def test_parallel_open311_posts_of_one_app_get_no_further_than_the_limit_a_minute():
    category = CategoryFactory(code="gatubelysning")
    open311_client_create(actor=None, municipality=category.municipality, name="Appen", key="app-nyckel")
    body = urlencode(
        {
            "api_key": "app-nyckel",
            "service_code": "gatubelysning",
            "address_string": "Parkvägen 3",
            "description": "Släckt.",
        }
    )

    def post(number: int) -> int:
        response = Client().post("/open311/v2/requests.json", body, content_type="application/x-www-form-urlencoded")
        return response.status_code

    statuses = in_parallel(20, post)

    assert statuses.count(200) == 5 and statuses.count(429) == 15
    assert Case.objects.count() == 5
