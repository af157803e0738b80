"""The demo's outbox: a mail backend that keeps mail in the database, read in the admin's Utkorg."""

import html
import re

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import override_settings

from brobygget.core.models import OutboxMail
from tests.dialog.test_public_support import FORM_URL, form_data
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

OUTBOX = {"default": {"BACKEND": "brobygget.core.outbox.OutboxBackend"}}
ADMIN_LIST = "/admin/core/outboxmail/"


@pytest.fixture
def category(org):
    return CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")


@pytest.fixture
def receipt(client, category, django_capture_on_commit_callbacks) -> OutboxMail:
    """The receipt of a case sent through the resident form, kept in the outbox of a demo on port 8123."""
    with (
        override_settings(MAILERS=OUTBOX, SITE_URL="http://demo.example:8123"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(FORM_URL, form_data(category, contact_email="rut@example.se", wants_answer="on"))
    assert response.status_code == 302
    return OutboxMail.objects.get(recipients="rut@example.se")  # the resident's (staff are told of the case too)


def test_the_receipt_of_a_case_is_kept_in_the_outbox_with_its_link_made_from_the_site_url(client, receipt):
    tracking_url = re.search(r"http://demo\.example:8123/arende/\S+/", receipt.body)

    assert receipt.recipients == "rut@example.se"
    assert receipt.sender == "Testby kommun <brobygget@localhost>"  # from the municipality, by name
    assert receipt.subject.startswith("Vi har tagit emot ditt ärende")
    assert tracking_url is not None
    assert client.get(tracking_url.group(0).removeprefix("http://demo.example:8123")).status_code == 200
    assert "Subject:" in receipt.message and "To: rut@example.se" in receipt.message
    assert tracking_url.group(0) in receipt.html_body  # the letter's HTML alternative, with the same link
    assert mail.outbox == []  # nothing went to the test backend, let alone to SMTP


@override_settings(MAILERS=OUTBOX)
def test_the_outbox_keeps_every_recipient_and_the_html_alternative():
    message = EmailMultiAlternatives(
        "Ämne", "Text med åäö", "avsandare@example.se", ["a@example.se"], cc=["b@example.se"], bcc=["c@example.se"]
    )
    message.attach_alternative("<p>Text med åäö</p>", "text/html")

    assert message.send() == 1

    kept = OutboxMail.objects.get()
    assert (kept.sender, kept.subject, kept.body) == ("avsandare@example.se", "Ämne", "Text med åäö")
    assert kept.recipients == "a@example.se, b@example.se, c@example.se"
    assert kept.html_body == "<p>Text med åäö</p>"
    assert "c@example.se" not in kept.message  # Bcc is never a header


@override_settings(MAILERS=OUTBOX)
def test_the_outbox_keeps_an_html_only_message_as_html_and_skips_one_without_recipients():
    message = EmailMessage("Ämne", "<p>Hej</p>", "avsandare@example.se", ["a@example.se"])
    message.content_subtype = "html"
    message.send()
    assert EmailMessage("Ingen", "Till ingen", "avsandare@example.se", []).send() == 0

    kept = OutboxMail.objects.get()
    assert (kept.body, kept.html_body) == ("", "<p>Hej</p>")


def test_an_administrator_reads_the_utkorg_in_the_admin_with_links_that_work(client, receipt, assert_max_queries):
    client.force_login(UserFactory(username="superadmin", is_staff=True, is_superuser=True))

    index = client.get("/admin/").content.decode()
    with assert_max_queries(8):
        listing = client.get(ADMIN_LIST)
    page = html.unescape(client.get(f"{ADMIN_LIST}{receipt.pk}/change/").content.decode())

    assert f'href="{ADMIN_LIST}"' in index and "Utkorg" in index
    assert listing.status_code == 200
    assert receipt.subject in html.unescape(listing.content.decode()) and "rut@example.se" in listing.content.decode()
    for label in ("Avsändare", "Mottagare", "Ämne", "Text"):
        assert label in page, label
    link = re.search(r'<a href="(http://demo\.example:8123/arende/[^"]+/)"', page)
    assert link is not None and link.group(1) in receipt.body
    assert 'name="_save"' not in page  # read-only
    assert client.post(f"{ADMIN_LIST}{receipt.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{ADMIN_LIST}add/").status_code == 403
    assert OutboxMail.objects.filter(pk=receipt.pk).exists()  # nothing deleted


def test_staff_who_are_not_administrators_do_not_see_the_utkorg(client, receipt):
    client.force_login(UserFactory(username="personal", is_staff=True, is_superuser=False))

    assert client.get(ADMIN_LIST).status_code == 403
    assert client.get(f"{ADMIN_LIST}{receipt.pk}/change/").status_code == 403
    assert "Utkorg" not in client.get("/admin/").content.decode()


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client, receipt):
    response = client.get(ADMIN_LIST)

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
