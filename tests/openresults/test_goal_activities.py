"""Activities on "Våra mål": an activity is internal until a leader publishes its follow-up through the same Publicera
page as a goal's (that is the marking public). Unpublished, it is in no page, download, API answer or the catalogue;
published, it shows under the nearest published goal above it, as an activity; withdrawn, it leaves everywhere."""

import json

import pytest
from django.urls import reverse

from brobygget.goals.models import Level
from brobygget.openresults import goals as our_goals
from tests.openresults.conftest import follow_up_goal

pytestmark = pytest.mark.django_db

ACTIVITY_ANALYSIS = "Lekplatsen städades alla måndagar utom två."


def everything_public(client, publication_ids: list[int]) -> str:
    """All that the public can read of "Våra mål": the tree, each published goal's page, both downloads, the API
    (the list and each one) and the catalogue."""
    urls = [
        reverse("openresults:our_goals"),
        reverse("openresults:our_goals_download", args=["csv"]),
        reverse("openresults:our_goals_download", args=["json"]),
        "/api/v1/our-goals",
        reverse("openresults:catalogue_ttl"),
        reverse("openresults:catalogue_rdf"),
    ]
    for pk in publication_ids:
        urls += [reverse("openresults:our_goal", args=[pk]), f"/api/v1/our-goals/{pk}"]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        bodies.append(
            json.dumps(json.loads(content), ensure_ascii=False) if "json" in response["Content-Type"] else content
        )
    return "\n".join(bodies)


def test_an_activity_nobody_published_is_nowhere_in_public_even_when_followed_up(client, goals_org, tree, publish_goal):
    park = publish_goal(tree["park"], by=goals_org["leader"])
    activity = tree["activity"]
    follow_up = follow_up_goal(activity, goals_org["leader"], analysis=ACTIVITY_ANALYSIS)

    seen = everything_public(client, [park.pk])

    assert tree["park"].title in seen
    assert follow_up.goal_id == activity.pk and activity.level == Level.ACTIVITY
    assert activity.title not in seen and ACTIVITY_ANALYSIS not in seen
    assert "Aktivitet" not in seen and '"activity"' not in seen


def test_publishing_an_activitys_follow_up_shows_it_under_its_goal_until_withdrawn(
    client, goals_org, tree, publish_goal, django_capture_on_commit_callbacks
):
    leader = goals_org["leader"]
    park = publish_goal(tree["park"], by=leader)
    activity = publish_goal(tree["activity"], by=leader, analysis=ACTIVITY_ANALYSIS)

    seen = everything_public(client, [park.pk, activity.pk])
    listed = {row["title"]: row for row in client.get("/api/v1/our-goals").json()["items"]}
    shown = {goal.title: goal for goal in our_goals.public_goal_tree(municipality=goals_org["team"].municipality)}

    assert tree["activity"].title in seen and ACTIVITY_ANALYSIS in seen
    assert listed[tree["activity"].title]["level"] == Level.ACTIVITY
    assert shown[tree["activity"].title].depth == shown[tree["park"].title].depth + 1
    first_page = client.get(reverse("openresults:our_goals")).content.decode()
    park_page = client.get(reverse("openresults:our_goal", args=[park.pk])).content.decode()
    assert tree["activity"].title not in first_page  # listed on the page of the goal it works towards
    assert (
        f'href="/resultat/vara-mal/{park.pk}/#under">1 mål för förvaltningar och enheter arbetar mot detta'
        in first_page
    )
    assert f"Aktivitet · {tree['activity'].unit.name}" in park_page

    with django_capture_on_commit_callbacks(execute=True):
        our_goals.goal_publication_withdraw(actor=leader.user, publication=activity, reason="Inte längre aktuell.")
    assert tree["activity"].title not in everything_public(client, [park.pk])
    assert client.get(reverse("openresults:our_goal", args=[activity.pk])).status_code == 404


def test_an_activitys_page_tells_its_leader_it_is_internal_until_published(goals_org, tree, login_client):
    leader = login_client(goals_org["leader"])
    page = leader.get(reverse("goals:detail", args=[tree["activity"].pk])).content.decode()
    publish_page = leader.get(reverse("openresults:goal_publish", args=[tree["activity"].pk])).content.decode()

    assert "Aktiviteten är intern tills du publicerar dess senaste uppföljning" in page
    assert reverse("openresults:goal_publish", args=[tree["activity"].pk]) in page
    assert "Det här är en aktivitet. Aktiviteter är interna" in publish_page
