"""The receipt and the tracking page: what a resident sees through the private link, and nothing more."""

import datetime
import zoneinfo
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from brobygget.dialog.models import CaseEntry, Status
from brobygget.dialog.photos import photo_process
from brobygget.dialog.services import ERROR_TEXT_EMPTY, case_answer, case_note, case_resident_reply
from brobygget.dialog.views_public import MESSAGE_REPLY_SENT, MESSAGE_RESOLVED_THANKS
from tests.dialog.test_public_support import (
    FORM_URL,
    form_data,
    jpeg_with_gps,
    png,
    query_count,
    sv,
    text_of,
    without_request_noise,
)
from tests.factories import CategoryFactory, submit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONDAY_30_NOVEMBER = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def category(org):
    return CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")


@pytest.fixture
def submitted(category):
    """A case sent on Monday 30 November 2026 by someone who wants an answer: (case, tracking path)."""
    with time_machine.travel(MONDAY_30_NOVEMBER, tick=False):
        case, key = submit_case(category, contact_email="rut@example.se", wants_answer=True)
    return case, f"/arende/{case.number}/{key}/"


def _answer(org, case, text="Vi lagar gungan på fredag."):
    return case_answer(actor=org["member"].user, case=case, text=text)


# The receipt


def test_the_receipt_shows_the_number_the_promised_date_in_words_and_the_link(client, submitted):
    case, path = submitted

    page = text_of(client.get(path + "kvitto/"))

    assert case.number in page
    assert sv("We will answer by %(date)s.", date="måndag 14 december 2026") in page
    assert f'<a href="http://testserver{path}">http://testserver{path}</a>' in page
    assert sv("We are also sending a receipt with the link to your email address.") in page


def test_the_receipt_of_an_anonymous_case_says_no_mail_is_sent_and_no_date_is_promised(client, category):
    case, key = submit_case(category)

    page = text_of(client.get(f"/arende/{case.number}/{key}/kvitto/"))

    assert sv("You did not ask for an answer. You can still follow the case with your link.") in page
    assert (
        sv(
            "You did not give an email address, so we do not send a receipt. Save the link now: we cannot send it "
            "to you later."
        )
        in page
    )


def test_sending_the_form_mails_the_receipt_with_the_link(client, category, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM_URL, form_data(category, contact_email="rut@example.se", wants_answer="on"))

    tracking = response["Location"].removesuffix("kvitto/")
    [receipt] = [message for message in mail.outbox if message.to == ["rut@example.se"]]
    assert tracking in receipt.body


def test_the_receipt_and_tracking_page_keep_the_key_out_of_referrers_caches_and_search_engines(client, submitted):
    _, path = submitted

    for url in (path, path + "kvitto/"):
        response = client.get(url)
        assert response["Referrer-Policy"] == "strict-origin"  # the origin at most, never the path with the key
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert '<meta name="robots" content="noindex">' in response.content.decode()


# Not found


def test_a_wrong_key_gives_the_same_404_as_a_missing_page(client, submitted):
    case, path = submitted
    wrong_key = f"/arende/{case.number}/{'0' * 32}/"
    missing = "/arende/SYN-2026-99999/" + path.split("/")[3] + "/"

    responses = [client.get(url) for url in (wrong_key, wrong_key + "kvitto/", missing, "/finns-inte/")]

    assert {response.status_code for response in responses} == {404}
    assert len({without_request_noise(response) for response in responses}) == 1


def test_a_number_that_is_no_cases_costs_the_same_key_check_as_a_wrong_key(client, submitted):
    case, path = submitted
    key = path.split("/")[3]
    compared = []

    def compare(value: str, key: str) -> bool:
        compared.append(key)
        return constant_time_compare(value, key)

    # Constant time: the key is compared with a made-up case's when the number is none, as with a case's.
    with mock.patch("brobygget.dialog.tracking.constant_time_compare", side_effect=compare):
        for url in (f"/arende/{case.number}/{'0' * 32}/", f"/arende/SYN-2026-99999/{key}/"):
            assert client.get(url).status_code == 404
    assert compared == ["0" * 32, key]


def test_the_key_of_one_case_does_not_open_another(client, category, submitted):
    other, _ = submit_case(category)
    _, path = submitted
    key = path.split("/")[3]

    assert client.get(f"/arende/{other.number}/{key}/").status_code == 404


# The tracking page


def test_the_tracking_page_shows_the_status_in_words_the_promise_and_what_was_sent(client, category):
    with time_machine.travel(MONDAY_30_NOVEMBER, tick=False):
        case, key = submit_case(
            category, kind="fault_report", text="Gungan är trasig.", address="Stadsparken", wants_answer=True,
            contact_email="rut@example.se",
        )  # fmt: skip

    with time_machine.travel(MONDAY_30_NOVEMBER + datetime.timedelta(days=1), tick=False):
        page = text_of(client.get(f"/arende/{case.number}/{key}/"))

    assert sv("We have received the case and will start on it soon.") in page
    assert sv("We will answer by %(date)s.", date="måndag 14 december 2026") in page
    assert "Gungan är trasig." in page and "Stadsparken" in page and "Parker och lekplatser" in page
    assert sv("Responsible: %(unit)s", unit="Parkenheten") in page
    assert "rut@example.se" not in page  # contact details stay off the page


def test_an_overdue_case_says_so(client, submitted):
    _, path = submitted

    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, 0, tzinfo=STOCKHOLM), tick=False):
        page = text_of(client.get(path))

    assert sv("We are late.") in page
    assert (
        sv(
            "We should have answered by %(date)s. We are sorry, and will answer as soon as we can.",
            date="måndag 14 december 2026",
        )
        in page
    )


def test_answers_and_replies_are_shown_in_order_and_internal_notes_never(client, org, submitted):
    case, path = submitted
    case_note(actor=org["member"].user, case=case, text="Intern anteckning om grannen.")
    _answer(org, case, text="Vi lagar gungan på fredag.")
    case_resident_reply(case=case, text="Tack, men det är den andra gungan.")

    page = text_of(client.get(path))

    assert "Intern anteckning om grannen." not in page
    assert page.index("Vi lagar gungan på fredag.") < page.index("Tack, men det är den andra gungan.")
    assert sv("Answer from %(municipality)s", municipality="Testby kommun") in page


def test_a_reply_is_added_and_reopens_an_answered_case(client, org, submitted):
    case, path = submitted
    _answer(org, case)

    response = client.post(path, {"text": "Gungan är fortfarande trasig."})

    assert response.status_code == 302 and response["Location"] == path
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.entries.filter(kind=CaseEntry.Kind.RESIDENT_REPLY, text="Gungan är fortfarande trasig.").exists()
    assert sv(MESSAGE_REPLY_SENT) in text_of(client.get(path))


def test_an_empty_reply_is_refused_in_swedish(client, submitted):
    case, path = submitted

    response = client.post(path, {"text": "   "})

    assert response.status_code == 200
    assert sv(ERROR_TEXT_EMPTY) in text_of(response)
    assert not case.entries.filter(kind=CaseEntry.Kind.RESIDENT_REPLY).exists()


def test_a_too_long_reply_is_refused_and_kept(client, submitted):
    _, path = submitted
    text = "Mer att säga. " * 300

    page = text_of(client.post(path, {"text": text}))

    assert text.strip() in page and sv("Error") + ":" in page


def test_was_it_solved_is_asked_only_after_an_answer(client, org, submitted):
    case, path = submitted

    assert sv("Was it solved?") not in text_of(client.get(path))
    client.post(path, {"resolved": "yes"})
    case.refresh_from_db()
    assert case.resolved is None

    _answer(org, case)
    assert sv("Was it solved?") in text_of(client.get(path))


def test_the_resident_says_whether_it_was_solved_and_may_change_their_mind(client, org, submitted):
    case, path = submitted
    _answer(org, case)

    response = client.post(path, {"resolved": "yes"})
    case.refresh_from_db()
    assert response["Location"] == path and case.resolved is True
    assert sv(MESSAGE_RESOLVED_THANKS) in text_of(client.get(path))

    client.post(path, {"resolved": "no"})
    case.refresh_from_db()
    assert case.resolved is False
    assert sv("You answered: %(answer)s. You can change your answer.", answer=sv("No")) in text_of(client.get(path))


# Photos


def test_photos_are_shown_through_the_tracking_link_only(client, category):
    case, key = submit_case(category, photos=[photo_process(jpeg_with_gps())])
    photo = case.attachments.get()
    url = f"/arende/{case.number}/{key}/foto/{photo.pk}/"

    page = client.get(f"/arende/{case.number}/{key}/").content.decode()
    response = client.get(url)

    assert f'<img src="{url}" width="64" height="48"' in page
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Referrer-Policy"] == "strict-origin"
    assert b"".join(response.streaming_content) == photo.file.open("rb").read()
    assert client.get(f"/arende/{case.number}/{'0' * 32}/foto/{photo.pk}/").status_code == 404


def test_a_photo_of_another_case_is_not_found_through_this_link(client, category):
    case, key = submit_case(category)
    other, _ = submit_case(category, photos=[photo_process(png())])

    response = client.get(f"/arende/{case.number}/{key}/foto/{other.attachments.get().pk}/")

    assert response.status_code == 404


def test_photos_have_no_public_address():
    with pytest.raises(Resolver404):
        resolve("/media/cases/2026/11/SYN-2026-00001-1.jpg")


# Query counts


def test_tracking_page_queries_do_not_grow_with_entries_or_photos(client, org, category, assert_max_queries):
    case, key = submit_case(category, contact_email="rut@example.se", wants_answer=True, photos=[photo_process(png())])
    path = f"/arende/{case.number}/{key}/"
    _answer(org, case)
    few = query_count(client, path)

    for number in range(10):
        case_resident_reply(case=case, text=f"Tillägg {number}")
        _answer(org, case, text=f"Svar {number}")
        case_note(actor=org["member"].user, case=case, text=f"Anteckning {number}")
    for _ in range(2):
        case.attachments.create(file=case.attachments.first().file.name, content_type="image/png", width=32, height=32)

    # The case, its entries, its photos, and the sections of the apps above (open results: the publication's link).
    with assert_max_queries(4):
        many = query_count(client, path)
    assert many == few


def test_the_tracking_page_of_a_case_without_photos_asks_for_none(client, category, assert_max_queries):
    case, key = submit_case(category)

    # The case (with whether it has photos), its entries, the publication's link: no look for photos.
    with assert_max_queries(3) as queries:
        page = client.get(f"/arende/{case.number}/{key}/").content.decode()
    assert not [query for query in queries if query["sql"].startswith('SELECT "dialog_caseattachment"')]
    assert 'class="photos"' not in page


def test_the_receipt_takes_one_query(client, submitted, assert_max_queries):
    _, path = submitted

    with assert_max_queries(1) as queries:
        query_count(client, path + "kvitto/")
    assert "JOIN" not in queries[0]["sql"]  # the receipt shows the case's own fields only
    # Whether a mail goes out, never the name or phone number.
    assert "contact_name" not in queries[0]["sql"] and "contact_phone" not in queries[0]["sql"]


def test_the_tracking_page_reads_no_contact_details(client, submitted, assert_max_queries):
    _, path = submitted

    with assert_max_queries(4) as queries:
        query_count(client, path)
    assert not [query for query in queries if "contact_" in query["sql"]]


def test_a_case_answered_late_at_night_shows_the_local_date(client, org, submitted):
    case, path = submitted
    # 23:30 in UTC on 1 December is already 2 December in Stockholm.
    with time_machine.travel(datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC), tick=False):
        _answer(org, case)

    page = text_of(client.get(path))

    assert sv("We answered on %(date)s.", date="2 december 2026") in page
    assert "2 december 2026, 00:30" in page
    assert timezone.get_current_timezone_name() == "Europe/Stockholm"
