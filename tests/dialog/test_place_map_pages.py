"""The map's server side: its settings reach the form, the tile server is the one other image origin of the CSP, and
positions are written the Swedish way (the browser tests in tests/e2e/test_place_map.py draw it)."""

from decimal import Decimal

import pytest
from django.utils import translation

from brobygget.core.jinja2 import coordinate
from brobygget.dialog.tracking import tracking_path
from tests.factories import submit_case
from tests.html import assets_from_elsewhere

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("sv", Decimal("59.379300"), "59,3793"),
        ("sv", Decimal("17.029012"), "17,029012"),
        ("sv", Decimal("-0.500000"), "-0,5000"),
        ("en", Decimal("59.379300"), "59.3793"),
        ("sv", None, ""),
    ],
)
def test_a_coordinate_is_written_as_the_language_writes_numbers(language, value, expected):
    with translation.override(language):
        assert coordinate(value) == expected


def test_the_form_carries_the_map_and_its_tile_server(client, category, settings):
    settings.MAP_TILE_URL = "https://kartor.example.se/tiles/{z}/{x}/{y}.png"

    html = client.get("/lamna-synpunkt/").content.decode()

    assert 'class="place-map" id="place-map-choose" hidden' in html
    assert 'data-tiles="https://kartor.example.se/tiles/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert assets_from_elsewhere(html) == []


def test_the_pages_may_load_images_from_the_tile_server_only(client, category):
    policy = client.get("/lamna-synpunkt/")["Content-Security-Policy"]

    assert "img-src 'self' data: https://tile.openstreetmap.org;" in policy
    assert "script-src 'self'" in policy


def test_the_tracking_page_writes_the_position_the_swedish_way_and_maps_it(client, category):
    case, _key = submit_case(
        category=category, kind="fault_report", latitude=Decimal("59.379300"), longitude=Decimal("17.029000")
    )

    html = client.get(tracking_path(case)).content.decode()

    assert "Latitud 59,3793, longitud 17,0290" in html
    assert 'data-position="59.379300,17.029000"' in html
    assert "vendor/leaflet/leaflet.js" in html


def test_a_tracking_page_without_a_position_loads_no_map(client, category):
    case, _key = submit_case(category=category, address="Storgatan 1")

    html = client.get(tracking_path(case)).content.decode()

    assert "place-map" not in html and "leaflet" not in html
