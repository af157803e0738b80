"""Open311 GeoReport v2 over real HTTP: a client written from the spec talks to the live server in XML and JSON."""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import translation

from brobygget.dialog.models import Case, CaseEntry, Kind, Status
from brobygget.dialog.open311 import errors
from brobygget.dialog.open311.formats import promise_in_words
from brobygget.dialog.services import case_answer, case_reject, case_status_set
from tests.dialog.open311.client import XML_DECLARATION, GeoReportError, http
from tests.dialog.open311.conftest import API_KEY, MONDAY, STOCKHOLM, fault_report
from tests.factories import CategoryFactory, MunicipalityFactory, submit_case

W3_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# The whole spring of 2026 in windows the spec allows (at most 90 days).
SPRING = {"start_date": "2026-02-01T00:00:00+01:00", "end_date": "2026-04-30T00:00:00+02:00"}


def in_swedish(days: int) -> str:
    with translation.override("sv"):
        return promise_in_words(days)


def json_text_is_array(text: str) -> bool:
    return text.lstrip().startswith("[")


def refused(call: Any) -> GeoReportError:
    with pytest.raises(GeoReportError) as caught:
        call()
    return caught.value


def post_fields(**overrides: str | None) -> dict[str, str]:
    fields: dict[str, str | None] = {
        "api_key": API_KEY,
        "service_code": "gatubelysning",
        "lat": "59.370312",
        "long": "17.033901",
        "address_string": "Parkvägen 3, Testby",
        "email": "anna.andersson@example.se",
        "first_name": "Anna",
        "last_name": "Andersson",
        "phone": "070-123 45 67",
        "description": "Lampan vid lekplatsen har varit släckt i en vecka.",
        "device_id": "device-123",
        "account_id": "account-456",
    }
    fields.update(overrides)
    return {name: value for name, value in fields.items() if value is not None}


# Discovery


def test_discovery_names_the_georeport_v2_endpoint_with_both_formats(georeport, georeport_xml, live_server):
    for client in (georeport, georeport_xml):
        document = client.discovery().data

        assert set(document) == {"changeset", "contact", "key_service", "endpoints"}
        assert all(document[name] for name in ("changeset", "contact", "key_service"))
        [endpoint] = document["endpoints"]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == f"{live_server.url}/open311/v2"
        assert endpoint["type"] == "production"
        assert endpoint["formats"] == ["text/xml", "application/json"]


def test_discovery_xml_is_the_spec_structure(georeport_xml):
    response = georeport_xml.discovery()

    root = response.xml_root()
    assert root.tag == "discovery"
    assert [child.tag for child in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert [e.tag for e in root.find("endpoints/endpoint")] == ["specification", "url", "changeset", "type", "formats"]
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["text/xml", "application/json"]


# Services


def test_services_are_the_active_categories_grouped_by_their_unit(georeport, streetlights, potholes):
    CategoryFactory(municipality=streetlights.municipality, code="gammal", name="Gammal", is_active=False)

    services = georeport.services()

    assert services == [
        {
            "service_code": "gatubelysning",
            "service_name": "Gatubelysning",
            "description": "Trasiga gatlampor och belysning i parker.",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "Parkenheten",
        },
        {
            "service_code": "gator",
            "service_name": "Gator och vägar",
            "description": "Hål i vägen, trasiga skyltar.",
            "metadata": False,
            "type": "realtime",
            "keywords": "",
            "group": "Samhällsbyggnad",
        },
    ]


def test_services_in_xml_are_service_elements_with_text_values(georeport_xml, streetlights):
    response = georeport_xml.get("services")

    assert response.text.startswith(XML_DECLARATION)
    assert response.content_type == "text/xml; charset=utf-8"
    root = response.xml_root()
    assert root.tag == "services" and [child.tag for child in root] == ["service"]
    assert response.data == [
        {
            "service_code": "gatubelysning",
            "service_name": "Gatubelysning",
            "description": "Trasiga gatlampor och belysning i parker.",
            "metadata": "false",
            "type": "realtime",
            "keywords": "",
            "group": "Parkenheten",
        }
    ]


def test_a_service_definition_has_an_empty_list_of_attributes(georeport, georeport_xml, streetlights):
    assert georeport.service_definition("gatubelysning") == {"service_code": "gatubelysning", "attributes": []}

    root = georeport_xml.get("services/gatubelysning").xml_root()
    assert root.tag == "service_definition"
    assert [child.tag for child in root] == ["service_code", "attributes"]
    assert len(root.find("attributes")) == 0


@pytest.mark.parametrize("code", ["finns-inte", "gammal"])
def test_an_unknown_or_inactive_service_is_not_found(georeport, streetlights, code):
    CategoryFactory(municipality=streetlights.municipality, code="gammal", is_active=False)

    error = refused(lambda: georeport.service_definition(code))

    assert error.status == 404
    assert error.errors == [{"code": 404, "description": errors.ERROR_SERVICE_CODE_UNKNOWN}]


# POST requests


def test_posting_a_request_creates_a_fault_report_from_the_app(georeport, streetlights, app_client):
    with time_machine.travel(MONDAY, tick=True):
        answer = georeport.post_request(**post_fields())

    case = Case.objects.get()
    assert answer == [{"service_request_id": case.number, "service_notice": in_swedish(5), "account_id": None}]
    assert case.number == "SYN-2026-00001"
    assert (case.source, case.open311_client, case.kind) == (Case.Source.OPEN311, app_client, Kind.FAULT_REPORT)
    assert (case.category, case.unit) == (streetlights, streetlights.unit)
    assert case.text == "Lampan vid lekplatsen har varit släckt i en vecka."
    assert (str(case.latitude), str(case.longitude), case.address) == ("59.370312", "17.033901", "Parkvägen 3, Testby")
    assert (case.contact_name, case.contact_email, case.contact_phone) == (
        "Anna Andersson",
        "anna.andersson@example.se",
        "070-123 45 67",
    )
    assert case.wants_answer is True
    assert case.answer_due == datetime.date(2026, 3, 9)


def test_posting_without_an_email_asks_for_no_answer(georeport, streetlights, app_client):
    georeport.post_request(**post_fields(email="", first_name="", last_name="", phone=""))

    case = Case.objects.get()
    assert (case.wants_answer, case.contact_email, case.contact_name) == (False, "", "")


def test_the_answer_to_a_post_in_xml_is_one_request_element(georeport_xml, streetlights, app_client):
    with time_machine.travel(MONDAY, tick=True):
        answer = georeport_xml.post_request(**post_fields())

    assert answer == [{"service_request_id": "SYN-2026-00001", "service_notice": in_swedish(5), "account_id": ""}]


def test_the_api_key_may_come_in_the_query_string(georeport, streetlights, app_client):
    fields = post_fields(api_key=None)

    answer = http("POST", f"{georeport.endpoint}/requests.json?api_key={API_KEY}", "json", data=fields).data

    assert answer[0]["service_request_id"] == Case.objects.get().number


@pytest.mark.parametrize(
    ("key", "description"),
    [
        (None, errors.ERROR_API_KEY_MISSING),
        ("", errors.ERROR_API_KEY_MISSING),
        ("wrong-key", errors.ERROR_API_KEY_INVALID),
        ("inactive", errors.ERROR_API_KEY_INVALID),
    ],
)
def test_posting_without_a_valid_key_is_forbidden(georeport, streetlights, app_client, key, description):
    if key == "inactive":
        app_client.is_active = False
        app_client.save(update_fields=["is_active"])
        key = API_KEY

    error = refused(lambda: georeport.post_request(**post_fields(api_key=key)))

    assert error.status == 403
    assert error.errors == [{"code": 403, "description": description}]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("fields", "description"),
    [
        ({"service_code": ""}, errors.ERROR_SERVICE_CODE_MISSING),
        ({"lat": None, "long": None, "address_string": None}, errors.ERROR_LOCATION_MISSING),
        ({"long": None}, errors.ERROR_LAT_LONG_PAIR),
        ({"lat": "norr"}, errors.ERROR_LAT_LONG_INVALID),
        ({"lat": "91"}, errors.ERROR_LAT_LONG_INVALID),
        ({"long": "NaN"}, errors.ERROR_LAT_LONG_INVALID),
        ({"description": "   "}, errors.ERROR_DESCRIPTION_MISSING),
        ({"description": "<p></p>"}, errors.ERROR_DESCRIPTION_MISSING),
        ({"description": "x" * 4001}, errors.ERROR_DESCRIPTION_TOO_LONG),
        ({"email": "inte-en-adress"}, errors.ERROR_EMAIL_INVALID),
        ({"media_url": "javascript:alert(1)"}, errors.ERROR_MEDIA_URL_INVALID),
        ({"phone": "0" * 41}, errors.ERROR_FIELD_TOO_LONG % {"name": "phone", "max": 40}),
        ({"address_string": "x" * 301}, errors.ERROR_FIELD_TOO_LONG % {"name": "address_string", "max": 300}),
    ],
)
def test_a_request_with_a_wrong_value_is_refused_and_nothing_is_written(
    georeport, streetlights, app_client, fields, description
):
    error = refused(lambda: georeport.post_request(**post_fields(**fields)))

    assert error.status == 400
    assert error.errors == [{"code": 400, "description": description}]
    assert not Case.objects.exists()


def test_a_request_for_an_unknown_service_is_not_found(georeport, streetlights, app_client):
    error = refused(lambda: georeport.post_request(**post_fields(service_code="finns-inte")))

    assert error.status == 404
    assert error.errors == [{"code": 404, "description": errors.ERROR_SERVICE_CODE_UNKNOWN}]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("location", "address"),
    [
        ({"lat": None, "long": None, "address_string": "Torget, Testby"}, "Torget, Testby"),
        ({"lat": None, "long": None, "address_string": None, "address_id": "A-1234"}, "A-1234"),
        ({"address_string": None}, ""),
    ],
)
def test_any_one_of_the_three_kinds_of_location_is_enough(georeport, streetlights, app_client, location, address):
    georeport.post_request(**post_fields(**location))

    assert Case.objects.get().address == address


def test_html_in_the_description_is_removed(georeport, streetlights, app_client):
    georeport.post_request(**post_fields(description="<b>Lampan</b> är trasig.\n<script>x()</script>Igen."))

    assert Case.objects.get().text == "Lampan är trasig.\nx()Igen."


def test_a_media_url_is_kept_for_the_staff_as_a_note_and_never_published(georeport, streetlights, app_client):
    url = "https://bilder.example.org/lampa-123.jpg"

    georeport.post_request(**post_fields(media_url=url))

    case = Case.objects.get()
    [note] = case.entries.filter(kind=CaseEntry.Kind.INTERNAL_NOTE)
    assert url in note.text
    assert georeport.request(case.number)[0]["media_url"] == ""


def test_the_token_of_a_posted_request_gives_its_id(georeport, georeport_xml, streetlights, app_client):
    number = georeport.post_request(**post_fields())[0]["service_request_id"]

    assert georeport.token(number) == [{"service_request_id": number, "token": number}]
    assert georeport_xml.token(number) == [{"service_request_id": number, "token": number}]


def test_an_unknown_token_is_not_found(georeport, streetlights):
    error = refused(lambda: georeport.token("SYN-2026-99999"))

    assert error.status == 404
    assert error.errors == [{"code": 404, "description": errors.ERROR_TOKEN_UNKNOWN}]


# GET requests


def test_a_request_shows_every_field_the_spec_names(georeport, streetlights):
    case = fault_report(
        streetlights, latitude=Decimal("59.370312"), longitude=Decimal("17.033901"), address="Parkvägen 3"
    )

    [request] = georeport.request(case.number)

    assert list(request) == REQUEST_FIELDS
    assert request == {
        "service_request_id": "SYN-2026-00001",
        "status": "open",
        "status_notes": "",
        "service_name": "Gatubelysning",
        "service_code": "gatubelysning",
        "description": "Gatubelysning",
        "agency_responsible": "Parkenheten",
        "service_notice": in_swedish(5),
        "requested_datetime": "2026-03-02T09:15:00+01:00",
        "updated_datetime": "2026-03-02T09:15:00+01:00",
        "expected_datetime": "2026-03-09T23:59:59+01:00",
        "address": "Parkvägen 3",
        "address_id": "",
        "zipcode": "",
        "lat": 59.370312,
        "long": 17.033901,
        "media_url": "",
    }


def test_a_request_in_xml_has_the_same_fields_as_text(georeport, georeport_xml, streetlights):
    case = fault_report(streetlights, latitude=Decimal("59.370312"), longitude=Decimal("17.033901"))

    response = georeport_xml.get(f"requests/{case.number}")

    assert response.text.startswith(XML_DECLARATION)
    root = response.xml_root()
    assert root.tag == "service_requests" and [child.tag for child in root] == ["request"]
    assert [child.tag for child in root.find("request")] == REQUEST_FIELDS
    as_json = georeport.request(case.number)[0]
    as_text = {name: "" if value is None else str(value) for name, value in as_json.items()}
    assert response.data == [as_text]


def test_datetimes_carry_the_offset_of_stockholm_in_summer_and_winter(georeport, streetlights):
    winter = fault_report(streetlights, at=datetime.datetime(2026, 2, 2, 8, 0, tzinfo=STOCKHOLM))
    summer = fault_report(streetlights, at=datetime.datetime(2026, 4, 6, 8, 0, tzinfo=STOCKHOLM))

    requests = {r["service_request_id"]: r for r in georeport.requests(**SPRING)}

    assert requests[winter.number]["requested_datetime"] == "2026-02-02T08:00:00+01:00"
    assert requests[summer.number]["requested_datetime"] == "2026-04-06T08:00:00+02:00"
    for request in requests.values():
        for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert W3_WITH_OFFSET.match(request[name]), request[name]


def test_an_unknown_request_is_not_found(georeport, georeport_xml, streetlights):
    error = refused(lambda: georeport_xml.request("SYN-2026-99999"))

    assert error.status == 404
    root = error.response.xml_root()
    assert root.tag == "errors" and [child.tag for child in root] == ["error"]
    assert [child.tag for child in root.find("error")] == ["code", "description"]
    assert error.errors == [{"code": "404", "description": errors.ERROR_REQUEST_UNKNOWN}]


def test_requests_are_the_fault_reports_of_the_last_90_days_newest_first(georeport, streetlights, potholes):
    too_old = fault_report(streetlights, at=datetime.datetime(2025, 12, 1, 12, 0, tzinfo=STOCKHOLM))
    older = fault_report(streetlights, at=datetime.datetime(2026, 1, 10, 12, 0, tzinfo=STOCKHOLM))
    newer = fault_report(potholes, at=MONDAY)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=STOCKHOLM), tick=True):
        requests = georeport.requests()

    assert [r["service_request_id"] for r in requests] == [newer.number, older.number]
    assert too_old.number not in {r["service_request_id"] for r in requests}


def test_requests_filter_by_service_code(georeport, streetlights, potholes):
    light = fault_report(streetlights)
    hole = fault_report(potholes)

    assert [r["service_request_id"] for r in georeport.requests(service_code="gator", **SPRING)] == [hole.number]
    both = georeport.requests(service_code="gator,gatubelysning", **SPRING)
    assert {r["service_request_id"] for r in both} == {light.number, hole.number}
    assert georeport.requests(service_code="finns-inte", **SPRING) == []


def test_requests_filter_by_dates_of_arrival(georeport, streetlights):
    march = fault_report(streetlights, at=MONDAY)
    fault_report(streetlights, at=datetime.datetime(2026, 4, 6, 8, 0, tzinfo=STOCKHOLM))

    requests = georeport.requests(start_date="2026-03-01T00:00:00+01:00", end_date="2026-03-31T23:59:59+02:00")

    assert [r["service_request_id"] for r in requests] == [march.number]


def test_a_start_date_alone_covers_the_90_days_after_it(georeport, streetlights):
    march = fault_report(streetlights, at=MONDAY)
    fault_report(streetlights, at=datetime.datetime(2026, 6, 1, 8, 0, tzinfo=STOCKHOLM))

    requests = georeport.requests(start_date="2026-03-01T00:00:00Z")

    assert [r["service_request_id"] for r in requests] == [march.number]


def test_an_unencoded_plus_in_the_offset_is_understood(georeport, streetlights):
    case = fault_report(streetlights)

    url = f"{georeport.endpoint}/requests.json?start_date=2026-03-02T09:00:00+01:00&end_date=2026-03-02T10:00:00+01:00"
    requests = http("GET", url, "json").data

    assert [r["service_request_id"] for r in requests] == [case.number]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"}, errors.ERROR_DATE_RANGE),
        ({"start_date": "2026-03-02T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, errors.ERROR_DATE_ORDER),
        ({"start_date": "igår"}, errors.ERROR_DATE_INVALID % {"name": "start_date"}),
        ({"end_date": "2026-13-01T00:00:00Z"}, errors.ERROR_DATE_INVALID % {"name": "end_date"}),
        ({"status": "pending"}, errors.ERROR_STATUS_INVALID),
        ({"page": "0"}, errors.ERROR_PAGE_INVALID),
        ({"page_size": "1001"}, errors.ERROR_PAGE_SIZE_INVALID),
        ({"page_size": "många"}, errors.ERROR_PAGE_SIZE_INVALID),
    ],
)
def test_wrong_filters_are_refused(georeport, streetlights, params, description):
    error = refused(lambda: georeport.requests(**params))

    assert error.status == 400
    assert error.errors == [{"code": 400, "description": description}]


def test_exactly_90_days_is_allowed(georeport, streetlights):
    assert georeport.requests(start_date="2026-01-01T00:00:00Z", end_date="2026-04-01T00:00:00Z") == []


def test_statuses_map_onto_open_and_closed_with_the_latest_public_answer_as_notes(georeport, streetlights):
    received = fault_report(streetlights)
    in_progress = fault_report(streetlights)
    case_status_set(actor=None, case=in_progress, status=Status.IN_PROGRESS)
    case_answer(actor=None, case=in_progress, text="Vi tittar på det.")
    case_status_set(actor=None, case=in_progress, status=Status.IN_PROGRESS)
    answered = fault_report(streetlights)
    case_answer(actor=None, case=answered, text="Första svaret.")
    case_answer(actor=None, case=answered, text="Lampan är lagad.")
    closed = fault_report(streetlights)
    case_answer(actor=None, case=closed, text="Lampan är bytt.", close=True)
    rejected = fault_report(streetlights)
    case_reject(actor=None, case=rejected, reason="Vägen sköts av Trafikverket.")

    with time_machine.travel(datetime.datetime(2026, 3, 10, 12, 0, tzinfo=STOCKHOLM), tick=True):
        found = {r["service_request_id"]: (r["status"], r["status_notes"]) for r in georeport.requests()}

    assert found == {
        received.number: ("open", ""),
        in_progress.number: ("open", "Vi tittar på det."),
        answered.number: ("closed", "Lampan är lagad."),
        closed.number: ("closed", "Lampan är bytt."),
        rejected.number: ("closed", "Vägen sköts av Trafikverket."),
    }


@pytest.mark.parametrize(("status", "expected"), [("open", {"open"}), ("closed", {"closed"}), ("open,closed", None)])
def test_requests_filter_by_status(georeport, streetlights, status, expected):
    fault_report(streetlights)
    case_answer(actor=None, case=fault_report(streetlights), text="Lagad.", close=True)

    statuses = {r["status"] for r in georeport.requests(status=status, **SPRING)}

    assert statuses == (expected or {"open", "closed"})


def test_service_request_ids_override_every_other_filter(georeport, streetlights, potholes):
    old = fault_report(streetlights, at=datetime.datetime(2025, 6, 1, 12, 0, tzinfo=STOCKHOLM))
    hole = fault_report(potholes)
    fault_report(streetlights)

    requests = georeport.requests(service_request_id=f"{old.number}, {hole.number}", service_code="x", status="closed")

    assert [r["service_request_id"] for r in requests] == [hole.number, old.number]


def test_requests_come_in_pages(georeport, streetlights):
    numbers = [fault_report(streetlights, at=MONDAY + datetime.timedelta(minutes=m)).number for m in range(5)]

    first = georeport.requests(page_size="2", **SPRING)
    third = georeport.requests(page_size="2", page="3", **SPRING)

    assert [r["service_request_id"] for r in first] == numbers[::-1][:2]
    assert [r["service_request_id"] for r in third] == [numbers[0]]
    assert georeport.requests(page_size="2", page="4", **SPRING) == []


def test_one_request_is_still_a_list_of_one_in_both_formats(georeport, georeport_xml, streetlights):
    fault_report(streetlights)

    assert len(georeport.requests(**SPRING)) == 1
    assert json_text_is_array(georeport.get("requests", **SPRING).text)
    assert [child.tag for child in georeport_xml.get("requests", **SPRING).xml_root()] == ["request"]


def test_ids_and_codes_are_strings_in_json(georeport, streetlights, app_client):
    CategoryFactory(municipality=streetlights.municipality, unit=streetlights.unit, code="006", name="Trottoarer")
    answer = georeport.post_request(**post_fields(service_code="006"))

    [request] = georeport.request(answer[0]["service_request_id"])
    [service] = [s for s in georeport.services() if s["service_code"] == "006"]

    assert isinstance(answer[0]["service_request_id"], str)
    assert (request["service_code"], service["service_code"]) == ("006", "006")


def test_only_fault_reports_are_public(georeport, streetlights):
    complaint, _key = submit_case(streetlights, kind=Kind.COMPLAINT, text="Personalen var otrevlig.")
    report = fault_report(streetlights, at=datetime.datetime.now(tz=STOCKHOLM))

    assert [r["service_request_id"] for r in georeport.requests()] == [report.number]
    assert refused(lambda: georeport.request(complaint.number)).status == 404
    assert refused(lambda: georeport.token(complaint.number)).status == 404


def test_nothing_a_resident_wrote_or_told_about_themselves_is_in_a_public_answer(
    georeport, georeport_xml, streetlights, app_client
):
    secret_text = "Min granne Olle Karlsson slår sönder lampan."
    posted = georeport.post_request(**post_fields(description=secret_text, media_url="https://x.example/p.jpg"))
    web = fault_report(
        streetlights,
        at=datetime.datetime.now(tz=STOCKHOLM),
        text="Bertil Bengtsson skriver: lampan blinkar.",
        contact_name="Bertil Bengtsson",
        contact_email="bertil@example.se",
        contact_phone="08-555 12 34",
        wants_answer=True,
    )
    numbers = [posted[0]["service_request_id"], web.number]

    bodies = []
    for client in (georeport, georeport_xml):
        bodies.append(client.get("requests").text)
        bodies.append(client.get("requests", service_request_id=",".join(numbers)).text)
        bodies.extend(client.get(f"requests/{number}").text for number in numbers)
        bodies.extend(client.get(f"tokens/{number}").text for number in numbers)
        bodies.append(client.get("services").text)
    public = "\n".join(bodies)

    assert numbers[0] in public and numbers[1] in public
    for personal in [
        "Olle",
        "granne",
        "anna.andersson",
        "Anna",
        "Andersson",
        "070-123",
        "Bertil",
        "bertil@",
        "08-555",
        "blinkar",
        "x.example",
        "device-123",
        "account-456",
    ]:
        assert personal not in public, personal


# Jurisdictions and scope


def test_a_municipality_can_be_named_by_its_code(georeport, streetlights):
    case = fault_report(streetlights)

    assert georeport.request(case.number) == georeport.get(f"requests/{case.number}", jurisdiction_id="8001").data
    assert georeport.get(f"requests/{case.number}", jurisdiction_id="").data[0]["service_request_id"] == case.number


def test_an_unknown_jurisdiction_is_not_found(georeport, streetlights):
    error = refused(lambda: georeport.services(jurisdiction_id="9999"))

    assert error.status == 404
    assert error.errors == [{"code": 404, "description": errors.ERROR_JURISDICTION_UNKNOWN}]


def test_with_several_municipalities_the_jurisdiction_is_required_and_scopes_everything(georeport, streetlights):
    other = MunicipalityFactory(name="Grannby kommun", code="8002")
    theirs = fault_report(CategoryFactory(municipality=other, code="gatubelysning", name="Deras lampor"))
    ours = fault_report(streetlights)

    error = refused(lambda: georeport.services())
    assert error.status == 400
    assert error.errors == [{"code": 400, "description": errors.ERROR_JURISDICTION_MISSING}]
    assert [s["service_name"] for s in georeport.services(jurisdiction_id="8001")] == ["Gatubelysning"]
    # The other municipality numbers its cases from 1 too: the same id is a different case there.
    assert theirs.number == ours.number
    mine = georeport.get("requests", jurisdiction_id="8001", **SPRING).data
    assert [r["service_name"] for r in mine] == ["Gatubelysning"]
    assert georeport.get(f"requests/{ours.number}", jurisdiction_id="8002").data[0]["service_name"] == "Deras lampor"


# The HTTP surface


def test_an_unknown_format_is_a_bad_request(live_server, streetlights):
    error = refused(lambda: http("GET", f"{live_server.url}/open311/v2/services.html", "xml"))

    assert error.status == 400
    assert error.errors == [{"code": "400", "description": errors.ERROR_FORMAT_UNKNOWN}]


def test_an_unknown_path_is_not_found_in_the_asked_format(live_server):
    error = refused(lambda: http("GET", f"{live_server.url}/open311/v2/nothing.json", "json"))

    assert error.status == 404
    assert error.errors == [{"code": 404, "description": errors.ERROR_NOT_FOUND}]


def test_a_wrong_method_is_refused_with_the_allowed_ones(live_server, streetlights):
    error = refused(lambda: http("POST", f"{live_server.url}/open311/v2/services.json", "json", data={}))

    assert error.status == 405
    assert error.response.headers["Allow"] == "GET, HEAD"
    assert error.errors == [{"code": 405, "description": errors.ERROR_METHOD_NOT_ALLOWED}]
