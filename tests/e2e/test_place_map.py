"""The map of a place, in a real browser against a local tile server: the resident marks the place on the form's map
and the coordinates are filled the Swedish way; the tracking page shows the place; without JavaScript there is no
map and the address works as before. axe-core finds nothing on either page with the map drawn."""

import io
import re
import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from brobygget.dialog.models import Case
from brobygget.dialog.tracking import tracking_path
from tests.dialog.test_public_support import sv
from tests.e2e.helpers import PHONE, assert_no_axe_violations
from tests.factories import CategoryFactory, submit_case

pytestmark = pytest.mark.browser


def _tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (200, 220, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def tile_server() -> Iterator[dict[str, Any]]:
    """A tile server on 127.0.0.1 that answers every /z/x/y.png with a plain green tile and counts the requests."""
    tile = _tile()
    served: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(tile)))
            self.end_headers()
            self.wfile.write(tile)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"origin": f"http://127.0.0.1:{server.server_port}", "served": served}
    server.shutdown()
    server.server_close()


@pytest.fixture
def map_site(staff: dict[str, Any], settings: Any, tile_server: dict[str, Any]) -> dict[str, Any]:
    """The resident pages with their map's tiles from the local tile server (the live server runs in this process,
    so the settings reach it; the tile server's origin is the one the page's CSP allows, as in production)."""
    settings.DIALOG_MIN_FILL_SECONDS = 0
    settings.MAP_TILE_URL = tile_server["origin"] + "/{z}/{x}/{y}.png"
    settings.MAP_CENTER = (59.3793, 17.0290)
    settings.SECURE_CSP = {**settings.SECURE_CSP, "img-src": ["'self'", "data:", tile_server["origin"]]}
    CategoryFactory(municipality=staff["team"].municipality, unit=staff["team"], name="Parker och lekplatser")
    return {**staff, **tile_server}


def test_the_resident_marks_the_place_on_the_map_and_the_coordinates_are_filled(page: Page, map_site) -> None:
    page.goto("/lamna-synpunkt/")
    the_map = page.get_by_role(
        "region", name=sv("Map: click or tap where it is. You can also write the address, or the coordinates below.")
    )
    expect(the_map).to_be_visible()
    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert map_site["served"], "no tile was asked of the tile server"

    the_map.click(position={"x": 200, "y": 100})

    latitude, longitude = page.get_by_label(sv("Latitude")), page.get_by_label(sv("Longitude"))
    expect(latitude).to_have_value(_swedish_number())
    expect(longitude).to_have_value(_swedish_number())
    expect(page.locator(".leaflet-marker-icon")).to_be_visible()
    expect(
        page.get_by_text(
            sv("The place is marked on the map: latitude {latitude}, longitude {longitude}.").split(":")[0]
        )
    ).to_be_visible()
    assert_no_axe_violations(page, "form with the map")

    page.get_by_role("group", name=sv("What do you want to send?")).get_by_label(sv("Fault report")).check()
    page.get_by_role("radio", name="Parker och lekplatser").check()
    page.get_by_label(sv("Your message")).fill("Ett träd har fallit över gångvägen.")
    page.get_by_role("button", name=sv("Send"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Thank you! We have received your case"))
    case = Case.objects.get()
    assert case.latitude is not None and case.longitude is not None
    assert abs(float(case.latitude) - 59.3793) < 0.05 and abs(float(case.longitude) - 17.0290) < 0.1


def _swedish_number() -> re.Pattern[str]:
    return re.compile(r"^-?\d{1,3},\d{6}$")


def test_typed_coordinates_move_the_marker(page: Page, map_site) -> None:
    page.goto("/lamna-synpunkt/")
    page.get_by_text(sv("Give the position as coordinates")).click()

    page.get_by_label(sv("Latitude")).fill("59,3800")
    page.get_by_label(sv("Longitude")).fill("17,0300")
    page.get_by_label(sv("Longitude")).press("Tab")

    expect(page.locator(".leaflet-marker-icon")).to_be_visible()


def test_the_tracking_page_shows_the_place_on_a_map_and_in_words(new_page: Callable[..., Page], map_site) -> None:
    case, _receipt = submit_case(
        category=map_site["team"].municipality.categories.get(),
        text="Lampan lyser inte.",
        latitude=Decimal("59.379300"),
        longitude=Decimal("17.029000"),
    )
    for viewport in (None, PHONE):
        page = new_page(**({"viewport": viewport} if viewport else {}))
        page.goto(tracking_path(case))

        expect(page.get_by_text("Latitud 59,3793, longitud 17,0290")).to_be_visible()
        expect(page.get_by_role("region", name=sv("Map of the place you gave"))).to_be_visible()
        expect(page.locator(".leaflet-marker-icon")).to_be_visible()
        assert_no_axe_violations(page, f"tracking page with the map ({'phone' if viewport else 'desktop'})")


def test_without_javascript_there_is_no_map_and_the_address_works(new_page: Callable[..., Page], map_site) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/lamna-synpunkt/")

    expect(page.locator(".place-map")).to_be_hidden()
    page.get_by_role("group", name=sv("What do you want to send?")).get_by_label(sv("Fault report")).check()
    page.get_by_role("radio", name="Parker och lekplatser").check()
    page.get_by_label(sv("Your message")).fill("Ett träd har fallit över gångvägen.")
    page.get_by_label(sv("Address or place")).fill("Storgatan 1")
    page.get_by_role("button", name=sv("Send"), exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Thank you! We have received your case"))
    assert Case.objects.get().address == "Storgatan 1"
    assert not map_site["served"]
