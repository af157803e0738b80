"""Cases through their services: numbers, promises in working days, handling, and what is never changed."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import Case, CaseEntry, Status
from brobygget.dialog.numbering import case_number_next
from brobygget.dialog.public import case_by_link
from brobygget.dialog.services import (
    ERROR_ANSWER_NEEDS_EMAIL,
    ERROR_NOT_YOUR_CASE,
    ERROR_TEXT_TOO_LONG,
    SubmissionInput,
    case_answer,
    case_assign,
    case_correct_text,
    case_link_duplicate,
    case_note,
    case_recategorise,
    case_reject,
    case_resident_reply,
    case_resolved_set,
    cases_follow_up,
    feedback_submit,
)
from brobygget.organisation.models import Role
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
    submit_case,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def category(org):
    return CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")


# Numbers carry the local year of submission: the tests that name one fix the clock in it.
IN_2026 = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)


@time_machine.travel(IN_2026, tick=False)
def test_case_numbers_run_per_year_without_gaps(category):
    first, _ = submit_case(category)
    second, _ = submit_case(category)

    assert (first.number, second.number) == ("SYN-2026-00001", "SYN-2026-00002")
    with time_machine.travel(datetime.datetime(2027, 1, 1, 0, 30, tzinfo=STOCKHOLM), tick=False):
        third, _ = submit_case(category)
    assert third.number == "SYN-2027-00001"


@time_machine.travel(IN_2026, tick=False)
def test_a_rolled_back_case_gives_its_number_back(category):
    submit_case(category)
    with pytest.raises(ValidationError):
        submit_case(category, text="")

    assert submit_case(category)[0].number == "SYN-2026-00002"


@pytest.mark.django_db(transaction=True)
def test_case_numbers_are_only_given_inside_the_cases_transaction(category):
    with pytest.raises(RuntimeError):
        case_number_next(municipality=category.municipality, year=2026)


def test_the_year_of_the_number_is_the_local_year(category):
    # 23:30 on New Year's Eve in UTC is already 2027 in Stockholm.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        case, _ = submit_case(category)

    assert case.number.startswith("SYN-2027-")


def test_promises_are_counted_in_swedish_working_days(category):
    ServicePromiseFactory(category=category, kind="", acknowledge_days=1, answer_days=10)
    ServicePromiseFactory(category=category, kind="fault_report", acknowledge_days=1, answer_days=3)

    # Thursday 18 June 2026, the day before midsommarafton.
    with time_machine.travel(datetime.datetime(2026, 6, 18, 15, 0, tzinfo=STOCKHOLM), tick=False):
        complaint, _ = submit_case(category, kind="complaint")
        fault, _ = submit_case(category, kind="fault_report")

    assert complaint.acknowledge_due == datetime.date(2026, 6, 22)
    assert complaint.answer_due == datetime.date(2026, 7, 3)
    assert fault.answer_due == datetime.date(2026, 6, 24)


def test_without_a_promise_the_default_of_ten_working_days_applies(category):
    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=STOCKHOLM), tick=False):
        case, _ = submit_case(category)

    assert case.answer_due == datetime.date(2026, 12, 14)


def test_a_submission_is_validated_as_a_whole_and_nothing_is_written(category):
    data = SubmissionInput(kind="complaint", category=category, text="x" * 4001, wants_answer=True)

    with pytest.raises(ValidationError) as error:
        feedback_submit(municipality=category.municipality, data=data)

    assert error.value.message_dict["text"] == [str(ERROR_TEXT_TOO_LONG)]
    assert error.value.message_dict["contact_email"] == [str(ERROR_ANSWER_NEEDS_EMAIL)]
    assert not Case.objects.exists()


def test_a_category_of_another_municipality_is_refused(category):
    foreign = CategoryFactory(municipality=MunicipalityFactory(code="8002"))

    with pytest.raises(ValidationError):
        feedback_submit(
            municipality=category.municipality, data=SubmissionInput(kind="complaint", category=foreign, text="Hej")
        )


def test_the_tracking_key_finds_the_case_and_nothing_else(category):
    case, key = submit_case(category)

    assert case_by_link(number=case.number, key=key) == case
    from django.http import Http404

    with pytest.raises(Http404):
        case_by_link(number=case.number, key=key[:-1] + ("0" if key[-1] != "0" else "1"))


def test_the_submission_is_audited_without_the_residents_words(category):
    case, _ = submit_case(category, text="Min granne Sven Svensson", contact_email="sven@example.se")

    event = AuditEvent.objects.get(action="case.submitted")
    assert event.payload["number"] == case.number
    assert "Sven" not in str(event.payload) and "sven@example.se" not in str(event.payload)


def test_answering_keeps_the_original_text_and_sets_status_and_times(category, org):
    case, _ = submit_case(category, contact_email="a@example.se", wants_answer=True)

    entry = case_answer(actor=org["leader"].user, case=case, text="Vi lagar lampan på tisdag.")

    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.answered_at and case.acknowledged_at
    assert case.text == "Gatlampan lyser inte."
    assert entry.mail_status == CaseEntry.MailStatus.PENDING
    assert AuditEvent.objects.filter(action="case.answered", actor=org["leader"].user).exists()


def test_staff_of_other_units_may_not_handle_the_case(category, org):
    case, _ = submit_case(category)
    outsider = PersonFactory(municipality=category.municipality)
    MembershipFactory(person=outsider, unit=UnitFactory(municipality=category.municipality))

    with pytest.raises(PermissionDenied) as error:
        case_answer(actor=outsider.user, case=case, text="Hej")

    assert str(error.value) == str(ERROR_NOT_YOUR_CASE)
    assert not CaseEntry.objects.filter(kind=CaseEntry.Kind.ANSWER).exists()


def test_leaders_above_and_registrars_may_handle_the_case(category, org):
    case, _ = submit_case(category)
    department_head = PersonFactory(municipality=category.municipality)
    MembershipFactory(person=department_head, unit=org["admin_unit"], role=Role.LEADER)

    case_note(actor=department_head.user, case=case, text="Jag tittar på det.")
    case_note(actor=org["registrar"].user, case=case, text="Registrerad.")

    assert case.entries.filter(kind=CaseEntry.Kind.INTERNAL_NOTE).count() == 2


def test_moving_a_case_to_another_unit_and_handler(category, org):
    case, _ = submit_case(category)
    other_unit = UnitFactory(municipality=category.municipality, parent=org["admin_unit"])
    handler = PersonFactory(municipality=category.municipality)
    MembershipFactory(person=handler, unit=other_unit)

    case_assign(actor=org["registrar"].user, case=case, unit=other_unit, assignee=handler)

    case.refresh_from_db()
    assert (case.unit, case.assignee) == (other_unit, handler)
    with pytest.raises(ValidationError):
        case_assign(actor=org["registrar"].user, case=case, unit=other_unit, assignee=org["member"])


def test_correcting_category_and_text_keeps_what_the_resident_chose_and_wrote(category, org):
    case, _ = submit_case(category, text="Gatlmpan lysr inte")
    other = CategoryFactory(municipality=category.municipality, unit=org["team"], name="Gator")

    case_recategorise(actor=org["leader"].user, case=case, category=other)
    case_correct_text(actor=org["leader"].user, case=case, text="Gatlampan lyser inte.")

    case.refresh_from_db()
    assert case.category == other
    assert case.text == "Gatlmpan lysr inte"
    corrections = list(case.entries.filter(kind=CaseEntry.Kind.CORRECTION).values_list("text", flat=True))
    assert "Parker och lekplatser" in corrections[0] and corrections[1] == "Gatlampan lyser inte."


def test_not_for_us_closes_with_a_reason_the_resident_sees(category, org):
    case, _ = submit_case(category)

    with pytest.raises(ValidationError):
        case_reject(actor=org["leader"].user, case=case, reason=" ")
    case_reject(actor=org["leader"].user, case=case, reason="Vägen sköts av Trafikverket.")

    case.refresh_from_db()
    assert case.status == Status.CLOSED and case.rejection_reason == "Vägen sköts av Trafikverket."


def test_duplicates_link_to_the_first_case(category, org):
    first, _ = submit_case(category)
    second, _ = submit_case(category)
    third, _ = submit_case(category)

    case_link_duplicate(actor=org["leader"].user, case=second, original=first)
    case_link_duplicate(actor=org["leader"].user, case=third, original=second)

    third.refresh_from_db()
    assert third.duplicate_of == first
    with pytest.raises(ValidationError):
        case_link_duplicate(actor=org["leader"].user, case=first, original=first)


def test_a_reply_from_the_resident_after_an_answer_reopens_the_case(category, org):
    case, _ = submit_case(category)
    case_answer(actor=org["leader"].user, case=case, text="Klart.", close=True)

    case_resident_reply(case=case, text="Lampan lyser fortfarande inte.")

    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None


def test_was_it_solved_can_be_answered_only_after_an_answer(category, org):
    case, _ = submit_case(category)
    with pytest.raises(ValidationError):
        case_resolved_set(case=case, resolved=True)

    case_answer(actor=org["leader"].user, case=case, text="Klart.")
    case_resolved_set(case=case, resolved=False)

    case.refresh_from_db()
    assert case.resolved is False and case.resolved_answered_at <= timezone.now()


def test_a_follow_up_is_shown_to_the_resident_without_changing_the_status_and_only_staff_of_the_municipality_write_it(
    category, org
):
    case, _ = submit_case(category, contact_email="ada@example.se", wants_answer=False)
    elsewhere = UnitFactory(municipality=MunicipalityFactory(code="9996"))
    outsider = PersonFactory(municipality=elsewhere.municipality)
    MembershipFactory(person=outsider, unit=elsewhere, role=Role.REGISTRAR)

    with pytest.raises(PermissionDenied):
        cases_follow_up(actor=outsider.user, cases=[case], text_for=lambda case: "Vi gjorde något.")
    with pytest.raises(ValidationError):
        cases_follow_up(actor=org["member"].user, cases=[case], text_for=lambda case: " \n ")
    assert not case.entries.exists()

    [entry] = cases_follow_up(actor=org["member"].user, cases=[case], text_for=lambda case: f"Till {case.number}.")

    case.refresh_from_db()
    assert (entry.kind, entry.text, entry.author) == (CaseEntry.Kind.FOLLOW_UP, f"Till {case.number}.", org["member"])
    assert entry.visible_to_resident and case.status == Status.RECEIVED
    assert entry.mail_status == CaseEntry.MailStatus.NONE  # the resident did not ask for answers
    assert AuditEvent.objects.filter(action="case.followed_up", target_id=case.pk).exists()
