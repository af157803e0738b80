"""Where each published goal is listed on "Våra mål" is kept on its publication (`section`, `depth`, `below`) by the
services that publish and withdraw, so that a page reads only the goals it shows: the kept placement is always the
one worked out from the whole tree of live publications, and a page's queries on a miss do not grow with the tree."""

import datetime
import importlib
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.models import FollowUp, Goal, Level
from brobygget.openresults import goals as our_goals
from brobygget.openresults import views_goals
from brobygget.openresults.models import GoalPublication

pytestmark = pytest.mark.django_db


def placed_from_the_tree(municipality) -> dict[int, tuple[int | None, int, int]]:
    """(section, depth, below) of every live publication, worked out from all of them."""
    live = GoalPublication.objects.filter(municipality=municipality, withdrawn_at__isnull=True)
    placed = our_goals.goal_placements(live.values_list("pk", "goal_path", "level"))
    below = Counter(section for section, _depth in placed.values() if section is not None)
    return {pk: (section, depth, below[pk]) for pk, (section, depth) in placed.items()}


def placed_kept(municipality) -> dict[int, tuple[int | None, int, int]]:
    live = GoalPublication.objects.filter(municipality=municipality, withdrawn_at__isnull=True)
    return {
        pk: (section, depth, below) for pk, section, depth, below in live.values_list("pk", "section", "depth", "below")
    }


@pytest.fixture
def withdraw(django_capture_on_commit_callbacks):
    def make(publication: GoalPublication, by) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            our_goals.goal_publication_withdraw(actor=by.user, publication=publication, reason="Inte längre aktuellt.")

    return make


@pytest.fixture
def publish_newer(django_capture_on_commit_callbacks):
    """The goal's next tertial followed up and published: the live publication is replaced by a new row."""

    def make(goal: Goal, by) -> GoalPublication:
        with time_machine.travel(datetime.datetime(2027, 9, 10, 10, 0, tzinfo=datetime.UTC), tick=False):
            follow_up_submit(
                actor=by.user,
                goal=goal,
                covers_until=datetime.date(2027, 8, 31),
                data=FollowUpInput(FollowUp.Status.YELLOW, "Det går långsammare."),
            )
            preview = our_goals.goal_publication_preview(person=by, goal_id=goal.pk, actor=by.user)
            with django_capture_on_commit_callbacks(execute=True):
                return our_goals.goal_publication_publish(actor=by.user, goal_id=goal.pk, confirmed=preview.digest)

    return make


def test_the_kept_placement_follows_every_publication_and_withdrawal(
    goals_org, tree, publish_goal, withdraw, publish_newer
):
    municipality = goals_org["team"].municipality
    admin, chief, leader = goals_org["admin"], goals_org["chief"], goals_org["leader"]

    def check() -> dict[int, tuple[int | None, int, int]]:
        kept = placed_kept(municipality)
        assert kept == placed_from_the_tree(municipality)
        return kept

    park = publish_goal(tree["park"], by=leader)
    activity = publish_goal(tree["activity"], by=leader)
    assert check() == {park.pk: (None, 0, 1), activity.pk: (park.pk, 1, 0)}

    committee = publish_goal(tree["committee"], by=chief)  # above them: they move to its page
    street = publish_goal(tree["street"], by=goals_org["street_leader"])
    assert check()[activity.pk] == (committee.pk, 2, 0)
    assert check()[committee.pk] == (None, 0, 3)

    vision = publish_goal(tree["vision"], by=admin)  # above everything: the committee stays on the first page
    assert check()[committee.pk] == (None, 1, 3) and check()[vision.pk] == (None, 0, 0)

    newer = publish_newer(tree["committee"], chief)  # replaced: those below follow the new row
    assert check()[park.pk] == (newer.pk, 2, 0)
    assert committee.pk not in check()

    withdraw(park, leader)  # a goal in between: the activity moves up a step
    assert check()[activity.pk] == (newer.pk, 2, 0)

    withdraw(newer, chief)  # the goals below move to the page of the nearest goal left on the first page
    assert check()[street.pk] == (vision.pk, 1, 0) and check()[activity.pk] == (vision.pk, 1, 0)
    assert check()[vision.pk] == (None, 0, 2)

    publish_goal(tree["council"], by=admin)
    check()


def test_goals_of_another_tree_are_not_moved(goals_org, tree, make_goal, publish_goal, withdraw):
    municipality = goals_org["team"].municipality
    other = make_goal(title="Ett eget mål", parent_id=None)
    below_other = make_goal(level=Level.ACTIVITY, title="En egen aktivitet", parent_id=other.pk)
    mine = publish_goal(other, by=goals_org["leader"])
    publish_goal(below_other, by=goals_org["leader"])
    publish_goal(tree["committee"], by=goals_org["chief"])
    park = publish_goal(tree["park"], by=goals_org["leader"])

    withdraw(park, goals_org["leader"])

    assert placed_kept(municipality)[mine.pk] == (None, 0, 1)
    assert placed_kept(municipality) == placed_from_the_tree(municipality)


def test_the_migration_places_the_publications_there_are(goals_org, tree, publish_goal):
    municipality = goals_org["team"].municipality
    for name, by in (("council", "admin"), ("committee", "chief"), ("park", "leader"), ("activity", "leader")):
        publish_goal(tree[name], by=goals_org[by])
    expected = placed_kept(municipality)
    GoalPublication.objects.update(section=None, depth=0, below=0)

    importlib.import_module("brobygget.openresults.migrations.0004_goal_publication_section").place_live(apps, None)

    assert placed_kept(municipality) == expected == placed_from_the_tree(municipality)


def _miss_queries(client, url: str) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_miss_asks_the_same_queries_whatever_the_size_of_the_tree(
    client, goals_org, tree, make_goal, publish_goal, monkeypatch
):
    """The first page and a goal's page on a miss, with a small tree and with one many times larger: the same
    queries, and neither reads the goals it does not show."""
    monkeypatch.setattr(views_goals, "GOALS_PER_PAGE", 5)
    committee = publish_goal(tree["committee"], by=goals_org["chief"])
    publish_goal(tree["park"], by=goals_org["leader"])
    first, goal_page = reverse("openresults:our_goals"), reverse("openresults:our_goal", args=[committee.pk])
    small = (_miss_queries(client, first), _miss_queries(client, goal_page))

    publish_goal(tree["vision"], by=goals_org["admin"])
    publish_goal(tree["activity"], by=goals_org["leader"])
    for number in range(12):
        goal = make_goal(title=f"Parkmål {number}", parent_id=tree["committee"].pk)
        publish_goal(goal, by=goals_org["leader"])
        activity = make_goal(level=Level.ACTIVITY, title=f"Aktivitet {number}", parent_id=goal.pk)
        publish_goal(activity, by=goals_org["leader"])
    assert GoalPublication.objects.filter(withdrawn_at__isnull=True).count() == 28
    large = (_miss_queries(client, first), _miss_queries(client, goal_page))

    assert [len(queries) for queries in large] == [len(queries) for queries in small]
    goal_reads = [query for query in large[0] if "openresults_goalpublication" in query]
    assert len(goal_reads) == 1 and '"section_id" IS NULL' in goal_reads[0]  # the first page's goals only
    goal_reads = [query for query in large[1] if "openresults_goalpublication" in query]
    assert len(goal_reads) == 2 and goal_reads[1].endswith("LIMIT 5")  # the goal, and a page of those below it
