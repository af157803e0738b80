"""The services of improvement: who may raise and move, what every move records, rounds kept, and the audit."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from brobygget.core.models import AuditEvent, Principle, PrincipleTag
from brobygget.improvement import services
from brobygget.improvement.models import Decision, Improvement, ImprovementRound, Outcome, Stage, StageMove
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import improvement_input

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def actions(improvement: Improvement) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(improvement.pk), action__startswith="improvement.")
        .order_by("id")
        .values_list("action", flat=True)
    )


def move(improvement: Improvement, person: Person, to: str, answer: str = "") -> Improvement:
    assert person.user is not None
    return services.improvement_move(actor=person.user, improvement=improvement, to=to, answer=answer)


def to_act(improvement: Improvement, person: Person) -> Improvement:
    improvement = move(improvement, person, Stage.PLAN)
    improvement = move(improvement, person, Stage.DO, "Färre samtal, kanske hälften.")
    improvement = move(improvement, person, Stage.STUDY, "Vi lade ut kartan den 1 december.")
    return move(improvement, person, Stage.ACT, "Samtalen halverades.")


def test_raising_puts_the_improvement_in_idea_with_its_first_round_people_principles_and_an_audit_event(
    org, raise_improvement
):
    principle = Principle.objects.order_by("order").first()
    assert principle is not None

    improvement = raise_improvement(involved_ids=[org["leader"].pk], principle_ids=[principle.pk])

    assert improvement.stage == Stage.IDEA
    assert improvement.unit == org["team"] and improvement.created_by == org["member"]
    assert list(improvement.involved.all()) == [org["leader"]]
    assert list(improvement.rounds.values_list("number", flat=True)) == [1]
    assert PrincipleTag.objects.filter(object_id=improvement.pk, principle=principle).exists()
    assert actions(improvement) == ["improvement.raised"]
    event = AuditEvent.objects.get(action="improvement.raised")
    assert event.actor == org["member"].user and event.payload == {"unit": org["team"].pk}


def test_a_leader_above_and_the_registrar_may_raise_on_the_team_board(org, raise_improvement):
    department_leader = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=department_leader, unit=org["admin_unit"], role=Role.LEADER)

    assert raise_improvement(by=department_leader).unit == org["team"]
    assert raise_improvement(by=org["registrar"]).unit == org["team"]


def test_a_person_of_another_unit_or_municipality_may_neither_raise_nor_move(org, street, raise_improvement):
    other_municipality = MunicipalityFactory(code="9998")
    stranger = PersonFactory(municipality=other_municipality)
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=other_municipality), role=Role.ADMIN)
    improvement = raise_improvement()

    for outsider in (street["person"], stranger):
        with pytest.raises(PermissionDenied):
            raise_improvement(by=outsider)
        with pytest.raises(PermissionDenied):
            move(improvement, outsider, Stage.PLAN)

    assert Improvement.objects.count() == 1
    assert not StageMove.objects.exists()


def test_refused_input_is_named_field_by_field_and_nothing_is_written(org, street, raise_improvement):
    with pytest.raises(ValidationError) as refused:
        raise_improvement(problem="  ", owner_id=street["person"].pk, title="Ok\x00")

    errors = refused.value.message_dict
    assert errors["problem"] == [str(services.ERROR_PROBLEM_EMPTY)]
    assert errors["owner"] == [str(services.ERROR_PERSON_NOT_IN_UNIT)]
    assert "title" in errors
    assert not Improvement.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="improvement.").exists()


def test_every_move_is_recorded_with_its_time_and_person_and_audited(org, raise_improvement):
    improvement = raise_improvement()
    moment = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=STOCKHOLM)

    with time_machine.travel(moment, tick=False):
        moved = move(improvement, org["leader"], Stage.PLAN)

    assert moved.stage == Stage.PLAN and moved.stage_changed_at == moment
    recorded = StageMove.objects.get()
    assert (recorded.from_stage, recorded.to_stage, recorded.person, recorded.at) == (
        Stage.IDEA,
        Stage.PLAN,
        org["leader"],
        moment,
    )
    assert recorded.round.number == 1
    event = AuditEvent.objects.get(action="improvement.moved")
    assert event.payload["from"] == "idea" and event.payload["to"] == "plan" and event.payload["round"] == 1


def test_moving_on_needs_the_answer_the_stage_asks_for_and_keeps_it(org, raise_improvement):
    improvement = move(raise_improvement(), org["member"], Stage.PLAN)

    with pytest.raises(ValidationError) as refused:
        move(improvement, org["member"], Stage.DO, "   ")

    assert refused.value.message_dict == {"answer": [str(services.ERROR_ANSWER_NEEDED[Stage.PLAN])]}
    assert Improvement.objects.get(pk=improvement.pk).stage == Stage.PLAN

    moved = move(improvement, org["member"], Stage.DO, "Färre samtal.")
    assert moved.stage == Stage.DO
    assert ImprovementRound.objects.get(improvement=moved).expectation == "Färre samtal."


def test_a_move_goes_one_stage_forward_or_back_and_back_keeps_the_answers(org, raise_improvement):
    improvement = raise_improvement()

    with pytest.raises(ValidationError) as refused:
        move(improvement, org["member"], Stage.DO)
    assert refused.value.message_dict == {"to": [str(services.ERROR_MOVE_NOT_POSSIBLE)]}

    improvement = move(improvement, org["member"], Stage.PLAN)
    improvement = move(improvement, org["member"], Stage.DO, "Hälften så många samtal.")
    improvement = move(improvement, org["member"], Stage.PLAN)  # back, without an answer
    improvement = move(improvement, org["member"], Stage.DO)  # on again: the answer is kept from before

    assert improvement.stage == Stage.DO
    assert improvement.rounds.get().expectation == "Hälften så många samtal."
    assert StageMove.objects.filter(improvement=improvement).count() == 4


def test_adapting_starts_a_new_round_in_plan_and_keeps_the_old_round(org, raise_improvement):
    improvement = to_act(raise_improvement(), org["member"])

    adapted = move(improvement, org["member"], Stage.PLAN, "Kartan behöver synas på startsidan.")

    assert adapted.stage == Stage.PLAN and adapted.round_number == 2
    first, second = adapted.rounds.order_by("number")
    assert first.decision == Decision.ADAPT and first.decision_text == "Kartan behöver synas på startsidan."
    assert first.expectation and first.actions and first.result
    assert second.number == 2 and not second.expectation
    with pytest.raises(ValidationError):
        move(adapted, org["member"], Stage.IDEA)  # a later round starts in Plan


def test_ending_without_adoption_needs_the_lesson_and_is_a_kept_outcome(org, raise_improvement):
    improvement = to_act(raise_improvement(), org["member"])
    assert org["member"].user is not None

    with pytest.raises(ValidationError) as refused:
        services.improvement_finish(actor=org["member"].user, improvement=improvement, outcome=Outcome.ABANDONED)
    assert refused.value.message_dict == {"lesson": [str(services.ERROR_LESSON_NEEDED)]}

    finished = services.improvement_finish(
        actor=org["member"].user,
        improvement=improvement,
        outcome=Outcome.ABANDONED,
        answer="Samtalen blev inte färre.",
        lesson="Invånarna ringer om annat än plogningen.",
    )

    assert finished.stage == Stage.DONE and finished.outcome == Outcome.ABANDONED
    assert finished.lesson == "Invånarna ringer om annat än plogningen." and finished.finished_at is not None
    assert finished.rounds.get().decision == Decision.ABANDON
    assert actions(finished)[-1] == "improvement.finished"
    assert AuditEvent.objects.get(action="improvement.finished").payload["outcome"] == "abandoned"
    with pytest.raises(ValidationError) as done:
        move(finished, org["member"], Stage.ACT)
    assert done.value.message_dict == {"to": [str(services.ERROR_DONE)]}


def test_an_improvement_is_finished_only_in_act(org, raise_improvement):
    improvement = raise_improvement()
    assert org["member"].user is not None

    with pytest.raises(ValidationError) as refused:
        services.improvement_finish(actor=org["member"].user, improvement=improvement, outcome=Outcome.ADOPTED)

    assert refused.value.message_dict == {"outcome": [str(services.ERROR_FINISH_ONLY_IN_ACT)]}


def test_updating_names_the_changed_fields_in_the_audit_event(org, raise_improvement):
    improvement = raise_improvement()
    assert org["member"].user is not None

    services.improvement_update(
        actor=org["member"].user,
        improvement=improvement,
        data=improvement_input(org["leader"], idea="Skicka sms när gatan plogas.", involved_ids=[org["member"].pk]),
    )

    improvement.refresh_from_db()
    assert improvement.idea == "Skicka sms när gatan plogas." and improvement.owner == org["leader"]
    assert list(improvement.involved.all()) == [org["member"]]
    event = AuditEvent.objects.get(action="improvement.updated")
    assert event.payload == {"fields": ["idea", "involved", "owner"]}
