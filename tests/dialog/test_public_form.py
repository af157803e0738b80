"""The resident form at /lamna-synpunkt/: what it sends, what it refuses in Swedish, and that it keeps the text."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import ExifTags, Image

from brobygget.dialog.forms import (
    ERROR_KIND_MISSING,
    ERROR_NOT_RECEIVED,
    ERROR_PHOTOS_AGAIN,
    ERROR_POSITION_HALF,
    ERROR_TOO_MANY_SENT,
)
from brobygget.dialog.models import Case, CaseAttachment, Status
from brobygget.dialog.photos import ERROR_PHOTO_NOT_IMAGE, ERROR_PHOTO_TOO_LARGE, ERROR_TOO_MANY_PHOTOS, PHOTOS_HINT
from brobygget.dialog.services import (
    ERROR_ANSWER_NEEDS_EMAIL,
    ERROR_CATEGORY_UNKNOWN,
    ERROR_TEXT_EMPTY,
    ERROR_TEXT_TOO_LONG,
)
from brobygget.dialog.tracking import tracking_key
from tests.dialog.test_public_support import (
    FORM_URL,
    form_data,
    jpeg_with_gps,
    png,
    query_count,
    started_ago,
    sv,
    text_of,
)
from tests.factories import CategoryFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def category(org):
    return CategoryFactory(
        municipality=org["team"].municipality,
        unit=org["team"],
        name="Parker och lekplatser",
        description="Trasiga lekredskap, skräp, gräs och träd.",
    )


# Showing the form


def test_the_form_offers_the_active_categories_with_their_descriptions(client, category):
    CategoryFactory(municipality=category.municipality, name="Nedlagd kategori", is_active=False)

    page = text_of(client.get(FORM_URL))

    assert "Parker och lekplatser" in page and "Trasiga lekredskap, skräp, gräs och träd." in page
    assert "Nedlagd kategori" not in page


def test_the_form_asks_for_the_kind_in_a_fieldset_with_a_legend(client, category):
    page = text_of(client.get(FORM_URL))

    legend = f"<legend>{sv('What do you want to send?')}</legend>"
    assert legend in page
    for number, value in enumerate(["complaint", "suggestion", "praise", "question", "fault_report"]):
        assert f'<input type="radio" name="kind" value="{value}" id="id_kind_{number}"' in page


def test_the_form_tells_the_limit_and_that_photos_lose_their_metadata(client, category):
    page = text_of(client.get(FORM_URL))

    assert sv("At most 4,000 characters.") in page
    assert 'accept="image/jpeg,image/png"' in page and "multiple" in page
    with translation.override("sv"):
        hint = str(PHOTOS_HINT)
    assert hint.startswith("Högst 3 bilder, JPEG eller PNG") and "förminskas" in hint
    assert hint in page


def test_the_form_says_anonymous_is_fine_but_then_no_answer_can_be_sent(client, category):
    page = text_of(client.get(FORM_URL))

    assert (
        sv(
            "You may be anonymous. Then we cannot send you an answer, but you can still follow the case with the "
            "link you get when you have sent it."
        )
        in page
    )


def test_the_form_loads_only_its_own_script_and_stylesheet(client, category):
    page = client.get(FORM_URL).content.decode()

    assert '<script src="/static/dialog/resident.js" defer></script>' in page
    assert "<script>" not in page and "style=" not in page


def test_the_form_queries_do_not_grow_with_the_number_of_categories(client, category, assert_max_queries):
    few = query_count(client, FORM_URL)
    for _ in range(30):
        CategoryFactory(municipality=category.municipality, unit=category.unit)

    with assert_max_queries(
        3
    ):  # the set-up, read afresh after the categories changed: municipality, categories, promises
        many = query_count(client, FORM_URL)
    assert many == few
    assert query_count(client, FORM_URL) == 0  # and then kept


def test_without_a_municipality_the_form_is_not_found(client):
    assert client.get(FORM_URL).status_code == 404


def test_with_two_municipalities_the_form_does_not_guess(client, category):
    MunicipalityFactory(code="9999")

    assert client.get(FORM_URL).status_code == 404


# Sending


def test_a_resident_sends_a_complaint_and_lands_on_the_receipt(client, category, org):
    response = client.post(FORM_URL, form_data(category, contact_email="rut@example.se", wants_answer="on"))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/arende/{case.number}/{tracking_key(case)}/kvitto/"
    assert (case.kind, case.category, case.unit) == ("complaint", category, org["team"])
    assert case.text == "Gungan på lekplatsen i Stadsparken är trasig."
    assert (case.contact_email, case.wants_answer, case.language) == ("rut@example.se", True, "sv")
    assert case.status == Status.RECEIVED and case.source == Case.Source.WEB


def test_a_fault_report_keeps_the_place_and_a_position_written_with_a_decimal_comma(client, category):
    data = form_data(
        category, kind="fault_report", address="Storgatan 12", latitude="59,3793123", longitude="17.0290449"
    )

    client.post(FORM_URL, data)

    case = Case.objects.get()
    assert (case.kind, case.address) == ("fault_report", "Storgatan 12")
    assert (case.latitude, case.longitude) == (Decimal("59.379312"), Decimal("17.029045"))


def test_a_case_sent_in_english_is_answered_in_english(client, category):
    client.post(FORM_URL, form_data(category), HTTP_ACCEPT_LANGUAGE="en")

    assert Case.objects.get().language == "en"


def test_line_breaks_count_as_one_character_each(client, category):
    text = ("a" * 99 + "\r\n") * 40  # 4,000 characters in the box, 4,040 bytes on the wire

    response = client.post(FORM_URL, form_data(category, text=text))

    assert response.status_code == 302
    assert len(Case.objects.get().text) == 3999  # the last line break is trimmed


# Refused, in Swedish, keeping what was typed


def test_a_text_over_4000_characters_is_refused_and_kept(client, category):
    text = "Lång berättelse. " * 250

    response = client.post(FORM_URL, form_data(category, text=text))

    page = text_of(response)
    assert response.status_code == 200 and not Case.objects.exists()
    assert sv(ERROR_TEXT_TOO_LONG) in page
    assert text.strip() in page  # the textarea still holds every word


def test_missing_kind_category_and_text_are_each_named_and_linked(client, category):
    data = form_data(category, text="", contact_name="Rut")
    del data["kind"], data["category"]

    page = text_of(client.post(FORM_URL, data))

    assert not Case.objects.exists()
    assert f'<a href="#id_kind_0">{sv(ERROR_KIND_MISSING)}</a>' in page
    assert f'<a href="#id_category_0">{sv(ERROR_CATEGORY_UNKNOWN)}</a>' in page
    assert f'<a href="#id_text">{sv(ERROR_TEXT_EMPTY)}</a>' in page
    assert 'value="Rut"' in page
    assert f"<title>{sv('Error')}: " in page


def test_an_answer_needs_an_email_address(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, wants_answer="on", contact_phone="070-123 45 67")))

    assert not Case.objects.exists()
    assert sv(ERROR_ANSWER_NEEDS_EMAIL) in page
    assert 'value="070-123 45 67"' in page and "checked" in page


def test_half_a_position_is_refused(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, latitude="59.37")))

    assert not Case.objects.exists()
    assert sv(ERROR_POSITION_HALF) in page
    assert '<details class="position" open' in page


def test_an_inactive_category_is_refused(client, category):
    retired = CategoryFactory(municipality=category.municipality, is_active=False)

    page = text_of(client.post(FORM_URL, form_data(category, category=str(retired.pk))))

    assert not Case.objects.exists()
    assert sv(ERROR_CATEGORY_UNKNOWN) in page


# Abuse protection


def test_a_filled_honeypot_sends_nothing_and_keeps_the_text(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, website="http://spam.example")))

    assert not Case.objects.exists()
    assert sv(ERROR_NOT_RECEIVED) in page
    assert "Gungan på lekplatsen i Stadsparken är trasig." in page


def test_the_honeypot_is_hidden_from_people_and_tells_a_screen_reader_to_leave_it_empty(client, category):
    page = text_of(client.get(FORM_URL))

    assert '<div class="trap" aria-hidden="true">' in page
    assert f'<label for="id_website">{sv("Leave this field empty")}</label>' in page
    assert 'tabindex="-1"' in page and 'autocomplete="off"' in page


def test_a_form_sent_faster_than_a_person_can_is_refused(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, started=started_ago(seconds=1))))

    assert not Case.objects.exists()
    assert sv(ERROR_NOT_RECEIVED) in page
    assert "Gungan på lekplatsen i Stadsparken är trasig." in page


def test_a_missing_or_forged_timestamp_is_refused_and_replaced(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, started="forged")))

    assert not Case.objects.exists()
    assert 'name="started" value="forged"' not in page


def test_the_minimum_fill_time_is_a_setting(client, category, settings):
    settings.DIALOG_MIN_FILL_SECONDS = 0

    response = client.post(FORM_URL, form_data(category, started=started_ago(seconds=0)))

    assert response.status_code == 302


def test_sending_again_after_a_correction_keeps_the_first_timestamp(client, category):
    first = started_ago(seconds=60)

    page = text_of(client.post(FORM_URL, form_data(category, text="", started=first)))

    assert f'name="started" value="{first}"' in page


def test_one_showing_of_the_form_gives_at_most_one_case(client, category):
    started = started_ago(seconds=60)
    assert client.post(FORM_URL, form_data(category, started=started)).status_code == 302

    again = client.post(FORM_URL, form_data(category, text="Samma formulär en gång till.", started=started))

    page = text_of(again)
    assert Case.objects.count() == 1
    assert sv(ERROR_NOT_RECEIVED) in page and "Samma formulär en gång till." in page
    assert f'name="started" value="{started}"' not in page  # a fresh showing, so a person can send again


def test_a_showing_whose_case_was_not_saved_can_be_sent_again(client, category):
    started = started_ago(seconds=60)
    assert client.post(FORM_URL, form_data(category, text="", started=started)).status_code == 200

    assert client.post(FORM_URL, form_data(category, started=started)).status_code == 302
    assert Case.objects.count() == 1


def test_an_address_is_told_to_wait_after_the_hourly_limit(client, category, settings):
    settings.DIALOG_SUBMISSIONS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(FORM_URL, form_data(category)).status_code == 302

    page = text_of(client.post(FORM_URL, form_data(category, text="Den tredje.")))

    assert Case.objects.count() == 2
    assert sv(ERROR_TOO_MANY_SENT) in page and "Den tredje." in page
    assert client.post(FORM_URL, form_data(category), REMOTE_ADDR="10.1.2.3").status_code == 302
    with time_machine.travel(datetime.timedelta(minutes=61)):
        assert client.post(FORM_URL, form_data(category, started=started_ago())).status_code == 302


# Photos


def test_a_photo_is_stored_without_camera_metadata_or_position(client, category):
    response = client.post(FORM_URL, form_data(category, photos=[jpeg_with_gps()]))

    assert response.status_code == 302
    attachment = CaseAttachment.objects.get()
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG" and (image.width, image.height) == (64, 48)
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
        assert ExifTags.Base.Make not in exif
    assert attachment.content_type == "image/jpeg"


def test_a_png_is_accepted(client, category):
    response = client.post(FORM_URL, form_data(category, photos=[png()]))

    assert response.status_code == 302
    assert CaseAttachment.objects.get().content_type == "image/png"


def test_three_photos_are_accepted(client, category):
    client.post(FORM_URL, form_data(category, photos=[jpeg_with_gps("1.jpg"), png("2.png"), jpeg_with_gps("3.jpg")]))

    assert CaseAttachment.objects.count() == 3


def test_a_text_file_named_as_a_photo_is_refused_and_nothing_is_written(client, category):
    fake = SimpleUploadedFile("bild.jpg", "Det här är ingen bild.".encode(), content_type="image/jpeg")

    page = text_of(client.post(FORM_URL, form_data(category, photos=[jpeg_with_gps(), fake])))

    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert sv(ERROR_PHOTO_NOT_IMAGE) % {"name": "bild.jpg"} in page
    assert sv(ERROR_PHOTOS_AGAIN) in page  # the good photo is lost with the bad one
    assert "Gungan på lekplatsen i Stadsparken är trasig." in page


def test_a_photo_over_10_mb_is_refused(client, category):
    big = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024), content_type="image/jpeg")

    page = text_of(client.post(FORM_URL, form_data(category, photos=[big])))

    assert not Case.objects.exists()
    assert sv(ERROR_PHOTO_TOO_LARGE) % {"name": "stor.jpg"} in page


def test_four_photos_are_refused(client, category):
    photos = [jpeg_with_gps(f"{n}.jpg") for n in range(4)]

    page = text_of(client.post(FORM_URL, form_data(category, photos=photos)))

    assert not Case.objects.exists()
    assert sv(ERROR_TOO_MANY_PHOTOS) in page


def test_after_an_error_the_resident_is_asked_to_choose_the_photos_again(client, category):
    page = text_of(client.post(FORM_URL, form_data(category, text="", photos=[png()])))

    assert not Case.objects.exists()
    assert f'<a href="#id_photos">{sv(ERROR_PHOTOS_AGAIN)}</a>' in page


def test_photos_of_a_submission_that_looks_automated_are_not_decoded(client, category, monkeypatch):
    def fail(upload):
        raise AssertionError("photo_process must not run for a refused submission")

    monkeypatch.setattr("brobygget.dialog.forms.photo_process", fail)

    response = client.post(FORM_URL, form_data(category, website="x", photos=[png()]))

    assert response.status_code == 200 and not Case.objects.exists()


# The empty form is rendered once per language and kept (core/shared_pages.py)

HIDDEN = re.compile(r'<input type="hidden" name="(csrfmiddlewaretoken|started)" value="([^"]+)"')


def test_the_kept_form_gets_fresh_hidden_values_and_can_be_sent(category, settings):
    settings.DIALOG_MIN_FILL_SECONDS = 0
    browser = Client(enforce_csrf_checks=True)
    first, second = browser.get(FORM_URL), browser.get(FORM_URL)
    hidden = [dict(HIDDEN.findall(page.content.decode())) for page in (first, second)]

    assert hidden[0].keys() == hidden[1].keys() == {"csrfmiddlewaretoken", "started"}
    assert hidden[0]["csrfmiddlewaretoken"] != hidden[1]["csrfmiddlewaretoken"]
    assert "\x00" not in second.content.decode()
    # Apart from its hidden values, the kept page is the page as rendered.
    assert HIDDEN.sub("", first.content.decode()) == HIDDEN.sub("", second.content.decode())

    data = {**form_data(category), **hidden[1]}
    response = browser.post(FORM_URL, data)
    assert response.status_code == 302 and Case.objects.count() == 1


def test_the_kept_form_follows_the_language_and_a_new_category(client, category):
    assert "Parker och lekplatser" in text_of(client.get(FORM_URL))
    client.cookies["django_language"] = "en"
    assert "Send feedback or report a fault" in text_of(client.get(FORM_URL))

    CategoryFactory(municipality=category.municipality, unit=category.unit, name="Snöröjning")
    assert "Snöröjning" in text_of(client.get(FORM_URL))


def test_staff_get_the_form_rendered_for_them(client, category, org, login_client):
    client.get(FORM_URL)  # kept for anonymous visitors
    staff = login_client(org["leader"])

    page = text_of(staff.get(FORM_URL))
    assert sv("Log out") in page and sv("Staff login") not in page
