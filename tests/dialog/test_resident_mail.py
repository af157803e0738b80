"""Mail to residents reads like a letter from the municipality: a greeting, what they wrote quoted, signed with the
unit and the municipality's contact details, from the municipality's name with replies to its address, in plain
text and HTML with the same content. Read through a real SMTP server on localhost."""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine

from brobygget.dialog.tracking import tracking_url
from tests.dialog.conftest import body
from tests.factories import submit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
WROTE = "Kedjan på gungan är trasig & vass.\n\nDen <gröna> gungan vid dammen."
ANSWER = "Vi byter kedjan på fredag.\nTack för att du hörde av dig."


@pytest.fixture
def contact(category):
    municipality = category.municipality
    municipality.name = "Sjöbacka kommun"
    municipality.phone = "0123-45 67 00"
    municipality.email = "kontakt@sjobacka.se"
    municipality.visiting_address = "Storgatan 1\n123 45 Sjöbacka"
    municipality.save()
    return municipality


def to_ada(server) -> list:
    """The mail the resident got (staff may be told of the case too)."""
    return [message for message in server.messages if message["To"] == "ada@example.se"]


def html_part(message) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def html_as_text(markup: str) -> list[str]:
    """The lines a reader sees in the HTML part, without tags, one per paragraph or line break."""
    content = re.sub(r"<(head|title)>.*?</\1>", "", markup, flags=re.S)
    content = re.sub(r"<br>|</p>|</blockquote>", "\n", content)
    return [html.unescape(line).strip() for line in re.sub(r"<[^>]+>", "", content).splitlines() if line.strip()]


def text_lines(plain: str) -> list[str]:
    return [line.removeprefix(">").strip() for line in plain.splitlines() if line.removeprefix(">").strip()]


def deliver(make_case, django_capture_on_commit_callbacks, **fields):
    with (
        time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return make_case(**fields)


def test_the_receipt_greets_quotes_and_is_signed_by_the_unit_and_the_municipality(
    contact, make_case, running_smtp_server, django_capture_on_commit_callbacks
):
    case = deliver(
        make_case,
        django_capture_on_commit_callbacks,
        contact_email="ada@example.se",
        contact_name="Ada Andersson",
        wants_answer=True,
        text=WROTE,
    )

    [message] = to_ada(running_smtp_server)
    assert message["From"] == f"Sjöbacka kommun <{message['From'].addresses[0].addr_spec}>"
    assert message["Reply-To"] == "kontakt@sjobacka.se"
    assert message.get_content_type() == "multipart/alternative"
    plain = body(message).replace("\r\n", "\n")
    assert plain.startswith("Hej Ada Andersson!\n")
    assert "Du skrev:\n> Kedjan på gungan är trasig & vass.\n>\n> Den <gröna> gungan vid dammen." in plain.replace(
        "> \n", ">\n"
    )
    assert case.number in plain and tracking_url(case) in plain
    assert plain.rstrip().endswith(
        "Med vänliga hälsningar\nParkenheten\nSjöbacka kommun\nTelefon: 0123-45 67 00\nE-post: kontakt@sjobacka.se\n"
        "Besöksadress: Storgatan 1, 123 45 Sjöbacka"
    )


def test_the_html_part_says_what_the_plain_text_says_escaped(
    contact, make_case, running_smtp_server, django_capture_on_commit_callbacks
):
    deliver(make_case, django_capture_on_commit_callbacks, contact_email="ada@example.se", text=WROTE)

    [message] = to_ada(running_smtp_server)
    markup = html_part(message)
    assert '<html lang="sv">' in markup
    assert "&lt;gröna&gt;" in markup and "<gröna>" not in markup  # the resident's text is never HTML
    assert "<blockquote" in markup
    assert html_as_text(markup) == text_lines(body(message).replace("\r\n", "\n"))


def test_an_answer_quotes_the_resident_and_both_parts_say_the_same(
    org, contact, make_case, login_client, running_smtp_server, django_capture_on_commit_callbacks
):
    case = deliver(make_case, django_capture_on_commit_callbacks, contact_email="ada@example.se", text=WROTE)
    running_smtp_server.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        login_client(org["member"]).post(f"/arenden/{case.pk}/svara/", {"answer-text": ANSWER})

    [message] = to_ada(running_smtp_server)
    plain = body(message).replace("\r\n", "\n")
    assert plain.startswith("Hej!\n")  # no name given
    # the month in lower case, as Swedish writes it (a month's name is also translated alone, capitalised, elsewhere)
    assert f"den 2 mars 2026 skrev du till oss, i ärende {case.number.lower()}:" in plain.lower()
    assert "> Kedjan på gungan är trasig & vass." in plain
    assert ANSWER in plain
    assert plain.index("> Kedjan") < plain.index(ANSWER) < plain.index(tracking_url(case))
    assert "Parkenheten\nSjöbacka kommun" in plain
    assert message["Reply-To"] == "kontakt@sjobacka.se"
    assert html_as_text(html_part(message)) == text_lines(plain)


def test_without_contact_details_the_signature_names_the_unit_and_the_municipality_and_no_reply_to_is_set(
    category, running_smtp_server, django_capture_on_commit_callbacks
):
    municipality = category.municipality
    municipality.phone = municipality.email = municipality.visiting_address = ""
    municipality.save()
    with django_capture_on_commit_callbacks(execute=True):
        submit_case(category, contact_email="ada@example.se")

    [message] = to_ada(running_smtp_server)
    assert message["Reply-To"] is None
    plain = body(message).replace("\r\n", "\n")
    assert plain.rstrip().endswith(f"Med vänliga hälsningar\nParkenheten\n{municipality.name}")


def test_a_resident_who_wrote_in_english_gets_the_letter_in_english(
    contact, make_case, running_smtp_server, django_capture_on_commit_callbacks
):
    deliver(make_case, django_capture_on_commit_callbacks, contact_email="ada@example.se", language="en", text=WROTE)

    [message] = to_ada(running_smtp_server)
    plain = body(message).replace("\r\n", "\n")
    assert plain.startswith("Hello,\n") and "You wrote:\n" in plain and "Kind regards,\nParkenheten" in plain
    assert '<html lang="en">' in html_part(message)
