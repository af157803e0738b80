"""The list of requests is kept for a minute per query, language and format: apps poll the same lists."""

import json

import pytest
from django.test import override_settings

from tests.dialog.open311.conftest import fault_report
from tests.dialog.open311.test_limits import SPRING, post, queries_of

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


@override_settings(OPEN311_LIST_CACHE_SECONDS=60)
def test_a_list_is_kept_for_the_same_query_and_says_for_how_long(client, streetlights, app_client):
    fault_report(streetlights)
    first, body = queries_of(client, URL, SPRING)
    again, body_again = queries_of(client, URL, SPRING)

    assert first > 0 and again == 0
    assert body_again == body and len(json.loads(body)) == 1
    assert "max-age=60" in client.get(URL, SPRING)["Cache-Control"]
    # Another query, another format or another language is another answer.
    assert queries_of(client, URL, {**SPRING, "status": "open"})[0] > 0
    assert queries_of(client, "/open311/v2/requests.xml", SPRING)[0] > 0
    client.cookies["django_language"] = "en"
    assert queries_of(client, URL, SPRING)[0] > 0


@override_settings(OPEN311_LIST_CACHE_SECONDS=60)
def test_a_post_is_never_answered_from_the_cache_and_errors_are_not_kept(client, streetlights, app_client):
    queries_of(client, URL, SPRING)
    created = [post(client) for _ in range(2)]

    assert [response.status_code for response in created] == [200, 200]
    assert created[0].content != created[1].content  # two requests, two ids
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
    with override_settings(OPEN311_LIST_CACHE_SECONDS=0):
        assert client.get(URL, {"status": "nonsense"}).status_code == 400


def test_with_no_time_set_every_list_is_read_afresh(client, streetlights):
    first, _ = queries_of(client, URL, SPRING)
    again, _ = queries_of(client, URL, SPRING)

    assert first == again > 0


@override_settings(OPEN311_LIST_CACHE_SECONDS=60)
@pytest.mark.parametrize("path", ["/open311/v2/services.json", "/open311/v2/services/{code}.xml"])
def test_the_services_are_kept_too(client, streetlights, path):
    url = path.format(code=streetlights.code)
    first, body = queries_of(client, url, {})
    again, body_again = queries_of(client, url, {})

    assert first > 0 and again == 0 and body_again == body
    assert "max-age=60" in client.get(url)["Cache-Control"]


@override_settings(OPEN311_LIST_CACHE_SECONDS=60)
def test_a_request_is_kept_for_the_time_it_says_and_read_afresh_after_it(client, streetlights):
    from django.core.cache import cache

    from brobygget.dialog.services import case_answer

    case = fault_report(streetlights)
    url = f"/open311/v2/requests/{case.number}.json"
    _first, body = queries_of(client, url, {})
    case_answer(actor=None, case=case, text="Lampan är lagad.")

    again, kept = queries_of(client, url, {})
    assert again == 0 and kept == body  # within the minute the answer says it may be kept
    cache.clear()  # the minute has passed
    _queries, fresh = queries_of(client, url, {})
    assert json.loads(fresh)[0]["status"] == "closed" and json.loads(body)[0]["status"] == "open"
    assert client.get("/open311/v2/requests/SYN-1999-00001.json").status_code == 404  # an unknown one, never kept
