"""A staff member who forgot the password: "Glömt lösenord?", the mail's link, a new password, logged in."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.e2e.helpers import axe_report, axe_violations, log_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "broar-och-bryggor-77"


def test_a_forgotten_password_is_reset_through_the_mails_link_and_the_new_one_logs_in(
    page: Page, staff, server, settings
) -> None:
    settings.SITE_URL = server.url  # the mail's link points at the live server
    staff["person"].user.email = "elin@example.se"
    staff["person"].user.save(update_fields=["email"])

    page.goto("/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenord?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glömt lösenord?")
    violations = axe_violations(page)
    assert not violations, axe_report("Glömt lösenord?", violations)
    page.get_by_label("E-postadress").fill("elin@example.se")
    page.get_by_role("button", name="Skicka länken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Titta i din e-post")

    [message] = mail.outbox
    link = re.search(r"http://\S+/konto/nytt-losenord/\S+/", str(message.body))
    assert link is not None, message.body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj ett nytt lösenord")
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt lösenord är bytt.")

    page.goto(link.group(0))  # the link works once
    expect(page.get_by_text("Länken fungerar inte")).to_be_visible()

    log_in(page, "elin", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/min-sida/$"))
