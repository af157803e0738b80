"""The demo municipality's improvement work (demo/improvement.py): every part of it, written through the services."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from brobygget.core.models import AuditEvent, PrincipleTag
from brobygget.demo.dialog import CASES
from brobygget.demo.improvement import STORIES
from brobygget.demo.municipality import DEMO_PASSWORD
from brobygget.dialog.models import Case, CaseEntry
from brobygget.dialog.public import case_entries_shown
from brobygget.improvement.models import (
    STAGES,
    Decision,
    Deviation,
    DeviationState,
    Improvement,
    ImprovementCase,
    ImprovementRound,
    ImprovementRoutine,
    Learning,
    Outcome,
    Recognition,
    ResidentSummary,
    Spread,
    Stage,
    StageMove,
)
from brobygget.improvement.my_page import my_improvements
from brobygget.organisation.models import Person, Unit

pytestmark = pytest.mark.django_db


def events(action: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(action=action)


def test_the_demo_has_improvements_in_every_stage_with_their_answers_rounds_and_outcomes(demo):
    today = timezone.localdate()

    for stage in STAGES:
        assert Improvement.objects.filter(stage=stage).exists(), stage
    on_the_wheel = Improvement.objects.exclude(stage=Stage.DONE)
    assert on_the_wheel.filter(due_date__lt=today).count() >= 3  # overdue
    assert on_the_wheel.filter(due_date__gte=today).exists()
    assert Improvement.objects.values("unit").distinct().count() >= 5
    for improvement in Improvement.objects.all():
        assert PrincipleTag.objects.filter(
            content_type=ContentType.objects.get_for_model(Improvement), object_id=improvement.pk
        ).exists(), improvement
    assert Improvement.objects.filter(involved__isnull=False).distinct().count() >= 10
    # Each stage passed keeps the answer to its question.
    for round_ in ImprovementRound.objects.select_related("improvement"):
        passed = set(StageMove.objects.filter(round=round_).values_list("from_stage", flat=True))
        for stage, answer in (("plan", "expectation"), ("do", "actions"), ("study", "result")):
            assert (stage in passed) == bool(getattr(round_, answer)), (round_.improvement, stage)
    # One went round the wheel twice: the first round adapted, the second is in Agera.
    twice = Improvement.objects.get(round_number=2)
    assert twice.stage == Stage.ACT
    assert twice.rounds.get(number=1).decision == Decision.ADAPT
    assert twice.rounds.get(number=1).decision_text
    # One ended without adoption, with its lesson; others adopted.
    abandoned = Improvement.objects.get(outcome=Outcome.ABANDONED)
    assert abandoned.lesson and abandoned.stage == Stage.DONE
    assert Improvement.objects.filter(outcome=Outcome.ADOPTED).count() == 2
    # Every move was recorded by a person, at a moment in the past.
    assert StageMove.objects.count() >= 30
    assert not StageMove.objects.filter(at__gte=timezone.now()).exists()
    assert Improvement.objects.count() == len(STORIES) + 1 + 2  # the stories, one from a deviation, two spread


def test_the_demo_links_cases_spreads_and_tells_the_residents(demo):
    # Improvements raised from the demo's resident cases, the link both ways.
    linked = ImprovementCase.objects.select_related("case", "improvement")
    assert linked.count() == sum(len(story.cases) for story in STORIES)
    for link in linked:
        assert link.case.submitted_at < link.improvement.created_at
        assert link.case.improvement_links.filter(improvement=link.improvement).exists()

    # One adopted improvement's summary, sent to each of its cases as a follow-up ("Det här gjorde vi").
    summary = ResidentSummary.objects.select_related("improvement").get()
    assert summary.improvement.outcome == Outcome.ADOPTED
    cases = Case.objects.filter(improvement_links__improvement=summary.improvement)
    assert {case.text for case in cases} == {CASES[1][2], CASES[14][2]}
    for case in cases:
        follow_ups = [e for e in case_entries_shown(case=case) if e["kind"] == CaseEntry.Kind.FOLLOW_UP]
        assert len(follow_ups) == 1
        assert "Det här gjorde vi" in follow_ups[0]["text"]
    assert events("improvement.summary_written").count() == 1
    assert events("case.followed_up").count() == 2

    # Two adopted improvements became routines of their own units, owned by the improvements' owners.
    routines = ImprovementRoutine.objects.select_related("improvement", "routine")
    assert routines.count() == 2 == events("improvement.became_routine").count()
    for link in routines:
        assert link.improvement.outcome == Outcome.ADOPTED
        assert link.routine.unit_id == link.improvement.unit_id
        assert link.routine.owner_id == link.improvement.owner_id
        assert link.routine.review_date > timezone.localdate()

    # One adopted improvement spread to two other units, copies in Idea and Plan on their boards.
    spread = Spread.objects.select_related("original__unit", "copy__unit")
    assert spread.count() == 2
    assert len({s.original_id for s in spread}) == 1
    original = spread[0].original
    assert original.outcome == Outcome.ADOPTED
    assert {s.copy.unit.code for s in spread} == {"FSK-EKO", "GSK-SJO"}
    assert original.unit.code not in {s.copy.unit.code for s in spread}


def test_the_demo_has_deviations_in_every_state_learnings_some_anonymous_and_thanks(demo):
    for state in DeviationState.values:
        assert Deviation.objects.filter(state=state).exists(), state
    waiting = Deviation.objects.filter(state=DeviationState.NEW)
    assert waiting.count() == 2 and not waiting.filter(triaged_at__isnull=False).exists()
    assert Deviation.objects.get(state=DeviationState.CLOSED).close_reason
    assert Deviation.objects.get(state=DeviationState.IMPROVEMENT).improvement is not None
    assert Learning.objects.filter(deviation__isnull=False).count() == 2

    assert Learning.objects.count() == 6
    anonymous = Learning.objects.filter(anonymous=True)
    assert anonymous.count() == 3
    assert not anonymous.filter(author__isnull=False).exists()
    assert not Learning.objects.filter(anonymous=False, author__isnull=True).exists()
    # No audit event of an anonymous learning names an actor, nor does the triage that wrote one.
    learning_type = ContentType.objects.get_for_model(Learning)
    for learning in anonymous:
        written = AuditEvent.objects.filter(target_type=learning_type, target_id=str(learning.pk))
        assert written.exists() and not written.filter(actor__isnull=False).exists()
    triaged_anonymously = Deviation.objects.get(learnings__anonymous=True)
    assert triaged_anonymously.triaged_by is None
    assert not events("deviation.triaged").filter(target_id=str(triaged_anonymously.pk), actor__isnull=False).exists()

    # Thanks to people and to teams; one hidden by the person thanked, still theirs to see.
    assert Recognition.objects.count() == 6
    assert Recognition.objects.filter(person__isnull=True).count() == 2
    hidden = Recognition.objects.get(shown_in_organisation=False)
    assert hidden.person is not None and hidden.person.user.username == "medarbetare"
    assert events("recognition.hidden").get().actor == hidden.person.user
    assert Recognition.objects.filter(improvement__isnull=False).exists()
    assert Recognition.objects.filter(learning__isnull=False).exists()


def test_every_write_of_the_demo_is_audited_with_the_person_who_made_it(demo):
    assert events("improvement.raised").count() == Improvement.objects.count() - Spread.objects.count()
    assert events("improvement.spread").count() == Spread.objects.count()
    assert events("improvement.moved").count() + events("improvement.finished").count() == StageMove.objects.count()
    assert events("improvement.finished").count() == Improvement.objects.filter(stage=Stage.DONE).count()
    assert events("deviation.reported").count() == Deviation.objects.count()
    assert events("deviation.triaged").count() == Deviation.objects.exclude(state=DeviationState.NEW).count()
    assert events("learning.written").count() == Learning.objects.count()
    assert events("recognition.given").count() == Recognition.objects.count()
    for action in ("improvement.raised", "improvement.moved", "improvement.finished", "recognition.given"):
        assert not events(action).filter(actor__isnull=True).exists(), action
    # Each move is by the person whose account made it, at the moment it was audited.
    move_type = ContentType.objects.get_for_model(Improvement)
    for move in StageMove.objects.select_related("person__user")[:10]:
        assert AuditEvent.objects.filter(
            target_type=move_type, target_id=str(move.improvement_id), actor=move.person.user, created_at=move.at
        ).exists()
    # The people who act without a demo login have an account that cannot log in.
    acting = Person.objects.filter(user__isnull=False).exclude(
        user__username__in=["admin", "registrator", "chef", "medarbetare"]
    )
    assert acting.count() >= 10
    assert not any(person.user.has_usable_password() for person in acting)


def test_the_demo_pages_show_the_boards_and_the_work(demo):
    client = Client()
    assert client.login(username="chef", password=DEMO_PASSWORD)
    park = Unit.objects.get(code="GP-PARK")

    board = client.get(reverse("improvement:board", args=[park.pk]))
    assert board.status_code == 200
    # The board the demo's logins see first has a card in every stage.
    assert set(Improvement.objects.filter(unit=park).values_list("stage", flat=True)) == set(STAGES)
    for improvement in Improvement.objects.filter(unit=park):
        assert improvement.title in board.content.decode()
    assert client.get(reverse("improvement:board", args=[Unit.objects.get(code="GP-GATA").pk])).status_code == 200
    for improvement in Improvement.objects.filter(unit__code__in=["GP", "GP-PARK", "GP-GATA"]):
        assert client.get(reverse("improvement:detail", args=[improvement.pk])).status_code == 200
    # Min sida: the deviations of Gata och park waiting for the leader.
    my_page = client.get("/min-sida/").content.decode()
    for deviation in Deviation.objects.filter(state=DeviationState.NEW, unit__code__startswith="GP"):
        assert deviation.where in my_page
    # Elin (medarbetare) has improvements under way and none overdue: her Min sida has one overdue thing, a routine
    # the accessibility test adds (tests/e2e/test_accessibility.py).
    elin = Person.objects.get(user__username="medarbetare")
    mine, _more = my_improvements(person_id=elin.pk, today=timezone.localdate())
    assert mine and not any(item.overdue for item in mine)
    search = client.get(reverse("improvement:search"), {"q": "lekredskap"})
    assert search.status_code == 200 and "Trasiga lekredskap lagas inom en vecka" in search.content.decode()
