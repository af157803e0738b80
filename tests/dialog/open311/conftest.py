"""Open311 fixtures: a municipality with two categories, an app with a known key, and fault reports
made through the real services at chosen moments."""

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine

import brobygget.dialog.open311.admin  # noqa: F401 - registers the admin until dialog/admin.py imports it
from brobygget.dialog.models import Case, Category, Kind, Open311Client
from brobygget.dialog.services import open311_client_create
from tests.dialog.open311.client import GeoReportClient
from tests.factories import CategoryFactory, ServicePromiseFactory, submit_case

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
API_KEY = "test-open311-key"
# Monday 2 March 2026, 09:15 in Stockholm (UTC+1): the moment most test cases come in.
MONDAY = datetime.datetime(2026, 3, 2, 9, 15, tzinfo=STOCKHOLM)


@pytest.fixture
def streetlights(org: dict[str, Any]):
    """The category "Gatubelysning" of the park team, promised an answer within 5 working days."""
    category = CategoryFactory(
        municipality=org["team"].municipality,
        unit=org["team"],
        code="gatubelysning",
        name="Gatubelysning",
        description="Trasiga gatlampor och belysning i parker.",
        order=1,
    )
    ServicePromiseFactory(category=category, kind="", acknowledge_days=1, answer_days=5)
    return category


@pytest.fixture
def potholes(org: dict[str, Any]):
    """The category "Gator och vägar" of the administration, with the default promise of 10 working days."""
    return CategoryFactory(
        municipality=org["team"].municipality,
        unit=org["admin_unit"],
        code="gator",
        name="Gator och vägar",
        description="Hål i vägen, trasiga skyltar.",
        order=2,
    )


@pytest.fixture
def app_client(municipality: Any) -> Open311Client:
    client, _key = open311_client_create(actor=None, municipality=municipality, name="Felanmälan-appen", key=API_KEY)
    return client


def fault_report(category: Category, at: datetime.datetime = MONDAY, **fields: Any) -> Case:
    """A fault report sent through the web form at `at` (Stockholm time)."""
    fields.setdefault("address", "Storgatan 1, Testby")
    with time_machine.travel(at, tick=False):
        case, _key = submit_case(category, kind=Kind.FAULT_REPORT, **fields)
    return case


@pytest.fixture
def georeport(live_server: Any) -> GeoReportClient:
    """A GeoReport v2 client in JSON, pointed at the live server's discovery document."""
    return GeoReportClient(f"{live_server.url}/open311/discovery.json", fmt="json")


@pytest.fixture
def georeport_xml(live_server: Any) -> GeoReportClient:
    return GeoReportClient(f"{live_server.url}/open311/discovery.xml", fmt="xml")
