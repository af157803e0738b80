"""A resident's journey in a real browser, with JavaScript and without: start page, form, receipt,
tracking link, a reply, "Blev det löst?". And the form's error state keeps what was typed."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from brobygget.dialog.forms import ERROR_KIND_MISSING
from brobygget.dialog.models import Case, CaseEntry
from brobygget.dialog.services import ERROR_TEXT_TOO_LONG, case_answer
from brobygget.dialog.views_public import MESSAGE_REPLY_SENT, MESSAGE_RESOLVED_THANKS
from tests.dialog.test_public_support import jpeg_payload, sv
from tests.factories import CategoryFactory

pytestmark = pytest.mark.browser

TEXT = "Gungan vid lekplatsen i Stadsparken har en trasig kedja.\nDen gröna gungan, närmast sandlådan."


@pytest.fixture
def resident_site(staff: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The staff fixture's municipality with two categories; the form may be sent at once (the live server
    runs in this process, so the setting reaches it)."""
    settings.DIALOG_MIN_FILL_SECONDS = 0
    municipality = staff["team"].municipality
    CategoryFactory(
        municipality=municipality, unit=staff["team"], name="Gatubelysning", description="Lampor som inte lyser."
    )
    CategoryFactory(
        municipality=municipality,
        unit=staff["team"],
        name="Parker och lekplatser",
        description="Trasiga lekredskap, skräp, gräs och träd.",
    )
    return staff


def _fill_the_form(page: Page, *, photo: bool) -> None:
    page.goto("/")
    page.get_by_role("link", name=sv("Send feedback or report a fault")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Send feedback or report a fault"))

    page.get_by_role("group", name=sv("What do you want to send?")).get_by_label(sv("Fault report")).check()
    page.get_by_role("radio", name="Parker och lekplatser").check()
    page.get_by_label(sv("Your message")).fill(TEXT)
    page.get_by_label(sv("Address or place")).fill("Stadsparken, Storgatan 1")
    if photo:
        page.get_by_label(sv("Photos")).set_input_files([jpeg_payload()])
    page.get_by_label(sv("Email")).fill("rut@example.se")
    page.get_by_label(sv("I want an answer")).check()


def _journey(page: Page, staff: dict[str, Any], *, photo: bool) -> None:
    _fill_the_form(page, photo=photo)
    page.get_by_role("button", name=sv("Send"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/arende/SYN-\d{4}-00001/[0-9a-f]{32}/kvitto/$"))
    case = Case.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Thank you! We have received your case"))
    expect(page.locator(".case-number")).to_have_text(case.number)
    expect(page.locator("main")).to_contain_text(
        sv("We are also sending a receipt with the link to your email address.")
    )
    assert (case.kind, case.text, case.wants_answer) == ("fault_report", TEXT, True)

    with page.expect_request(
        re.compile(r"/foto/\d+/$") if photo else re.compile(r"/arende/.*/[0-9a-f]{32}/$")
    ) as request:
        page.get_by_role("link", name=sv("Go to your case")).click()
    if photo:  # the photo is asked for by the tracking page, whose address holds the key: only the origin goes along
        assert request.value.header_value("referer") == page.url.split("/arende/")[0] + "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(sv("Case %(number)s", number=case.number))
    sent = page.get_by_role("region", name=sv("What you sent"))
    expect(sent).to_contain_text("Den gröna gungan, närmast sandlådan.")
    expect(sent).to_contain_text("Stadsparken, Storgatan 1")
    if photo:
        image = sent.get_by_role("img")
        expect(image).to_be_visible()
        assert image.evaluate("img => img.complete && img.naturalWidth") == 64  # served through the key

    page.get_by_label(sv("Your message")).fill("Jag glömde: kedjan hänger ner på marken.")
    page.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(sv(MESSAGE_REPLY_SENT))
    history = page.get_by_role("region", name=sv("Answers and messages"))
    expect(history).to_contain_text("Jag glömde: kedjan hänger ner på marken.")
    expect(page.get_by_role("heading", name=sv("Was it solved?"))).to_have_count(0)

    case_answer(actor=staff["person"].user, case=case, text="Vi byter kedjan på fredag.")
    page.reload()
    expect(history).to_contain_text("Vi byter kedjan på fredag.")
    page.get_by_role("button", name=sv("Yes"), exact=True).click()
    expect(page.get_by_role("status")).to_have_text(sv(MESSAGE_RESOLVED_THANKS))
    case.refresh_from_db()
    assert case.resolved is True

    page.get_by_role("button", name="In English").click()  # every form of the page posts, key or not
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.number}")
    assert list(case.entries.values_list("kind", flat=True)) == [
        CaseEntry.Kind.RESIDENT_REPLY,
        CaseEntry.Kind.ANSWER,
        CaseEntry.Kind.EVENT,  # the status the answer set, for staff
        CaseEntry.Kind.RESOLVED,  # "Ja", in the history for staff
    ]


def test_a_resident_reports_a_fault_with_a_photo_follows_it_and_replies(page: Page, resident_site) -> None:
    _journey(page, resident_site, photo=True)


def test_the_same_journey_works_without_javascript(new_page: Callable[..., Page], resident_site) -> None:
    page = new_page(java_script_enabled=False)
    _journey(page, resident_site, photo=True)


def test_an_error_names_what_to_change_and_keeps_what_was_typed(page: Page, resident_site) -> None:
    page.goto("/lamna-synpunkt/")
    long_text = "Det här är en lång berättelse om gungan. " * 100  # 4,100 characters
    page.get_by_role("radio", name="Parker och lekplatser").check()
    page.get_by_label(sv("Your message")).fill(long_text)
    page.get_by_label(sv("Name")).fill("Rut Svensson")
    page.get_by_role("button", name=sv("Send"), exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(sv(ERROR_KIND_MISSING))
    expect(summary).to_contain_text(sv(ERROR_TEXT_TOO_LONG))
    expect(page.get_by_label(sv("Your message"))).to_have_value(long_text)
    expect(page.get_by_label(sv("Name"))).to_have_value("Rut Svensson")
    expect(page.get_by_role("radio", name="Parker och lekplatser")).to_be_checked()
    assert not Case.objects.exists()

    summary.get_by_role("link", name=re.compile(re.escape(sv(ERROR_KIND_MISSING)))).click()
    expect(page.get_by_role("radio", name=sv("Complaint"))).to_be_focused()


def test_the_error_state_without_javascript_keeps_the_text_too(new_page: Callable[..., Page], resident_site) -> None:
    page = new_page(java_script_enabled=False)
    page.goto("/lamna-synpunkt/")
    page.get_by_label(sv("Your message")).fill(TEXT)
    page.get_by_role("button", name=sv("Send"), exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(sv(ERROR_KIND_MISSING))
    expect(page.get_by_label(sv("Your message"))).to_have_value(TEXT)
    expect(page.locator("#id_text-count")).to_be_hidden()  # the counter needs JavaScript; the hint does not


def test_the_counter_shows_what_is_left_and_speaks_only_near_the_limit(page: Page, resident_site) -> None:
    page.goto("/lamna-synpunkt/")
    box = page.get_by_label(sv("Your message"))
    counter = page.locator("#id_text-count")
    spoken = page.locator("#id_text-live")
    expect(spoken).to_have_attribute("aria-live", "polite")

    box.fill("Hej")
    expect(counter).to_be_visible()
    expect(counter).to_contain_text(re.compile(r"3\s997"))
    expect(spoken).to_have_text("")

    box.fill("x" * 3600)
    expect(spoken).to_have_text(sv("You have %(count)s characters left.", count=400))
    box.fill("x" * 3650)
    expect(spoken).to_have_text(sv("You have %(count)s characters left.", count=400))  # same band: not spoken again

    box.fill("x" * 4010)
    expect(spoken).to_have_text(sv("You have %(count)s characters too many.", count=10))
    expect(counter).to_have_class(re.compile("counter-over"))


def test_use_my_position_fills_the_coordinates(new_page: Callable[..., Page], resident_site) -> None:
    page = new_page(permissions=["geolocation"], geolocation={"latitude": 59.3793, "longitude": 17.029})
    page.goto("/lamna-synpunkt/")

    page.get_by_role("button", name=sv("Use my position")).click()

    expect(page.get_by_text(sv("Your position has been filled in."))).to_be_visible()
    expect(page.get_by_label(sv("Latitude"))).to_have_value("59,379300")  # the Swedish way, as the hint writes it
    expect(page.get_by_label(sv("Longitude"))).to_have_value("17,029000")
