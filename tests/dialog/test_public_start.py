"""The start page of the site: what a resident can do here, what the municipality promises, and the way in."""

import pytest

from brobygget.dialog.forms import KIND_HINTS
from brobygget.dialog.models import Kind
from tests.dialog.test_public_support import query_count, sv, text_of
from tests.factories import CategoryFactory, MunicipalityFactory, ServicePromiseFactory

pytestmark = pytest.mark.django_db


def test_the_start_page_says_what_a_resident_can_send_and_links_to_the_form(client, municipality):
    page = text_of(client.get("/"))

    assert sv("Tell %(municipality)s what you think", municipality="Testby kommun") in page
    for kind in Kind:
        assert sv(kind.label) in page and sv(KIND_HINTS[kind]) in page
    assert f'<a class="button button-start" href="/lamna-synpunkt/">{sv("Send feedback or report a fault")}</a>' in page


def test_the_start_page_promises_the_longest_answer_time_of_any_category(client, org):
    park = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    ServicePromiseFactory(category=park, kind="", answer_days=5)
    ServicePromiseFactory(category=park, kind=Kind.FAULT_REPORT, answer_days=3)
    school = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    ServicePromiseFactory(category=school, kind=Kind.COMPLAINT, answer_days=15)

    page = text_of(client.get("/"))

    # The school's other kinds fall back to the default of 10 days; its complaints take 15.
    assert "Vill du ha svar får du det inom 15 arbetsdagar." in page


def test_without_categories_the_default_promise_is_told(client, municipality):
    assert "Vill du ha svar får du det inom 10 arbetsdagar." in text_of(client.get("/"))


def test_the_start_page_tells_what_to_do_when_it_is_urgent(client, municipality):
    assert sv("If life, health or property is in danger, call 112.") in text_of(client.get("/"))


def test_the_start_page_has_a_small_link_for_staff(client, municipality):
    page = text_of(client.get("/"))

    assert f'<a href="/konto/logga-in/">{sv("Log in for staff")}</a>' in page


def test_the_start_page_queries_do_not_grow_with_categories(client, org, assert_max_queries):
    ServicePromiseFactory(category=CategoryFactory(municipality=org["team"].municipality, unit=org["team"]))
    few = query_count(client, "/")
    for _ in range(20):
        ServicePromiseFactory(category=CategoryFactory(municipality=org["team"].municipality, unit=org["team"]))

    with assert_max_queries(3):
        many = query_count(client, "/")
    assert many == few


def test_without_exactly_one_municipality_the_start_page_is_not_found(client):
    assert client.get("/").status_code == 404
    MunicipalityFactory(code="0001")
    MunicipalityFactory(code="0002")
    assert client.get("/").status_code == 404


def test_the_set_up_is_read_once_and_a_change_to_it_shows_at_once(client, org):
    park = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    promise = ServicePromiseFactory(category=park, kind="", answer_days=5)
    assert "Vill du ha svar får du det inom 5 arbetsdagar." in text_of(client.get("/"))

    # Seen once, the set-up comes from the cache: the next visitor costs no query at all.
    assert query_count(client, "/") == 0

    promise.answer_days = 12
    promise.save()
    assert "Vill du ha svar får du det inom 12 arbetsdagar." in text_of(client.get("/"))
    park.delete()
    assert "Vill du ha svar får du det inom 10 arbetsdagar." in text_of(client.get("/"))
