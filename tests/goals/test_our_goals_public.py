"""The public "Våra mål": a goal's latest follow-up reaches the public only when a leader who may change the goal
has seen it masked and published it; the public tree nests the published goals and shows status, analysis and
indicators, never a name; a newer follow-up replaces the older one; withdrawn ones leave every page and download;
the cache shows a change at once; the page's queries do not grow with the tree."""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brobygget.core.models import AuditEvent
from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.indicators import (
    IndicatorInput,
    MeasurementInput,
    indicator_create,
    measurement_record,
    target_set,
)
from brobygget.goals.models import FollowUp, Goal
from brobygget.openresults import goals as our_goals
from brobygget.openresults.models import GoalPublication
from tests.goals.conftest import TODAY, sv

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_TERTIAL = D(2027, 4, 30)
ANALYSIS = "Fler lekplatser städas nu varje vecka. Ring Anna på 070-123 45 67 om något saknas."


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TODAY, tick=False):
        yield


def _follow_up(goal: Goal, by, status=FollowUp.Status.YELLOW, analysis=ANALYSIS, day=FIRST_TERTIAL) -> FollowUp:
    Goal.objects.filter(pk=goal.pk).update(rhythm="tertial")
    goal.refresh_from_db()
    return follow_up_submit(actor=by.user, goal=goal, covers_until=day, data=FollowUpInput(status, analysis))


def _publish(goal: Goal, by) -> GoalPublication:
    preview = our_goals.goal_publication_preview(person=by, goal_id=goal.pk, actor=by.user)
    return our_goals.goal_publication_publish(actor=by.user, goal_id=goal.pk, confirmed=preview.digest)


def test_nothing_of_the_tree_is_public_until_a_follow_up_is_published(client, goals_org, tree):
    _follow_up(tree["park"], goals_org["leader"])

    html = client.get(reverse("openresults:our_goals")).content.decode()

    assert tree["park"].title not in html and tree["vision"].title not in html
    assert "Inget mål har publicerats ännu." in html


def test_a_published_follow_up_shows_masked_with_its_indicators_and_no_names(client, goals_org, tree):
    leader = goals_org["leader"]
    indicator = indicator_create(
        actor=leader.user,
        goal=tree["park"],
        data=IndicatorInput(
            name="Nöjda besökare", owner_id=leader.pk, unit_of_measure="%", green_from=Decimal(80), red_from=Decimal(60)
        ),
    )
    target_set(actor=leader.user, indicator=indicator, period=goals_org["period"], value=Decimal(85))
    for year, value in ((2025, "71.5"), (2026, "78")):
        measurement_record(actor=leader.user, indicator=indicator, data=MeasurementInput(year, Decimal(value)))
    _follow_up(tree["park"], leader)

    preview = our_goals.goal_publication_preview(person=leader, goal_id=tree["park"].pk, actor=leader.user)
    assert preview.may_publish and preview.masked_count == 1 and "070-123 45 67" not in preview.analysis.text
    publication = _publish(tree["park"], leader)
    html = client.get(reverse("openresults:our_goals")).content.decode()

    assert tree["park"].title in html and ">Gul<" in html
    assert "070-123 45 67" not in html and "Fler lekplatser städas nu varje vecka." in html
    assert leader.full_name not in html and leader.last_name not in html
    assert tree["activity"].title not in html  # never published: internal
    assert "Nöjda besökare: 78 %" in html and "Målvärde: 85." in html
    goal_page = client.get(reverse("openresults:our_goal", args=[publication.pk])).content.decode()
    assert "<svg" in goal_page and "2025" in goal_page and "71.5" in goal_page
    event = AuditEvent.objects.get(action="openresults.goal_published")
    assert event.target_id == str(publication.pk) and "070" not in json.dumps(event.payload)


def test_only_those_who_may_change_the_goal_publish_it_and_only_what_they_saw(goals_org, tree):
    _follow_up(tree["park"], goals_org["leader"])
    member = goals_org["member"]
    preview = our_goals.goal_publication_preview(person=member, goal_id=tree["park"].pk, actor=member.user)

    assert not preview.may_publish
    with pytest.raises(PermissionDenied):
        our_goals.goal_publication_publish(actor=member.user, goal_id=tree["park"].pk, confirmed=preview.digest)
    with pytest.raises(PermissionDenied):  # the street team's leader does not see the park team's goal
        our_goals.goal_publication_publish(actor=goals_org["street_leader"].user, goal_id=tree["park"].pk, confirmed="")
    with pytest.raises(ValidationError):
        our_goals.goal_publication_publish(actor=goals_org["leader"].user, goal_id=tree["park"].pk, confirmed="old")
    assert not GoalPublication.objects.exists()


def test_a_goal_without_a_follow_up_has_nothing_to_publish(goals_org, tree):
    leader = goals_org["leader"]
    preview = our_goals.goal_publication_preview(person=leader, goal_id=tree["park"].pk, actor=leader.user)

    with pytest.raises(ValidationError) as raised:
        our_goals.goal_publication_publish(actor=leader.user, goal_id=tree["park"].pk, confirmed=preview.digest)
    assert sv(our_goals.ERROR_NO_FOLLOW_UP) in [sv(m) for m in raised.value.messages]


def test_a_newer_follow_up_replaces_the_older_and_later_edits_change_nothing_public(client, goals_org, tree):
    leader = goals_org["leader"]
    _follow_up(tree["park"], leader, status=FollowUp.Status.RED, analysis="Gungorna är trasiga.")
    first = _publish(tree["park"], leader)
    Goal.objects.filter(pk=tree["park"].pk).update(title="Ett nytt namn som inte är publicerat")

    assert "Ett nytt namn" not in client.get(reverse("openresults:our_goals")).content.decode()
    with time_machine.travel(datetime.datetime(2027, 9, 2, 8, tzinfo=datetime.UTC), tick=False):
        _follow_up(tree["park"], leader, status=FollowUp.Status.GREEN, analysis="Allt lagat.", day=D(2027, 8, 31))
        second = _publish(tree["park"], leader)
        html = client.get(reverse("openresults:our_goals")).content.decode()

    first.refresh_from_db()
    assert first.withdrawn_at is not None and second.withdrawn_at is None
    assert "Allt lagat." in html and "Gungorna är trasiga." not in html
    with pytest.raises(ValidationError):
        _publish(tree["park"], leader)  # already the latest


def test_the_tree_nests_published_goals_under_their_published_ancestors(goals_org, tree):
    admin, leader = goals_org["admin"], goals_org["leader"]
    for name, by in (("vision", admin), ("council", admin), ("park", leader)):
        _follow_up(tree[name], by, status=FollowUp.Status.GREEN, analysis="")
        _publish(tree[name], by)

    rows = our_goals.public_goal_tree(municipality=tree["park"].municipality)

    assert [(row.title, row.depth) for row in rows] == [
        (tree["vision"].title, 0),
        (tree["council"].title, 1),
        (tree["park"].title, 2),  # the unpublished committee goal between is left out
    ]


def test_a_withdrawn_goal_leaves_the_page_and_the_downloads_at_once(client, goals_org, tree):
    leader = goals_org["leader"]
    _follow_up(tree["park"], leader)
    publication = _publish(tree["park"], leader)
    csv_before = client.get(reverse("openresults:our_goals_download", args=["csv"])).content.decode()
    assert tree["park"].title in csv_before

    our_goals.goal_publication_withdraw(actor=leader.user, publication=publication, reason="Fel siffror.")

    assert tree["park"].title not in client.get(reverse("openresults:our_goals")).content.decode()
    data = json.loads(client.get(reverse("openresults:our_goals_download", args=["json"])).content)
    assert data["goals"] == []
    assert client.get(reverse("openresults:our_goal", args=[publication.pk])).status_code == 404
    with pytest.raises(ValidationError):
        our_goals.goal_publication_withdraw(actor=leader.user, publication=publication, reason="Igen.")


def test_the_downloads_have_the_pages_goals_and_figures(client, goals_org, tree):
    leader = goals_org["leader"]
    _follow_up(tree["park"], leader, status=FollowUp.Status.GREEN, analysis="Bra.")
    _publish(tree["park"], leader)

    page = our_goals.public_goal_tree(municipality=tree["park"].municipality)
    data = json.loads(client.get(reverse("openresults:our_goals_download", args=["json"])).content)
    csv_text = client.get(reverse("openresults:our_goals_download", args=["csv"])).content.decode("utf-8-sig")

    assert [goal["title"] for goal in data["goals"]] == [goal.title for goal in page]
    assert data["goals"][0]["status"] == "green" and data["goals"][0]["covers_until"] == "2027-04-30"
    assert csv_text.splitlines()[0].split(",")[:3] == ["id", "level", "title"]
    assert client.get("/resultat/vara-mal.xml").status_code == 404


def test_the_public_tree_asks_the_same_queries_whatever_its_size(
    client, goals_org, tree, django_assert_max_num_queries
):
    admin = goals_org["admin"]
    for name in ("vision", "council", "committee"):
        _follow_up(tree[name], admin if name != "committee" else goals_org["chief"], FollowUp.Status.GREEN, "")
        _publish(tree[name], admin if name != "committee" else goals_org["chief"])
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(4):
        assert client.get(reverse("openresults:our_goals")).status_code == 200
    with django_assert_max_num_queries(2):  # kept: the generation and nothing else
        assert client.get(reverse("openresults:our_goals")).status_code == 200


def test_the_goal_page_offers_publishing_to_its_leaders_only(goals_org, tree, login_client):
    _follow_up(tree["park"], goals_org["leader"])
    url = reverse("goals:detail", args=[tree["park"].pk])
    publish_url = reverse("openresults:goal_publish", args=[tree["park"].pk])

    assert publish_url in login_client(goals_org["leader"]).get(url).content.decode()
    assert publish_url not in login_client(goals_org["member"]).get(url).content.decode()
    assert login_client(goals_org["street_leader"]).get(publish_url).status_code == 404


def test_publishing_through_the_page_keeps_what_was_confirmed(goals_org, tree, login_client):
    leader = goals_org["leader"]
    _follow_up(tree["park"], leader)
    client = login_client(leader)
    url = reverse("openresults:goal_publish", args=[tree["park"].pk])
    page = client.get(url).content.decode()
    assert "<mark" in page and "070-123 45 67" not in page  # staff see where it was masked, marked

    refused = client.post(url, {"confirmed": "a digest of another text"})
    assert refused.status_code == 200 and sv(our_goals.ERROR_TEXT_CHANGED) in refused.content.decode()
    digest = our_goals.goal_publication_preview(person=leader, goal_id=tree["park"].pk, actor=leader.user).digest
    done = client.post(url, {"confirmed": digest})

    assert done.status_code == 302
    assert GoalPublication.objects.get().analysis.startswith("Fler lekplatser städas nu varje vecka.")


def test_the_api_gives_the_pages_goals_and_never_a_withdrawn_one(
    client, goals_org, tree, django_capture_on_commit_callbacks
):
    leader = goals_org["leader"]
    _follow_up(tree["park"], leader, status=FollowUp.Status.GREEN, analysis="Bra.")
    publication = _publish(tree["park"], leader)

    listed = client.get("/api/v1/our-goals").json()
    one = client.get(f"/api/v1/our-goals/{publication.pk}").json()

    assert [goal["title"] for goal in listed["items"]] == [tree["park"].title]
    assert one["status"] == "green" and one["covers_until"] == "2027-04-30" and one["analysis"] == "Bra."
    with django_capture_on_commit_callbacks(execute=True):  # the public cache moves on after the commit
        our_goals.goal_publication_withdraw(actor=leader.user, publication=publication, reason="Fel.")
    assert client.get("/api/v1/our-goals").json()["items"] == []
    assert client.get(f"/api/v1/our-goals/{publication.pk}").status_code == 404
