"""Mail to residents through a real SMTP server on localhost (aiosmtpd): the answer, its retry, and the receipt."""

import pytest

from brobygget.dialog.models import CaseEntry, Status
from brobygget.dialog.tasks import send_pending_mail
from brobygget.dialog.tracking import tracking_url
from brobygget.organisation.models import Person
from tests.dialog.conftest import body

pytestmark = pytest.mark.django_db

ANSWER = "Hej! Vi byter kedjan på gungan på fredag. Tack för att du hörde av dig."


@pytest.fixture
def case(make_case):
    return make_case(contact_email="ada@example.se", wants_answer=True, text="Gungan har en trasig kedja.")


def test_an_answer_sent_from_the_page_reaches_the_resident_with_the_tracking_link(
    org, case, login_client, running_smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login_client(org["member"]).post(f"/arenden/{case.pk}/svara/", {"answer-text": ANSWER})

    assert response.status_code == 302
    [message] = running_smtp_server.messages
    assert message["To"] == "ada@example.se"
    assert case.number in message["Subject"]
    assert ANSWER in body(message)
    assert tracking_url(case) in body(message)
    entry = case.entries.get(kind=CaseEntry.Kind.ANSWER)
    assert (entry.mail_status, entry.mail_attempts) == (CaseEntry.MailStatus.SENT, 1)


def test_with_the_mail_server_down_the_answer_is_kept_and_sent_by_the_retry_when_it_is_back(
    org, case, login_client, smtp_server, dummy_tasks, django_capture_on_commit_callbacks
):
    # Given nothing listens on the mail server's port
    with django_capture_on_commit_callbacks(execute=True):
        login_client(org["member"]).post(f"/arenden/{case.pk}/svara/", {"answer-text": ANSWER})
    [queued] = dummy_tasks.results
    assert queued.task.name == send_pending_mail.name and queued.args == [case.pk]

    # When the worker runs the task
    with django_capture_on_commit_callbacks(execute=True):
        queued.task.call(*queued.args)

    # Then the answer is saved, the mail marked as failed once, and a retry queued for later
    case.refresh_from_db()
    assert case.status == Status.ANSWERED
    entry = case.entries.get(kind=CaseEntry.Kind.ANSWER)
    assert (entry.text, entry.mail_status, entry.mail_attempts) == (ANSWER, CaseEntry.MailStatus.FAILED, 1)
    retry = dummy_tasks.results[-1]
    assert len(dummy_tasks.results) == 2
    assert retry.task.name == send_pending_mail.name and retry.task.run_after is not None
    assert smtp_server.messages == []

    # And when the server is back, the retry sends it
    smtp_server.start()
    with django_capture_on_commit_callbacks(execute=True):
        retry.task.call(*retry.args)
    [message] = smtp_server.messages
    assert ANSWER in body(message)
    entry.refresh_from_db()
    assert (entry.mail_status, entry.mail_attempts) == (CaseEntry.MailStatus.SENT, 2)
    assert len(dummy_tasks.results) == 2  # nothing more to retry


def test_a_resident_who_gives_an_email_address_gets_a_receipt_with_number_and_link(
    running_smtp_server, make_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(contact_email="ada@example.se", wants_answer=True)

    # (the park team's people are told of the case too: tests/dialog/test_staff_notices.py)
    [message] = [message for message in running_smtp_server.messages if message["To"] == "ada@example.se"]
    assert message["To"] == "ada@example.se"
    assert case.number in message["Subject"] and case.number in body(message)
    assert tracking_url(case) in body(message)


def test_no_receipt_without_an_email_address(running_smtp_server, make_case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_case()

    staff = set(Person.objects.values_list("email", flat=True))  # the park team's people are told of the case
    assert {message["To"] for message in running_smtp_server.messages} <= staff
