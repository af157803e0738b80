"""Daily deadline reminders: to whom, when (working days, weekends, holidays), once only, and what they say."""

import datetime
import zoneinfo
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from brobygget.dialog.models import DeadlineReminder
from brobygget.dialog.reminders import send_deadline_reminders
from brobygget.dialog.services import case_answer, case_assign
from tests.dialog.conftest import sv
from tests.factories import CategoryFactory, ServicePromiseFactory, UnitFactory, submit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def on(year: int, month: int, day: int, hour: int = 6):
    """Travel to a local morning, when cron runs the reminders."""
    return time_machine.travel(datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM), tick=False)


def remind() -> int:
    return send_deadline_reminders.call()


@pytest.fixture(autouse=True)
def empty_outbox():
    mail.outbox = []


@pytest.fixture
def due_monday(org, make_case):
    """Submitted Monday 2 March 2026 with a promise of 10 working days: due Monday 16 March; Mats handles it."""
    with on(2026, 3, 2, 10):
        case = make_case(contact_name="Ada Invånare", contact_email="ada@example.se", text="Hemlig detalj om Ada.")
    case_assign(actor=None, case=case, unit=org["team"], assignee=org["member"])
    assert case.answer_due == datetime.date(2026, 3, 16)
    return case


def test_the_case_handler_is_reminded_on_the_working_day_before_the_deadline_across_the_weekend(org, due_monday):
    with on(2026, 3, 12):  # Thursday: the next working day is Friday, the case is due Monday
        assert remind() == 0
    with on(2026, 3, 13):  # Friday: the next working day is Monday
        assert remind() == 1

    [message] = mail.outbox
    assert message.to == [org["member"].email]
    assert due_monday.number in message.body


def test_a_reminder_is_sent_once_per_case_and_deadline(org, due_monday):
    with on(2026, 3, 13):
        remind()
        remind()
    with on(2026, 3, 16):
        assert remind() == 0
    with on(2026, 3, 18):  # overdue now, but already reminded about this deadline
        assert remind() == 0

    assert len(mail.outbox) == 1
    assert DeadlineReminder.objects.filter(case=due_monday, due=due_monday.answer_due).count() == 1


def test_across_a_holiday_the_reminder_comes_two_days_early(org, category):
    quick = CategoryFactory(municipality=category.municipality, unit=org["team"])
    ServicePromiseFactory(category=quick, acknowledge_days=1, answer_days=3)
    with on(2026, 5, 11, 10):  # Monday; Thursday 14 May is Ascension Day
        case = submit_case(quick)[0]
    assert case.answer_due == datetime.date(2026, 5, 15)

    with on(2026, 5, 12):  # Tuesday: the next working day is Wednesday
        assert remind() == 0
    with on(2026, 5, 13):  # Wednesday: the next working day is Friday, the deadline
        assert remind() == 1

    assert [m.to for m in mail.outbox] == [[org["leader"].email]]  # unassigned: the unit's leader


def test_an_unassigned_case_reminds_the_leader_of_its_unit(org, make_case):
    with on(2026, 3, 2, 10):
        case = make_case()
    with on(2026, 3, 13):
        remind()

    [message] = mail.outbox
    assert message.to == [org["leader"].email]
    assert case.number in message.body


def test_an_overdue_case_never_reminded_is_reminded_and_marked_as_overdue(org, make_case):
    with on(2026, 3, 2, 10):
        case = make_case()
    with on(2026, 3, 25):
        assert remind() == 1

    text = mail.outbox[0].body
    assert case.number in text
    assert sv("%(number)s – overdue, should have been answered by %(date)s").split("%")[0] in text


def test_answered_and_closed_cases_are_not_reminded(org, make_case):
    with on(2026, 3, 2, 10):
        answered = make_case()
        closed = make_case()
    case_answer(actor=org["member"].user, case=answered, text="Svar.")
    case_answer(actor=org["member"].user, case=closed, text="Svar.", close=True)

    with on(2026, 3, 13):
        assert remind() == 0
    assert mail.outbox == []


def test_one_mail_per_person_lists_all_their_cases(org, make_case):
    with on(2026, 3, 2, 10):
        cases = [make_case() for _ in range(3)]
    with on(2026, 3, 13):
        assert remind() == 3

    [message] = mail.outbox
    assert all(case.number in message.body for case in cases)


def test_the_reminder_names_only_the_case_number_and_links_to_the_staff_page(settings, due_monday):
    settings.SITE_URL = "https://brobygget.testby.se"
    with on(2026, 3, 13):
        remind()

    message = mail.outbox[0]
    assert f"https://brobygget.testby.se/arenden/{due_monday.pk}/" in message.body
    for personal in ("Ada", "ada@example.se", "Hemlig detalj"):
        assert personal not in message.body and personal not in message.subject


def test_a_case_with_nobody_to_remind_is_left_for_the_inbox(org, make_case):
    lonely = UnitFactory(municipality=org["team"].municipality, parent=org["root"])
    category = CategoryFactory(municipality=lonely.municipality, unit=lonely)
    with on(2026, 3, 2, 10):
        submit_case(category)
    with on(2026, 3, 13):
        assert remind() == 0

    assert not DeadlineReminder.objects.exists()


def test_when_the_mail_server_is_down_the_reminder_is_sent_on_the_next_run(org, due_monday, smtp_server):
    with on(2026, 3, 13):
        assert remind() == 0
    assert not DeadlineReminder.objects.exists()

    smtp_server.start()
    with on(2026, 3, 14):
        assert remind() == 1
    assert [m["To"] for m in smtp_server.messages] == [org["member"].email]


def test_the_command_runs_the_reminders_and_says_how_many(due_monday):
    out = StringIO()
    with on(2026, 3, 13):
        call_command("dialog_send_reminders", stdout=out)

    assert sv("Cases reminded: %(count)s.") % {"count": 1} in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_can_queue_the_task_for_the_worker(due_monday, dummy_tasks):
    call_command("dialog_send_reminders", "--enqueue", stdout=StringIO())

    [queued] = dummy_tasks.results
    assert queued.task.name == send_deadline_reminders.name
    assert mail.outbox == []
