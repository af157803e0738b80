"""The demo's goal tree: vision to activities, every rhythm, follow-ups in every status (yellow and red with their
analysis), the indicators on it, one follow-up due on Min sida, and its pages answering."""

import pytest
from django.urls import reverse

from brobygget.goals import rollup
from brobygget.goals.kept import COUNT_NAMES, goal_rows, rows_computed
from brobygget.goals.models import FollowUp, Goal, GoalRollup, Indicator, Level, Rhythm
from brobygget.organisation.models import Person

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_tree_runs_from_the_vision_to_activities_with_every_rhythm_and_status(demo):
    goals = Goal.objects.filter(municipality=demo["municipality"])
    assert set(goals.values_list("level", flat=True)) == set(Level.values)
    assert set(goals.values_list("rhythm", flat=True)) == set(Rhythm.values)
    follow_ups = FollowUp.objects.filter(goal__municipality=demo["municipality"])
    assert set(follow_ups.values_list("status", flat=True)) == set(FollowUp.Status.values)
    assert not follow_ups.filter(status__in=["yellow", "red"], analysis="").exists()
    assert all(f.snapshot["goal"]["title"] for f in follow_ups)
    assert Indicator.objects.filter(goal__municipality=demo["municipality"]).count() == demo["indicators"] > 0


def test_the_demos_kept_roll_ups_are_the_ones_computed_from_scratch(demo):
    """The demo is made through the services, which keep each goal's roll-up as they write."""
    municipality_id = demo["municipality"].pk
    kept = {
        row.goal_id: (row.own, row.rolled, row.effective, *(getattr(row, n) for n in COUNT_NAMES))
        for row in GoalRollup.objects.filter(goal__municipality_id=municipality_id)
    }
    rule = rollup.rule_for(municipality_id=municipality_id)
    computed = {
        row.goal_id: (row.own, row.rolled, row.effective, *(getattr(row, n) for n in COUNT_NAMES))
        for row in rows_computed(goal_rows(Goal, FollowUp, municipality_id=municipality_id), rule)
    }
    assert kept == computed
    assert len(kept) == Goal.objects.filter(municipality_id=municipality_id).count()
    assert any(state[1] for state in kept.values())


def test_the_demos_pages_answer(demo, client):
    municipality = demo["municipality"]
    chief = Person.objects.get(municipality=municipality, employee_number="1029")
    client.force_login(chief.user)
    park = Goal.objects.get(municipality=municipality, title="Rena och hela lekplatser")
    assert client.get(reverse("goals:dashboard", args=[park.unit_id])).status_code == 200
    assert "Sammanvägt:" in client.get(reverse("goals:detail", args=[park.pk])).content.decode()
    report = client.get(reverse("goals:report", args=[park.unit.parent_id])).content.decode()
    assert "Rena och hela lekplatser" in report
