"""The "Våra mål" section of a goal's staff page (openresults.views_goals.goal_page_section): whether the goal is
published, with a link to the publication, and for those who may change the goal the way to publish it; nothing for
the others while the goal is unpublished."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTION = 'id="our-goals-title"'


def goal_page(client, goal) -> str:
    return client.get(reverse("goals:detail", args=[goal.pk])).content.decode()


def test_an_unpublished_goal_offers_those_who_may_change_it_to_publish_it_and_shows_the_others_nothing(
    goals_org, tree, login_client
):
    publish = reverse("openresults:goal_publish", args=[tree["park"].pk])
    for name in ("leader", "chief", "admin"):  # its unit's leader, the leader above it, an administrator
        html = goal_page(login_client(goals_org[name]), tree["park"])
        assert SECTION in html and "Målet är inte publikt." in html and publish in html
    for name in ("member", "registrar"):
        html = goal_page(login_client(goals_org[name]), tree["park"])
        assert SECTION not in html and publish not in html


def test_a_published_goal_links_its_publication_for_all_who_read_the_goal(goals_org, tree, login_client, publish_goal):
    publication = publish_goal(tree["park"], by=goals_org["leader"])
    shown = reverse("openresults:our_goal", args=[publication.pk])
    publish = reverse("openresults:goal_publish", args=[tree["park"].pk])

    member = goal_page(login_client(goals_org["member"]), tree["park"])
    leader = goal_page(login_client(goals_org["leader"]), tree["park"])

    published = "Uppföljningen till och med 30 april 2027 är publicerad på kommunens öppna sidor."
    assert published in member and f'href="{shown}"' in member and publish not in member
    assert published in leader and f'href="{shown}"' in leader and publish in leader
