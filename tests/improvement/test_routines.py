"""An adopted improvement becomes a routine of its unit: made by a leader of the unit (or an administrator),
linked both ways, audited; nobody else makes routines."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from brobygget.core.models import AuditEvent
from brobygget.improvement import services
from brobygget.improvement.models import ImprovementRoutine, Outcome, Stage
from brobygget.improvement.routines import ERROR_NOT_ADOPTED, ERROR_REVIEW_IN_PAST
from brobygget.improvement.views_routine import a_year_after
from brobygget.organisation.models import Role, Routine
from brobygget.organisation.services import routine_create
from tests.factories import MembershipFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 5, 4, 9, tzinfo=datetime.UTC)


def finished(org, raise_improvement, outcome=Outcome.ADOPTED):
    user = org["member"].user
    improvement = raise_improvement(title="Plogkarta på webben")
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "Hälften."), (Stage.STUDY, "Karta."), (Stage.ACT, "Halverat.")):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    lesson = "Det hjälpte inte." if outcome == Outcome.ABANDONED else ""
    return services.improvement_finish(actor=user, improvement=improvement, outcome=outcome, lesson=lesson)


@time_machine.travel(NOW, tick=False)
def test_a_leader_makes_the_adopted_improvement_a_routine_of_the_unit(org, raise_improvement, login_client):
    improvement = finished(org, raise_improvement)
    client = login_client(org["leader"])
    form = client.get(f"/forbattringar/{improvement.pk}/rutin/").content.decode()
    assert 'value="Plogkarta på webben"' in form and 'value="2028-05-04"' in form

    response = client.post(
        f"/forbattringar/{improvement.pk}/rutin/",
        {
            "title": "Plogkartan uppdateras varje morgon",
            "description": "Vakthavande lägger ut kartan.",
            "review_date": "2028-05-04",
        },
    )

    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{improvement.pk}/"
    routine = Routine.objects.get()
    assert (routine.unit, routine.owner, routine.review_date) == (org["team"], org["member"], datetime.date(2028, 5, 4))
    assert ImprovementRoutine.objects.get().routine == routine
    assert AuditEvent.objects.filter(action="routine.created", target_id=routine.pk).exists()
    assert AuditEvent.objects.get(action="improvement.became_routine").payload["routine"] == routine.pk
    assert "Plogkartan uppdateras varje morgon" in client.get(org["team"].get_absolute_url()).content.decode()
    again = client.get(f"/forbattringar/{improvement.pk}/rutin/").content.decode()
    assert "är enhetens rutin ”Plogkartan uppdateras varje morgon”" in again


@time_machine.travel(NOW, tick=False)
def test_only_leaders_and_only_adopted_improvements_and_a_review_date_ahead(org, raise_improvement, login_client):
    adopted = finished(org, raise_improvement)
    member = login_client(org["member"]).post(
        f"/forbattringar/{adopted.pk}/rutin/", {"title": "Rutin", "review_date": "2028-01-01"}
    )
    assert "Bara en ledare för enheten" in member.content.decode()
    past = (
        login_client(org["leader"])
        .post(
            f"/forbattringar/{adopted.pk}/rutin/",
            {"title": "Min rutin", "description": "Så här.", "review_date": "2027-05-04"},
        )
        .content.decode()
    )
    assert sv(ERROR_REVIEW_IN_PAST) in past and "Så här." in past
    ended = finished(org, raise_improvement, outcome=Outcome.ABANDONED)
    refused = login_client(org["leader"]).post(
        f"/forbattringar/{ended.pk}/rutin/", {"title": "R", "review_date": "2028-01-01"}
    )
    assert sv(ERROR_NOT_ADOPTED) in refused.content.decode()
    assert not Routine.objects.exists() and not ImprovementRoutine.objects.exists()


def test_a_leader_of_the_unit_or_above_writes_routines_and_a_leader_elsewhere_does_not(org):
    above = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=above, unit=org["admin_unit"], role=Role.LEADER)
    beside_unit = UnitFactory(municipality=org["team"].municipality, parent=org["admin_unit"], name="Gatuenheten")
    beside = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=beside, unit=beside_unit, role=Role.LEADER)
    review = datetime.date(2030, 1, 1)

    routine_create(actor=above.user, unit=org["team"], owner=org["member"], title="Rutin A", review_date=review)
    routine_create(actor=org["leader"].user, unit=org["team"], owner=org["member"], title="Rutin B", review_date=review)
    with pytest.raises(PermissionDenied):
        routine_create(actor=beside.user, unit=org["team"], owner=org["member"], title="Rutin C", review_date=review)
    with pytest.raises(PermissionDenied):
        routine_create(
            actor=org["member"].user, unit=org["team"], owner=org["member"], title="Rutin D", review_date=review
        )

    assert sorted(Routine.objects.values_list("title", flat=True)) == ["Rutin A", "Rutin B"]


def test_a_year_after_any_day_is_a_real_day():
    assert a_year_after(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert a_year_after(datetime.date(2027, 12, 31)) == datetime.date(2028, 12, 31)
