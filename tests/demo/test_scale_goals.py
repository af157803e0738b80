"""The goals of a scale municipality: the tree's shape, the measurements exactly, follow-ups in every status (yellow
and red with an analysis), the same on both databases; the roll-up of its whole tree in three queries, and kept."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygget.demo.scale import scale_generate
from brobygget.demo.scale.goals import GOAL_SIZES, goals_scale_write
from brobygget.goals import rollup
from brobygget.goals.kept import kept_rollups
from brobygget.goals.models import FollowUp, Goal, GoalRollup, Level, Measurement, Period

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 5, 12, 8, tzinfo=datetime.UTC)


def test_the_goals_of_size_s():
    result = scale_generate(size="S", now=NOW)
    counts = goals_scale_write(municipality=result.municipality, size="S", seed=7, now=NOW)
    goals = Goal.objects.filter(municipality=result.municipality)
    assert counts["goals"] == goals.count()
    assert abs(counts["goals"] - GOAL_SIZES["S"].nodes) < 30
    assert set(goals.values_list("level", flat=True)) == set(Level.values)
    assert Measurement.objects.filter(indicator__municipality=result.municipality).count() == 1_000
    follow_ups = FollowUp.objects.filter(goal__municipality=result.municipality)
    assert follow_ups.count() == counts["follow_ups"] > 0
    assert not follow_ups.filter(status__in=["yellow", "red"], analysis="").exists()
    snapshot = follow_ups.first().snapshot
    assert snapshot["goal"]["title"] and snapshot["goal"]["unit"] and snapshot["goal"]["responsible"]
    # Every path names its ancestors, ending in the goal's own id.
    for pk, path, parent_id in goals.values_list("pk", "path", "parent_id"):
        parts = [int(p) for p in path.strip("/").split("/")]
        assert parts[-1] == pk and (parts[-2] == parent_id if parent_id else len(parts) == 1)
    period = Period.objects.get(municipality=result.municipality)
    with CaptureQueriesContext(connection) as queries:
        rolled = rollup.period_rollup(period_id=period.pk, municipality_id=result.municipality.pk)
    assert len(queries) == 2
    vision = goals.get(level=Level.VISION)
    assert rolled[vision.pk].rolled is not None
    # Each goal's roll-up is kept, as the services keep it: the same statuses as the fold from scratch.
    assert counts["rollups"] == GoalRollup.objects.filter(goal__municipality=result.municipality).count()
    kept = kept_rollups(goal_ids=list(rolled), municipality_id=result.municipality.pk)
    assert {pk: (one.own, one.rolled) for pk, one in kept.items()} == {
        pk: (one.own, one.rolled) for pk, one in rolled.items()
    }
    # A new goal gets an id after the written ones (PostgreSQL's sequence moved past them).
    extra = Goal.objects.create(
        municipality=result.municipality, period=period, level=Level.ACTIVITY, title="Ny", unit=vision.unit,
        responsible=vision.responsible,
    )  # fmt: skip
    assert extra.pk > max(goals.exclude(pk=extra.pk).values_list("pk", flat=True))
