"""The pages of "Våra mål": the first page holds the top of the tree (the vision, the council's and the committees'
goals, and any goal with no published goal above it), so it does not grow with the units; the goals of
förvaltningar and units, and activities, are listed in pages on the page of the goal they work towards. A kept page
asks nothing but the goal it shows; its queries do not grow with the goals below it."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from brobygget.openresults import goals as our_goals
from brobygget.openresults import views_goals

pytestmark = pytest.mark.django_db


def goals_shown(html: str) -> int:
    return html.count('class="public-goal ')


@pytest.fixture
def published(goals_org, tree, publish_goal, make_goal):
    """The whole tree published (vision, council, committee, park goal, its activity, street goal) and, under the
    committee goal, four more unit goals of the park team."""
    admin, chief, leader = goals_org["admin"], goals_org["chief"], goals_org["leader"]
    more = [make_goal(title=f"Parkmål {n}", parent_id=tree["committee"].pk) for n in range(4)]
    result = {}
    for name, goal, by in (
        ("vision", tree["vision"], admin),
        ("council", tree["council"], admin),
        ("committee", tree["committee"], chief),
        ("park", tree["park"], leader),
        ("activity", tree["activity"], leader),
        ("street", tree["street"], goals_org["street_leader"]),
        *((f"more{n}", goal, leader) for n, goal in enumerate(more)),
    ):
        result[name] = publish_goal(goal, by=by)
    return result


def test_the_first_page_holds_the_top_of_the_tree_and_links_the_goals_below(client, tree, published):
    html = client.get(reverse("openresults:our_goals")).content.decode()

    assert goals_shown(html) == 3
    assert tree["vision"].title in html and tree["council"].title in html and tree["committee"].title in html
    assert tree["park"].title not in html and tree["activity"].title not in html
    committee = published["committee"].pk
    assert f'href="/resultat/vara-mal/{committee}/#under">7 mål för förvaltningar och enheter arbetar mot detta' in html


def test_a_goals_page_lists_the_goals_below_it_nested_and_in_pages(client, tree, published, monkeypatch):
    monkeypatch.setattr(views_goals, "GOALS_PER_PAGE", 3)
    url = reverse("openresults:our_goal", args=[published["committee"].pk])

    pages = [client.get(f"{url}?sida={number}").content.decode() for number in (1, 2, 3, 99)]

    assert all("7 mål arbetar mot det här målet" in page for page in pages)
    assert [goals_shown(page) for page in pages] == [3, 3, 1, 1]  # past the last page: the last page
    assert "Sida 1 av 3" in pages[0] and 'href="?sida=2#under"' in pages[0]
    everything = "".join(pages[:3])
    for name in ("park", "activity", "street", "more0", "more3"):
        assert published[name].title in everything
    assert 'class="public-goal depth-1"' in everything  # the activity, a step in under its park goal
    # a goal of the first page without goals below it, and a goal listed below: no list of their own
    for name in ("vision", "park"):
        page = client.get(reverse("openresults:our_goal", args=[published[name].pk])).content.decode()
        assert 'id="under"' not in page


def test_the_tree_says_where_each_goal_is_listed(goals_org, tree, published):
    rows = {row.title: row for row in our_goals.public_goal_tree(municipality=goals_org["team"].municipality)}

    assert [rows[tree[name].title].section for name in ("vision", "council", "committee")] == [None, None, None]
    committee = published["committee"].pk
    assert {rows[tree[name].title].section for name in ("park", "activity", "street")} == {committee}
    assert rows[tree["committee"].title].below == 7 and rows[tree["park"].title].below == 0


def test_a_goal_with_no_published_goal_above_it_is_on_the_first_page_with_its_own_below(
    client, goals_org, tree, publish_goal
):
    park = publish_goal(tree["park"], by=goals_org["leader"])
    publish_goal(tree["activity"], by=goals_org["leader"])

    rows = our_goals.public_goal_tree(municipality=goals_org["team"].municipality)

    assert [(row.title, row.section, row.below) for row in rows] == [
        (tree["park"].title, None, 1),
        (tree["activity"].title, park.pk, 0),
    ]


def test_a_goals_page_asks_the_same_queries_whatever_is_below_it_and_nothing_but_the_goal_when_kept(
    client, published, django_assert_max_num_queries
):
    url = reverse("openresults:our_goal", args=[published["committee"].pk])
    cache.clear()
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(2):  # kept: the generation (and the face), nothing of the tree
        html = client.get(url).content.decode()
    assert published["street"].title in html
