"""Fixtures of the open results tests: adopted improvements with their summaries for residents, published as staff
do (through the Publicera page's preview and the service)."""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
import time_machine

from brobygget.core.models import Principle
from brobygget.dialog.models import Case
from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.models import FollowUp, Goal
from brobygget.improvement import services as improvement_services
from brobygget.improvement.models import Improvement, Outcome, Stage
from brobygget.openresults import goals as our_goals
from brobygget.openresults import services
from brobygget.openresults.models import GoalPublication, Publication
from brobygget.openresults.selectors import publication_preview
from brobygget.organisation.models import Person
from tests.factories import CategoryFactory, submit_case
from tests.goals.conftest import TODAY as GOALS_TODAY
from tests.goals.conftest import goals_org, make_goal, tree  # noqa: F401 - fixtures the tests use
from tests.improvement.conftest import improvement_input, street  # noqa: F401 - a fixture the tests use

YOU_SAID = "Flera av er skrev att gungorna i parkerna var trasiga länge."
WE_DID = "Nu går vi en rond bland lekplatserna varje vecka och lagar det vi hittar."


@pytest.fixture
def category(org):
    return CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")


@pytest.fixture
def adopted_summary(org, category) -> Callable[..., Improvement]:
    """`adopted_summary(title=..., you_said=..., we_did=..., cases=[...])`: an improvement of the park team raised
    from residents' cases, adopted, with its summary for residents written by its member."""

    def make(
        title: str = "Lagade gungor",
        you_said: str = YOU_SAID,
        we_did: str = WE_DID,
        cases: list[Case] | None = None,
        principles: list[str] | None = None,
        by: Person | None = None,
        unit: Any = None,
    ) -> Improvement:
        by = by or org["member"]
        user = by.user
        cases = cases or [submit_case(category, text="Gungan är trasig.")[0]]
        principle_ids = [Principle.objects.get(slug=slug).pk for slug in principles or []]
        improvement = improvement_services.improvement_raise(
            actor=user,
            unit=unit or org["team"],
            data=improvement_input(by, title=title, principle_ids=principle_ids),
            cases=cases,
        )
        for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "Färre."), (Stage.STUDY, "En rond."), (Stage.ACT, "Bra.")):
            improvement = improvement_services.improvement_move(
                actor=user, improvement=improvement, to=stage, answer=answer
            )
        improvement = improvement_services.improvement_finish(
            actor=user, improvement=improvement, outcome=Outcome.ADOPTED, answer="Vi inför det.", lesson=""
        )
        improvement_services.resident_summary_write(
            actor=user, improvement=improvement, you_said=you_said, we_did=we_did
        )
        return improvement

    return make


@pytest.fixture
def publish(org, django_capture_on_commit_callbacks) -> Callable[..., Publication]:
    """`publish(improvement, by=person)`: published as the Publicera page does, confirming the preview's text, and
    committed (its after-commit work, the public cache's new generation, done)."""

    def make(improvement: Improvement, by: Person | None = None) -> Publication:
        by = by or org["member"]
        preview = publication_preview(person=by, improvement_id=improvement.pk)
        assert by.user is not None
        with django_capture_on_commit_callbacks(execute=True):
            return services.publication_publish(actor=by.user, improvement_id=improvement.pk, confirmed=preview.digest)

    return make


def follow_up_goal(goal: Goal, by: Person, analysis: str = "Det går enligt plan.") -> FollowUp:
    """The goal (or activity) followed up for its first tertial of 2027 by `by`, as on its follow-up page."""
    assert by.user is not None
    with time_machine.travel(GOALS_TODAY, tick=False):
        Goal.objects.filter(pk=goal.pk).update(rhythm="tertial")
        goal.refresh_from_db()
        return follow_up_submit(
            actor=by.user,
            goal=goal,
            covers_until=datetime.date(2027, 4, 30),
            data=FollowUpInput(FollowUp.Status.GREEN, analysis),
        )


@pytest.fixture
def publish_goal(django_capture_on_commit_callbacks) -> Callable[..., GoalPublication]:
    """`publish_goal(goal, by=person, analysis=...)`: the goal (or activity) followed up (follow_up_goal) and that
    follow-up published as the Publicera page does, committed (the public cache moved on)."""

    def make(goal: Goal, by: Person, analysis: str = "Det går enligt plan.") -> GoalPublication:
        assert by.user is not None
        follow_up_goal(goal, by, analysis)
        with time_machine.travel(GOALS_TODAY, tick=False):
            preview = our_goals.goal_publication_preview(person=by, goal_id=goal.pk, actor=by.user)
            with django_capture_on_commit_callbacks(execute=True):
                return our_goals.goal_publication_publish(actor=by.user, goal_id=goal.pk, confirmed=preview.digest)

    return make
