"""Staff are told of cases: a mail for each case that comes to their unit or is given to them, a daily summary at
the time they chose, or nothing; chosen in Min sida, with defaults by role. Sent after commit through the tasks."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import CaseMail, CaseMailChoice, DailySummary, StaffNotice
from brobygget.dialog.services import case_assign
from brobygget.dialog.tasks import send_daily_summaries, send_staff_notices
from tests.dialog.conftest import sv

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TEXT = "Gungan vid Ekparken har en trasig kedja."


def at(day: int, hour: int, minute: int = 0):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, minute, tzinfo=STOCKHOLM), tick=False)


def to(person) -> list:
    return [message for message in mail.outbox if message.to == [person.email]]


@pytest.fixture
def submitted(make_case, django_capture_on_commit_callbacks):
    """A case sent in on Monday 2 March at 14:00, its mail sent after commit."""

    def submit(**fields):
        with at(2, 14), django_capture_on_commit_callbacks(execute=True):
            return make_case(text=TEXT, **fields)

    return submit


def test_an_employee_hears_of_each_new_case_at_once_and_the_mail_holds_nothing_the_resident_wrote(org, submitted):
    case = submitted(contact_name="Ada Andersson")

    [message] = to(org["member"])
    assert case.number in message.subject and "Parkenheten" in message.subject
    assert f"/arenden/{case.pk}/" in message.body
    assert TEXT not in message.body and "Ada" not in message.body
    assert sv("Hello %(name)s,") % {"name": "Mats"} in message.body
    notice = StaffNotice.objects.get(person=org["member"])
    assert (notice.reason, notice.daily, notice.sent_at is not None) == (StaffNotice.Reason.ARRIVED, False, True)


def test_a_leader_gets_the_daily_summary_at_seven_once_a_day(org, submitted):
    first, second = submitted(), submitted()
    assert to(org["leader"]) == []  # a leader's default: the summary, not a mail per case

    with at(3, 6, 45):
        assert send_daily_summaries.call() == 0  # not yet her time
    with at(3, 7, 0):
        assert send_daily_summaries.call() == 1
    with at(3, 7, 15):
        assert send_daily_summaries.call() == 0  # once a day

    [summary] = to(org["leader"])
    assert first.number in summary.body and second.number in summary.body
    assert sv("Came to your unit") in summary.body
    assert "2" in summary.subject
    assert DailySummary.objects.filter(person=org["leader"], day=datetime.date(2026, 3, 3)).exists()
    assert not StaffNotice.objects.filter(person=org["leader"], sent_at__isnull=True).exists()


def test_a_case_given_to_a_person_is_mailed_to_them_but_not_when_they_take_it_themselves(
    org, submitted, django_capture_on_commit_callbacks
):
    case, other = submitted(), submitted()
    mail.outbox.clear()

    with at(2, 15), django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=org["leader"].user, case=case, unit=org["team"], assignee=org["member"])
        case_assign(actor=org["member"].user, case=other, unit=org["team"], assignee=org["member"])

    [message] = to(org["member"])
    assert message.subject == sv("Case %(number)s has been given to you") % {"number": case.number}
    assert StaffNotice.objects.filter(reason=StaffNotice.Reason.ASSIGNED).count() == 1


def test_a_case_moved_to_a_unit_tells_its_people(org, submitted, django_capture_on_commit_callbacks):
    from tests.factories import MembershipFactory, PersonFactory, UnitFactory

    street = UnitFactory(municipality=org["team"].municipality, name="Gatuenheten", parent=org["admin_unit"])
    anna = PersonFactory(municipality=street.municipality, first_name="Anna", last_name="Berg")
    MembershipFactory(person=anna, unit=street)
    case = submitted()

    with at(2, 15), django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=org["leader"].user, case=case, unit=street)

    [message] = to(anna)
    assert "Gatuenheten" in message.subject


def test_nothing_for_a_person_who_chose_no_mail_and_a_summary_at_their_own_time(org, submitted):
    CaseMailChoice.objects.create(person=org["member"], how=CaseMail.NONE)
    CaseMailChoice.objects.create(person=org["leader"], how=CaseMail.DAILY, daily_at=datetime.time(9, 30))
    submitted()

    with at(3, 7, 0):
        send_daily_summaries.call()
    assert mail.outbox == [] or all(m.to != [org["leader"].email] for m in mail.outbox)
    with at(3, 9, 30):
        send_daily_summaries.call()

    assert to(org["member"]) == []
    assert len(to(org["leader"])) == 1


def test_with_the_mail_server_down_the_notice_is_kept_and_retried(
    org, make_case, smtp_server, dummy_tasks, django_capture_on_commit_callbacks
):
    with at(2, 14), django_capture_on_commit_callbacks(execute=True):
        case = make_case()
    [queued] = [result for result in dummy_tasks.results if result.task.name == send_staff_notices.name]
    assert queued.args == [org["member"].pk]

    with at(2, 14), django_capture_on_commit_callbacks(execute=True):
        queued.task.call(*queued.args)  # nothing listens: kept, tried again later
    notice = StaffNotice.objects.get(person=org["member"], case=case)
    assert (notice.sent_at, notice.attempts) == (None, 1)
    retry = dummy_tasks.results[-1]
    assert retry.task.name == send_staff_notices.name and retry.task.run_after is not None

    smtp_server.start()
    with at(2, 14, 5):
        retry.task.call(*retry.args)
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2
    assert [message["To"] for message in smtp_server.messages] == [org["member"].email]


def test_min_sida_shows_the_default_of_the_role_and_saves_a_choice_audited(org, login_client):
    client = login_client(org["leader"])
    page = client.get("/min-sida/").content.decode()
    assert 'id="how-daily" value="daily" checked' in page  # a leader's default
    assert sv("You have not chosen yet: what your role usually needs is chosen for you.") in page

    response = client.post("/arenden/arendepost/", {"how": "daily", "daily_at": "08:30"})

    assert response.status_code == 302 and response["Location"] == "/min-sida/#arendepost"
    choice = CaseMailChoice.objects.get(person=org["leader"])
    assert (choice.how, choice.daily_at) == (CaseMail.DAILY, datetime.time(8, 30))
    assert AuditEvent.objects.filter(action="case_mail.chosen").count() == 1
    page = client.get("/min-sida/").content.decode()
    assert sv("Saved: you get a daily summary at %(time)s.") % {"time": "08:30"} in page
    assert '<option value="08:30" selected>' in page


def test_a_choice_that_is_not_offered_is_refused_and_nothing_is_saved(org, login_client):
    client = login_client(org["member"])

    response = client.post("/arenden/arendepost/", {"how": "hourly", "daily_at": "08:30"}, follow=True)

    assert not CaseMailChoice.objects.exists()
    assert 'id="how-each" value="each" checked' in response.content.decode()  # an employee's default still holds
    assert response.status_code == 200


def test_the_command_sends_the_summaries_and_says_how_many(org, submitted):
    from io import StringIO

    from django.core.management import call_command

    submitted()
    out = StringIO()
    with at(3, 7, 5):
        call_command("dialog_send_summaries", stdout=out)

    assert out.getvalue().strip() == sv("Summaries sent: %(count)s.") % {"count": 1}
    assert len(to(org["leader"])) == 1


def test_a_residents_no_or_reply_is_mailed_to_the_case_handler_or_else_the_units_leader(
    org, submitted, django_capture_on_commit_callbacks
):
    from brobygget.dialog.services import case_answer, case_resident_reply, case_resolved_set

    given, nobodys = submitted(contact_email="ada@example.se"), submitted(contact_email="bo@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        case_assign(actor=None, case=given, unit=org["team"], assignee=org["member"])
        for case in (given, nobodys):
            case_answer(actor=None, case=case, text="Vi har lagat det.", close=True)
    mail.outbox.clear()

    with at(5, 9), django_capture_on_commit_callbacks(execute=True):
        case_resolved_set(case=given, resolved=False)
        case_resident_reply(case=nobodys, text="Det är fortfarande trasigt.")
        case_resolved_set(case=nobodys, resolved=True)  # a "Ja" is news in the inbox, not a mail

    [message] = to(org["member"])
    assert message.subject == sv("The resident has answered on case %(number)s") % {"number": given.number}
    assert to(org["leader"]) == []  # her summary, tomorrow at 07:00
    with at(6, 7):
        send_daily_summaries.call()
    [summary] = to(org["leader"])
    assert nobodys.number in summary.body and sv("The resident answered") in summary.body
