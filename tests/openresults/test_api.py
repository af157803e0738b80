"""The open-data API: the same numbers as the pages, paginated with stable ids, ISO dates, CORS for reading only
under /api/, a clear 429 with Retry-After, the schema and its docs page served from our own static files."""

import json
import re

import pytest
import time_machine
from django.urls import reverse

from brobygget.openresults.api import ERROR_FILTERS, ERROR_RATE_LIMITED
from tests.html import assets_from_elsewhere
from tests.openresults import numbers_data
from tests.openresults.numbers_data import TODAY
from tests.openresults.test_numbers import as_number, page_tables

pytestmark = pytest.mark.django_db

numbers = numbers_data.numbers  # the fixture


def api_get(client, path: str, **params):
    with time_machine.travel(TODAY, tick=False):
        return client.get(f"/api/v1{path}", params, REMOTE_ADDR=params.pop("address", "192.0.2.1"))


def test_promises_per_month_are_the_numbers_of_the_page_with_iso_dates_and_stable_ids(client, numbers):
    with time_machine.travel(TODAY, tick=False):
        rows = page_tables(client.get(reverse("openresults:promises")).content.decode())["data-per-manad"][1:]
    response = api_get(client, "/promises/months")

    assert response.status_code == 200
    document = response.json()
    assert document["count"] == 12
    items = document["items"]
    assert [item["id"] for item in items] == [as_number(row[0]) for row in rows]
    assert all(re.fullmatch(r"\d{4}-\d{2}-01", item["id"]) for item in items)
    keys = ["received", "answered", "answered_in_time", "share_in_time", "median_working_days", "solved_yes"]
    assert [[item[k] for k in keys] for item in items] == [[as_number(c) for c in row[1:7]] for row in rows]
    may = next(item for item in items if item["id"] == "2026-05-01")
    assert may["received"] == 12 and may["median_working_days"] == 1 and may["share_in_time"] == 67


def test_a_list_is_paginated_and_its_pages_add_up_to_the_whole(client, numbers):
    whole = api_get(client, "/promises/months").json()["items"]
    first = api_get(client, "/promises/months", limit="5").json()
    rest = api_get(client, "/promises/months", limit="5", offset="5").json()
    last = api_get(client, "/promises/months", limit="5", offset="10").json()

    assert first["count"] == 12
    assert first["items"] + rest["items"] + last["items"] == whole


def test_filters_narrow_and_a_wrong_filter_is_refused_with_the_reason(client, org, numbers):
    park = api_get(client, "/promises/categories", category=str(numbers["park"].pk)).json()["items"]
    assert [(item["id"], item["name"], item["received"]) for item in park] == [(str(numbers["park"].pk), "Parker", 4)]
    units = api_get(client, "/promises/units", unit=str(org["admin_unit"].pk)).json()["items"]
    assert {item["name"] for item in units} == {"Parkenheten", "Gatuenheten"}

    wrong = api_get(client, "/promises/months", **{"from": "2026-05", "to": "2026-01"})
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == str(ERROR_FILTERS)
    assert "fran" in wrong.json()["errors"]
    unknown = api_get(client, "/figures/kinds", unit="999999")
    assert unknown.status_code == 422


def test_the_figures_and_the_map_as_on_the_page(client, numbers):
    kinds = {item["id"]: item["received"] for item in api_get(client, "/figures/kinds").json()["items"]}
    assert kinds == {"complaint": 4, "suggestion": 1, "praise": 0, "question": 0, "fault_report": 8}
    months = api_get(client, "/figures/kinds-months", **{"from": "2026-05", "to": "2026-05"}).json()["items"]
    assert months == [
        {
            "id": "2026-05-01",
            "month": "2026-05-01",
            "complaint": 4,
            "suggestion": 0,
            "praise": 0,
            "question": 0,
            "fault_report": 8,
            "total": 12,
        }
    ]
    cells = api_get(client, "/figures/map").json()["items"]
    assert cells == [{"id": "59.328,18.054", "south": 59.328, "west": 18.054, "received": 6}]
    categories = api_get(client, "/categories").json()["items"]
    assert {c["name"] for c in categories} == {"Parker", "Gator"}
    units = api_get(client, "/units").json()
    assert units["count"] == 4
    assert units["items"][0] == {"id": units["items"][0]["id"], "name": "Kommunstyrelsen", "depth": 0}


def test_cors_allows_reading_from_any_origin_under_api_only(client, numbers):
    with time_machine.travel(TODAY, tick=False):
        api = client.get("/api/v1/figures/kinds", HTTP_ORIGIN="https://example.org")
        preflight = client.options(
            "/api/v1/figures/kinds", HTTP_ORIGIN="https://example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
        )
        page = client.get(reverse("openresults:figures"), HTTP_ORIGIN="https://example.org")

    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Retry-After" in api["Access-Control-Expose-Headers"]
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in page


def test_the_api_writes_nothing(client, numbers):
    with time_machine.travel(TODAY, tick=False):
        response = client.post("/api/v1/figures/kinds", {}, content_type="application/json")
    assert response.status_code == 405


def test_too_many_requests_from_one_address_get_429_with_retry_after(client, settings, numbers):
    settings.API_REQUESTS_PER_MINUTE = 3
    answers = [api_get(client, "/figures/kinds", address="198.51.100.7") for _ in range(4)]
    other = api_get(client, "/figures/kinds", address="198.51.100.8")

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    refused = answers[-1]
    assert refused.json() == {"detail": str(ERROR_RATE_LIMITED)}
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert other.status_code == 200


def test_the_schema_and_its_docs_page_from_our_own_static_files(client):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"/api/v1/promises/months", "/api/v1/figures/map", "/api/v1/units"} <= set(paths)
    assert all(set(operations) == {"get"} for operations in paths.values())
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert assets_from_elsewhere(html) == []
    assert "https://" not in re.sub(r'data-[a-z-]+="[^"]*"', "", html)


def test_an_api_answer_asks_the_same_queries_with_more_cases(client, numbers, assert_max_queries):
    from django.core.cache import cache

    from tests.factories import submit_case
    from tests.openresults.numbers_data import at

    cache.clear()
    with assert_max_queries(10) as few:
        api_get(client, "/promises/units")
    with at(2026, 3, 3, 10):
        for kind in ("complaint", "praise", "fault_report"):
            submit_case(numbers["street"], kind=kind)
    cache.clear()
    with assert_max_queries(len(few)):
        api_get(client, "/promises/units")


def test_you_said_we_did_gives_the_live_publications_only_and_one_by_its_id(
    client, org, adopted_summary, publish, django_capture_on_commit_callbacks
):
    from brobygget.openresults import services

    kept = publish(adopted_summary(title="Lagade gungor"))
    withdrawn = publish(adopted_summary(title="Nya bänkar", we_did="Vi satte upp bänkar."))
    adopted_summary(title="Ännu inte publicerad", we_did="Något internt.")
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(actor=org["member"].user, publication=withdrawn, reason="Fel text.")

    listed = api_get(client, "/you-said-we-did").json()
    one = api_get(client, f"/you-said-we-did/{kept.pk}")
    gone = api_get(client, f"/you-said-we-did/{withdrawn.pk}")

    assert listed["count"] == 1
    (item,) = listed["items"]
    assert item["id"] == kept.pk and item["title"] == "Lagade gungor"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", item["done_on"]) and item["unit"] == "Parkenheten"
    assert one.status_code == 200 and one.json() == item
    assert gone.status_code == 404
    body = json.dumps(listed, ensure_ascii=False)
    assert "Nya bänkar" not in body and "Ännu inte publicerad" not in body and "internt" not in body
