"""axe-core (WCAG 2.1 A and AA) and reflow on the resident pages, at desktop and phone width: the start page,
the form, its error state, the receipt and the tracking page with an answer, a reply and a photo."""

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.dialog.models import Case
from brobygget.dialog.services import case_answer
from tests.dialog.test_public_support import jpeg_payload, sv
from tests.e2e.helpers import DESKTOP, PHONE, AxeCheck
from tests.factories import CategoryFactory

pytestmark = pytest.mark.browser


@pytest.fixture(params=[pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def sized_page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(viewport=request.param)


@pytest.fixture
def resident_site(staff: dict[str, Any], settings: Any) -> dict[str, Any]:
    settings.DIALOG_MIN_FILL_SECONDS = 0
    for name, description in [
        ("Gator, trottoarer och cykelvägar", "Hål i vägen, snöröjning, skyltar och trafik."),
        ("Parker och lekplatser", "Trasiga lekredskap, skräp, gräs och träd."),
        ("Äldreomsorg och hemtjänst", "Hemtjänst, särskilt boende och trygghetslarm."),
    ]:
        CategoryFactory(municipality=staff["team"].municipality, unit=staff["team"], name=name, description=description)
    return staff


def test_resident_pages(sized_page: Page, resident_site: dict[str, Any]) -> None:
    page, axe = sized_page, AxeCheck()

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        sv("Tell %(municipality)s what you think", municipality="Testby kommun")
    )
    axe.check(page, "the start page")

    page.get_by_role("link", name=sv("Send feedback or report a fault")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Send feedback or report a fault"))
    page.get_by_text(sv("Give the position as coordinates")).click()  # open the details, so axe sees its fields
    axe.check(page, "the form")

    page.get_by_label(sv("Your message")).fill("För lång text. " * 300)
    page.get_by_label(sv("I want an answer")).check()
    page.get_by_label(sv("Latitude")).fill("91")
    page.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the form with errors")

    page.get_by_role("radio", name=sv("Fault report")).check()
    page.get_by_role("radio", name="Parker och lekplatser").check()
    page.get_by_label(sv("Your message")).fill("Gungan är trasig.\nDen gröna, vid sandlådan.")
    page.get_by_label(sv("Latitude")).fill("59.3793")
    page.get_by_label(sv("Longitude")).fill("17.029")
    page.get_by_label(sv("Email")).fill("rut@example.se")
    page.get_by_label(sv("Photos")).set_input_files([jpeg_payload()])
    page.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Thank you! We have received your case"))
    axe.check(page, "the receipt")

    case = Case.objects.get()
    case_answer(actor=resident_site["person"].user, case=case, text="Vi byter kedjan på fredag.")
    page.get_by_role("link", name=sv("Go to your case")).click()
    page.get_by_label(sv("Your message")).fill("Tack! Det är den gröna gungan.")
    page.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("heading", name=sv("Was it solved?"))).to_be_visible()
    axe.check(page, "the tracking page (answer, reply, photo, message)")

    page.get_by_role("button", name=sv("Send"), exact=True).click()  # an empty reply
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check(page, "the tracking page with an error")

    axe.assert_clean()
