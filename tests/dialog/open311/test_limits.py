"""What the Open311 endpoint costs and allows: queries that do not grow with the cases, and a post limit per app."""

import datetime
import json
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from brobygget.dialog.models import Case
from brobygget.dialog.open311 import errors
from brobygget.dialog.services import case_answer, open311_client_create
from tests.dialog.open311.conftest import API_KEY, MONDAY, fault_report
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

SPRING = {"start_date": "2026-02-01T00:00:00+01:00", "end_date": "2026-04-30T00:00:00+02:00"}


def post(client: Client, **fields: str):
    body = {
        "api_key": API_KEY,
        "service_code": "gatubelysning",
        "address_string": "Parkvägen 3",
        "description": "Lampan är släckt.",
        **fields,
    }
    return client.post("/open311/v2/requests.json", urlencode(body), content_type="application/x-www-form-urlencoded")


def queries_of(client: Client, url: str, params: dict[str, str]) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context), response.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_listing_requests_takes_two_queries_however_many_there_are(client, streetlights, fmt):
    url = f"/open311/v2/requests.{fmt}"
    case_answer(actor=None, case=fault_report(streetlights), text="Lagad.")
    few, _body = queries_of(client, url, SPRING)
    for minute in range(1, 30):
        case = fault_report(streetlights, at=MONDAY + datetime.timedelta(minutes=minute))
        case_answer(actor=None, case=case, text=f"Svar {minute}.")

    many, body = queries_of(client, url, SPRING)

    assert few == many == 2
    assert body.count(b"SYN-2026-") == 30


def test_one_request_and_the_services_take_two_queries(client, streetlights, potholes, assert_max_queries):
    case = fault_report(streetlights)
    case_answer(actor=None, case=case, text="Svar.")

    with assert_max_queries(2):
        assert client.get(f"/open311/v2/requests/{case.number}.json").status_code == 200
    with assert_max_queries(2):
        assert client.get("/open311/v2/services.xml").status_code == 200
    with assert_max_queries(2):
        assert client.get(f"/open311/v2/tokens/{case.number}.xml").status_code == 200
    with assert_max_queries(0):
        assert client.get("/open311/discovery.json").status_code == 200


@override_settings(OPEN311_POSTS_PER_MINUTE=2)
def test_an_app_may_post_only_so_many_requests_a_minute(client, streetlights, app_client):
    with time_machine.travel(MONDAY, tick=False):
        first, second, third = post(client), post(client), post(client)

    assert (first.status_code, second.status_code, third.status_code) == (200, 200, 429)
    assert third["Retry-After"] == "60"
    assert json.loads(third.content) == [{"code": 429, "description": errors.ERROR_RATE_LIMITED}]
    assert Case.objects.count() == 2


@override_settings(OPEN311_POSTS_PER_MINUTE=1)
def test_the_post_limit_is_per_app_and_per_minute(client, streetlights, app_client):
    open311_client_create(actor=None, municipality=streetlights.municipality, name="Annan app", key="annan-nyckel")
    with time_machine.travel(MONDAY, tick=False):
        assert post(client).status_code == 200
        assert post(client).status_code == 429
        assert post(client, api_key="annan-nyckel").status_code == 200
    with time_machine.travel(MONDAY + datetime.timedelta(seconds=61), tick=False):
        assert post(client).status_code == 200


def test_a_post_naming_another_jurisdiction_than_the_apps_is_not_found(client, streetlights, app_client):
    MunicipalityFactory(code="8002")

    response = post(client, jurisdiction_id="8002")

    assert response.status_code == 404
    assert json.loads(response.content) == [{"code": 404, "description": errors.ERROR_JURISDICTION_UNKNOWN}]
    assert not Case.objects.exists()


def test_the_apps_own_jurisdiction_may_be_named(client, streetlights, app_client):
    assert post(client, jurisdiction_id="8001").status_code == 200


def test_the_answer_to_a_post_is_200_in_the_apps_language(client, streetlights, app_client):
    response = client.post(
        "/open311/v2/requests.json",
        urlencode(
            {"api_key": API_KEY, "service_code": "gatubelysning", "lat": "59.3", "long": "17.0", "description": "x"}
        ),
        content_type="application/x-www-form-urlencoded",
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert json.loads(response.content)[0]["service_notice"] == "We answer within 5 working days."
    assert Case.objects.get().language == "en"
