"""Back to the resident: the summary of an adopted improvement reaches the cases it came from, and is mailed to
those who asked for answers, through the dialog's mail path."""

import pytest
from django.core import mail

from brobygget.core.models import AuditEvent
from brobygget.dialog.models import CaseEntry
from brobygget.dialog.tracking import tracking_path
from brobygget.improvement import services
from brobygget.improvement.models import Outcome, ResidentSummary, Stage
from tests.factories import CategoryFactory, submit_case
from tests.improvement.conftest import improvement_input, sv

pytestmark = pytest.mark.django_db

YOU_SAID = "Flera av er skrev att gungorna i parkerna var trasiga länge."
WE_DID = "Nu går vi en rond bland lekplatserna varje vecka och lagar det vi hittar."


@pytest.fixture
def cases(org):
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")
    return {
        "mailed": submit_case(category, text="Gungan är trasig.", contact_email="ada@example.se", wants_answer=True)[0],
        "no_answer": submit_case(category, text="Kedjan hänger.", contact_email="bo@example.se", wants_answer=False)[0],
        "no_address": submit_case(category, text="Gungan gnisslar.")[0],
    }


def adopted(org, cases, outcome=Outcome.ADOPTED, lesson=""):
    user = org["member"].user
    improvement = services.improvement_raise(
        actor=user, unit=org["team"], data=improvement_input(org["member"]), cases=list(cases.values())
    )
    for stage, answer in (
        (Stage.PLAN, ""),
        (Stage.DO, "Färre klagomål."),
        (Stage.STUDY, "En rond."),
        (Stage.ACT, "Halverat."),
    ):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    return services.improvement_finish(
        actor=user, improvement=improvement, outcome=outcome, answer="Vi inför det.", lesson=lesson
    )


def url(improvement) -> str:
    return f"/forbattringar/{improvement.pk}/till-invanarna/"


def test_the_summary_reaches_every_linked_case_and_is_mailed_to_those_who_asked_for_answers(
    org, cases, login_client, client, django_capture_on_commit_callbacks
):
    improvement = adopted(org, cases)
    staff = login_client(org["member"])
    form = staff.get(url(improvement)).content.decode()
    assert "Förbättringen kom från 3 invånares ärenden." in form
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # the mail is queued after commit, as in production
        response = staff.post(url(improvement), {"you_said": YOU_SAID, "we_did": WE_DID})

    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{improvement.pk}/"
    summary = ResidentSummary.objects.get(improvement=improvement)
    assert (summary.you_said, summary.we_did, summary.written_by) == (YOU_SAID, WE_DID, org["member"])
    entries = CaseEntry.objects.filter(kind=CaseEntry.Kind.FOLLOW_UP).order_by("case_id")
    assert [entry.case_id for entry in entries] == sorted(case.pk for case in cases.values())
    assert [entry.mail_status for entry in entries] == [CaseEntry.MailStatus.SENT, "", ""]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ada@example.se"]
    assert sent.subject == f"Vad vi gjorde med det du berättade, ärende {cases['mailed'].number}"
    assert YOU_SAID in sent.body and WE_DID in sent.body and "Det här gjorde vi:" in sent.body
    event = AuditEvent.objects.get(action="improvement.summary_written")
    assert event.payload["cases"] == sorted(case.pk for case in cases.values())
    # The resident sees it at their own link, whether mailed or not.
    page = client.get(tracking_path(cases["no_address"])).content.decode()
    assert WE_DID in page
    # Written once: the page shows it, and a second post changes nothing.
    staff.post(url(improvement), {"you_said": "Annat.", "we_did": "Annat."})
    assert ResidentSummary.objects.count() == 1 and len(mail.outbox) == 1
    assert WE_DID in staff.get(url(improvement)).content.decode()


def test_empty_texts_are_refused_beside_their_fields_with_what_was_typed_kept(org, cases, login_client):
    improvement = adopted(org, cases)

    html = login_client(org["member"]).post(url(improvement), {"you_said": YOU_SAID, "we_did": " "}).content.decode()

    assert sv(services.ERROR_WE_DID_EMPTY) in html and YOU_SAID in html
    assert not ResidentSummary.objects.exists()
    assert not CaseEntry.objects.filter(kind=CaseEntry.Kind.FOLLOW_UP).exists()


def test_no_summary_before_the_improvement_is_adopted_nor_for_one_ended_without_adoption(org, cases, login_client):
    user = org["member"].user
    ongoing = services.improvement_raise(
        actor=user, unit=org["team"], data=improvement_input(org["member"]), cases=[cases["mailed"]]
    )
    html = login_client(org["member"]).post(url(ongoing), {"you_said": YOU_SAID, "we_did": WE_DID}).content.decode()
    assert sv(services.ERROR_SUMMARY_NOT_YET) in html

    abandoned = adopted(org, cases, outcome=Outcome.ABANDONED, lesson="Ronden hann inte med.")
    html = login_client(org["member"]).post(url(abandoned), {"you_said": YOU_SAID, "we_did": WE_DID}).content.decode()
    assert sv(services.ERROR_SUMMARY_NOT_YET) in html
    assert not ResidentSummary.objects.exists()


def test_an_improvement_without_cases_has_nobody_to_tell(org, raise_improvement, cases, login_client):
    improvement = raise_improvement()
    user = org["member"].user
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "a"), (Stage.STUDY, "b"), (Stage.ACT, "c")):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    improvement = services.improvement_finish(actor=user, improvement=improvement, outcome=Outcome.ADOPTED)

    html = login_client(org["member"]).post(url(improvement), {"you_said": YOU_SAID, "we_did": WE_DID}).content.decode()

    assert sv(services.ERROR_SUMMARY_NO_CASES) in html
    assert not ResidentSummary.objects.exists()


def test_a_person_of_another_unit_gets_404(org, cases, login_client, street):
    improvement = adopted(org, cases)

    assert login_client(street["person"]).get(url(improvement)).status_code == 404
    assert login_client(street["person"]).post(url(improvement), {"you_said": "x", "we_did": "y"}).status_code == 404
    assert not ResidentSummary.objects.exists()
