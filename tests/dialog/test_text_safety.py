"""Control characters are refused at every way in, and direction overrides never reach a staff page.

A NUL is stored by SQLite and refused by PostgreSQL (a 500 there); the other control characters hide in a record
that nobody can see. A right-to-left override makes "‮gnp.exe" read "exe.png" on a staff page.
"""

import html

import pytest
from django.core.exceptions import ValidationError

from brobygget.core.text import ERROR_CONTROL_CHARACTERS, plain_text
from brobygget.dialog.models import Case, CaseEntry, Kind
from brobygget.dialog.services import SubmissionInput, case_note, feedback_submit
from brobygget.dialog.tracking import tracking_path
from tests.dialog.test_public_support import FORM_URL, form_data, sv, text_of

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE
CONTROL_CHARACTERS = ["\x00", "\x07", "\x1b", "\x0b", "\x7f", "\x85"]


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_a_control_character_in_the_resident_form_is_refused_with_a_400_and_the_text_kept(client, category, character):
    response = client.post(FORM_URL, form_data(category, text=f"Gungan är trasig.{character} Kedjan har gått av."))

    page = text_of(response)
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert sv(ERROR_CONTROL_CHARACTERS) in page
    assert "Kedjan har gått av." in page


def test_a_control_character_in_a_short_field_is_named_beside_it(client, category):
    response = client.post(FORM_URL, form_data(category, address="Storgatan\x001"))

    assert response.status_code == 400
    assert not Case.objects.exists()
    assert 'id="id_address"' in response.content.decode() and 'aria-invalid="true"' in response.content.decode()


def test_tab_and_line_breaks_are_plain_text(client, category):
    response = client.post(FORM_URL, form_data(category, text="Rad ett.\r\n\tRad två."))

    assert response.status_code == 302
    assert Case.objects.get().text == "Rad ett.\n\tRad två."


def test_a_direction_override_is_removed_before_the_text_is_kept(client, category):
    client.post(FORM_URL, form_data(category, text=f"Bifogad fil: {RLO}gnp.exe", contact_name=f"Ada{RLO} Invånare"))

    case = Case.objects.get()
    assert case.text == "Bifogad fil: gnp.exe"
    assert case.contact_name == "Ada Invånare"


def test_a_reply_through_the_tracking_link_refuses_control_characters(client, make_case):
    case = make_case(text="Gungan är trasig.")

    response = client.post(tracking_path(case), {"text": "Den är fortfarande trasig.\x00"})

    assert response.status_code == 400
    assert sv(ERROR_CONTROL_CHARACTERS) in text_of(response)
    assert "Den är fortfarande trasig." in text_of(response)
    assert not case.entries.filter(kind=CaseEntry.Kind.RESIDENT_REPLY).exists()


def test_a_staff_answer_with_a_control_character_is_refused_with_a_400_and_kept(org, make_case, login_client):
    case = make_case(text="Gungan är trasig.", contact_email="ada@example.se", wants_answer=True)
    member = login_client(org["member"])

    response = member.post(f"/arenden/{case.pk}/svara/", {"answer-text": "Vi lagar den\x1b[31m i morgon."})

    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert sv(ERROR_CONTROL_CHARACTERS) in page
    assert "i morgon." in page
    assert not case.entries.exists()


def test_the_services_refuse_control_characters_whatever_calls_them(org, category, make_case):
    with pytest.raises(ValidationError) as caught:
        feedback_submit(
            municipality=category.municipality,
            data=SubmissionInput(kind=Kind.COMPLAINT, category=category, text="Trasig.", address="Torget\x07"),
        )
    assert caught.value.message_dict.keys() == {"address"}
    assert not Case.objects.exists()

    case = make_case(text="Gungan är trasig.")
    with pytest.raises(ValidationError) as caught:
        case_note(actor=org["member"].user, case=case, text="Anteckning\x00")
    assert caught.value.message_dict.keys() == {"text"}
    assert not case.entries.exists()

    note = case_note(actor=org["member"].user, case=case, text=f"Läs {RLO}fdp.exe")
    assert note.text == "Läs fdp.exe"


def test_plain_text_keeps_every_printable_letter():
    text = "Åsa såg en älg vid Öresund – 10 % rabatt, “citat” och emoji 🌳.\n\tSlut."

    assert plain_text(text) == text
