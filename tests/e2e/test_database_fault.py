"""In a real browser: when the database refuses to save, the resident sees their text still in the form and a
message to try again, and sending again once the database is back works."""

import re

import pytest
from playwright.sync_api import Page, expect

from brobygget.core.faults import ERROR_NOT_SAVED
from brobygget.dialog.forms import ERROR_PHOTOS_AGAIN
from brobygget.dialog.models import Case
from tests.dialog.test_public_support import sv
from tests.e2e.test_resident_journey import TEXT, _fill_the_form, resident_site  # noqa: F401 - a fixture
from tests.faults import database_locked, short_lock_wait

pytestmark = pytest.mark.browser


def test_the_resident_keeps_what_they_typed_when_the_database_is_locked(page: Page, resident_site) -> None:  # noqa: F811
    _fill_the_form(page, photo=True)

    with short_lock_wait(), database_locked():
        # The live server's connection may be older than the short wait: it then waits the busy timeout (5 s).
        page.get_by_role("button", name=sv("Send"), exact=True).click(timeout=15_000)
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text(sv(ERROR_NOT_SAVED), timeout=15_000)

    assert sv(ERROR_NOT_SAVED) == "Vi kunde inte spara just nu. Din text finns kvar – försök igen om en stund."
    expect(summary).to_contain_text(sv(ERROR_PHOTOS_AGAIN))  # a browser cannot fill in a file field again
    expect(page.get_by_label(sv("Your message"))).to_have_value(TEXT)
    expect(page.get_by_label(sv("Address or place"))).to_have_value("Stadsparken, Storgatan 1")
    expect(page.get_by_label(sv("Email"))).to_have_value("rut@example.se")
    expect(page.get_by_label(sv("I want an answer"))).to_be_checked()
    expect(page.get_by_role("radio", name="Parker och lekplatser")).to_be_checked()
    assert Case.objects.count() == 0

    # The database is back: the same form, sent again as it stands, is received.
    page.get_by_role("button", name=sv("Send"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/arende/SYN-\d{4}-00001/[0-9a-f]{32}/kvitto/$"))
    assert Case.objects.get().text == TEXT
