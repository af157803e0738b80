"""The goal pages: the tree of a period with its unit filter, a goal's page, the forms, copying down, the next
period; scoping (404 for another unit's internal goals and for another municipality) and query counts."""

import re

import pytest
import time_machine
from django.urls import reverse

from brobygget.goals import services
from brobygget.goals.models import Goal, GoalChange, Level, Period
from brobygget.organisation.models import Role
from tests.factories import MembershipFactory, PersonFactory, UnitFactory
from tests.goals.conftest import TODAY, goal_input, sv

pytestmark = pytest.mark.django_db


def titles(html: str) -> list[str]:
    """The goals' titles in the tree, in order."""
    return re.findall(r'<a href="/mal/\d+/">([^<]+)</a>', html)


# The whole tree of the `tree` fixture in order, as a reader who sees every unit reads it.
EVERY_GOAL = [
    "Strängnäs – där alla trivs",
    "En attraktiv kommun",
    "Trygga offentliga miljöer",
    "Rena lekplatser",
    "Städa lekplatsen varje måndag",
    "Säkra övergångsställen",
]


def detail(goal: Goal) -> str:
    return reverse("goals:detail", args=[goal.pk])


def test_the_tree_shows_the_period_indented_by_level(goals_org, tree, login_client):
    response = login_client(goals_org["chief"]).get(reverse("goals:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert titles(html) == EVERY_GOAL
    assert 'class="depth-4"' in html and 'class="depth-3"' in html
    assert "Mål 2027" in html  # the heading, in Swedish


def test_staff_see_the_shared_levels_and_only_the_goals_of_units_they_see(goals_org, tree, login_client):
    html = login_client(goals_org["street_member"]).get(reverse("goals:index")).content.decode()
    assert titles(html) == [
        "Strängnäs – där alla trivs",
        "En attraktiv kommun",
        "Trygga offentliga miljöer",
        "Säkra övergångsställen",
    ]


@pytest.mark.parametrize("reader", ["registrar", "admin"])
def test_registrars_and_administrators_read_every_goal_of_the_municipality(goals_org, tree, login_client, reader):
    """They see every unit (organisation.scoping), so the tree lists the units' goals and activities too, and every
    goal's page opens."""
    client = login_client(goals_org[reader])
    assert titles(client.get(reverse("goals:index")).content.decode()) == EVERY_GOAL
    for goal in tree.values():
        assert client.get(detail(goal)).status_code == 200


def test_another_units_internal_goals_and_another_municipalitys_are_404(goals_org, tree, login_client):
    street = login_client(goals_org["street_member"])
    assert street.get(detail(tree["park"])).status_code == 404
    assert street.get(detail(tree["activity"])).status_code == 404
    assert street.get(reverse("goals:edit", args=[tree["park"].pk])).status_code == 404
    assert street.get(reverse("goals:copy_down", args=[tree["park"].pk])).status_code == 404
    assert street.get(detail(tree["committee"])).status_code == 200

    unit = UnitFactory(code="ANNAN")
    outsider = PersonFactory(municipality=unit.municipality)
    MembershipFactory(person=outsider, unit=unit, role=Role.ADMIN)
    other = login_client(outsider)
    for name in ("vision", "committee", "park"):
        assert other.get(detail(tree[name])).status_code == 404
    assert other.get(reverse("goals:new", args=[goals_org["team"].pk])).status_code == 404
    assert "Strängnäs" not in other.get(reverse("goals:index")).content.decode()


def test_the_unit_filter_shows_a_units_goals_and_what_they_contribute_to(goals_org, tree, login_client):
    client = login_client(goals_org["chief"])
    html = client.get(reverse("goals:index"), {"enhet": goals_org["team"].pk}).content.decode()
    assert titles(html) == [
        "Strängnäs – där alla trivs",
        "En attraktiv kommun",
        "Trygga offentliga miljöer",
        "Rena lekplatser",
        "Städa lekplatsen varje måndag",
    ]
    # The filter opens the chosen unit's level, as the inbox's does.
    assert f'<option value="{goals_org["team"].pk}" selected>' in html


def test_the_goal_page_shows_its_fields_links_and_history(goals_org, tree, login_client):
    park = tree["park"]
    services.goal_update(
        actor=goals_org["leader"].user,
        goal=park,
        data=goal_input(goals_org["leader"], title="Rena och hela lekplatser", parent_id=park.parent_id),
    )
    html = login_client(goals_org["leader"]).get(detail(park)).content.decode()
    assert "Rena och hela lekplatser" in html
    assert f'href="{detail(tree["committee"])}"' in html  # what it contributes to
    assert f'href="{detail(tree["activity"])}"' in html  # what contributes to it
    assert "Ändringshistorik" in html
    assert "Rubrik: ”Rena lekplatser” → ”Rena och hela lekplatser”" in html
    assert "Lena Ledare" in html  # who changed it
    assert reverse("goals:edit", args=[park.pk]) in html


def test_the_goal_page_names_a_goal_the_reader_may_not_see_without_its_title(goals_org, tree, login_client):
    html = login_client(goals_org["street_member"]).get(detail(tree["committee"])).content.decode()
    assert "Säkra övergångsställen" in html  # their own unit's
    assert "Rena lekplatser" not in html  # the park team's, which they do not see
    assert f'href="{detail(tree["park"])}"' not in html
    assert reverse("goals:edit", args=[tree["committee"].pk]) not in html  # they may not edit


def test_the_tree_asks_the_same_number_of_queries_however_large(
    goals_org, tree, make_goal, login_client, assert_max_queries
):
    client = login_client(goals_org["chief"])
    url = reverse("goals:index")
    client.get(url)
    with assert_max_queries(20) as small:
        client.get(url, {"enhet": goals_org["team"].pk})
    for index in range(15):
        make_goal(title=f"Mål {index}", parent_id=tree["park"].pk, level=Level.ACTIVITY)
    with assert_max_queries(len(small)) as large:
        response = client.get(url, {"enhet": goals_org["team"].pk})
    assert len(titles(response.content.decode())) == 20
    assert len(large) == len(small)
    with assert_max_queries(len(small)):
        client.get(url)


def test_the_goal_page_asks_the_same_number_of_queries_however_many_children_and_changes(
    goals_org, tree, make_goal, login_client, assert_max_queries
):
    client = login_client(goals_org["leader"])
    park = tree["park"]
    client.get(detail(park))
    # The session, the account and the person; the goal, its links, history and principles; the follow-ups, the
    # improvement work (two), the indicators and "Våra mål"; the session saved (three statements).
    with assert_max_queries(15) as small:
        client.get(detail(park))
    for index in range(10):
        make_goal(title=f"Aktivitet {index}", parent_id=park.pk, level=Level.ACTIVITY)
        services.goal_update(
            actor=goals_org["leader"].user,
            goal=park,
            data=goal_input(goals_org["leader"], title=f"Rena lekplatser {index}", parent_id=park.parent_id),
        )
    with assert_max_queries(len(small)) as large:
        response = client.get(detail(park))
    assert response.content.decode().count("Aktivitet ") == 10
    assert len(large) == len(small)


def test_a_leader_creates_a_goal_under_a_goal_from_the_form(goals_org, tree, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:new", args=[goals_org["team"].pk])
    form = client.get(url, {"overordnat": tree["park"].pk})
    assert form.status_code == 200
    assert f'<option value="{tree["park"].pk}" selected>' in form.content.decode()
    response = client.post(
        url,
        {
            "period": goals_org["period"].pk,
            "level": Level.ACTIVITY,
            "title": "Byta sand i sandlådan",
            "description": "",
            "responsible": goals_org["member"].pk,
            "parent": tree["park"].pk,
        },
    )
    goal = Goal.objects.get(title="Byta sand i sandlådan")
    assert response.status_code == 302 and response.url == detail(goal)
    assert goal.parent == tree["park"] and goal.responsible == goals_org["member"]


def test_a_refused_form_says_why_in_swedish_and_keeps_what_was_typed(goals_org, tree, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:new", args=[goals_org["team"].pk])
    before = Goal.objects.count()
    response = client.post(
        url,
        {
            "period": goals_org["period"].pk,
            "level": Level.UNIT,
            "title": "",
            "description": "Det här skrev jag",
            "responsible": goals_org["member"].pk,
            "parent": tree["street"].pk,  # not offered: another unit's goal
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert sv(services.ERROR_TITLE_EMPTY) in html
    assert sv(services.ERROR_PARENT_NOT_ALLOWED) in html
    assert "Det här skrev jag" in html
    assert Goal.objects.count() == before
    control = client.post(
        url,
        {
            "period": goals_org["period"].pk,
            "level": Level.UNIT,
            "title": "Ren\x01",
            "responsible": goals_org["member"].pk,
        },
    )
    assert control.status_code == 400 and "Ren" in control.content.decode()
    assert Goal.objects.count() == before


def test_the_tree_offers_a_new_goal_only_where_the_person_may_add_one(goals_org, tree, login_client):
    new_park_goal = reverse("goals:new", args=[goals_org["team"].pk])
    url = reverse("goals:index")
    chosen = {"enhet": goals_org["team"].pk}
    assert new_park_goal in login_client(goals_org["leader"]).get(url).content.decode()
    assert new_park_goal in login_client(goals_org["chief"]).get(url, chosen).content.decode()
    assert new_park_goal not in login_client(goals_org["member"]).get(url, chosen).content.decode()
    assert new_park_goal not in login_client(goals_org["street_leader"]).get(url, chosen).content.decode()


def test_staff_who_may_not_edit_get_no_form(goals_org, tree, login_client):
    member = login_client(goals_org["member"])
    assert member.get(reverse("goals:new", args=[goals_org["team"].pk])).status_code == 403
    assert member.get(reverse("goals:edit", args=[tree["park"].pk])).status_code == 403
    assert member.post(reverse("goals:copy_down", args=[tree["committee"].pk])).status_code == 403
    assert not Goal.objects.filter(origin__isnull=False).exists()


def test_editing_a_goal_archives_it_and_the_tree_no_longer_shows_it(goals_org, tree, login_client):
    client = login_client(goals_org["leader"])
    activity = tree["activity"]
    response = client.post(
        reverse("goals:edit", args=[activity.pk]),
        {
            "level": Level.ACTIVITY,
            "title": activity.title,
            "description": activity.description,
            "responsible": goals_org["leader"].pk,
            "parent": tree["park"].pk,
            "archived": "on",
        },
    )
    assert response.status_code == 302
    assert activity.title not in titles(client.get(reverse("goals:index")).content.decode())
    assert client.get(detail(activity)).status_code == 200  # nothing is deleted
    assert GoalChange.objects.filter(goal=activity, kind=GoalChange.Kind.UPDATED).exists()


def test_copy_down_asks_for_a_confirmation_then_copies(goals_org, tree, login_client):
    client = login_client(goals_org["chief"])
    url = reverse("goals:copy_down", args=[tree["committee"].pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Parkenheten" in html and "Gatuenheten" in html
    assert not Goal.objects.filter(origin=tree["committee"]).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert Goal.objects.filter(origin=tree["committee"]).count() == 2
    again = client.get(detail(tree["committee"])).content.decode()
    assert "Kopior" in again


@time_machine.travel(TODAY, tick=False)
def test_an_administrator_starts_the_next_period_from_the_page(goals_org, tree, login_client):
    assert login_client(goals_org["chief"]).get(reverse("goals:period_new")).status_code == 403
    client = login_client(goals_org["admin"])
    refused = client.post(
        reverse("goals:period_new"),
        {"name": "2027", "start": "2028-01-01", "end": "2028-12-31", "previous": goals_org["period"].pk},
    )
    assert refused.status_code == 200 and sv(services.ERROR_PERIOD_NAME_TAKEN) in refused.content.decode()
    response = client.post(
        reverse("goals:period_new"),
        {"name": "2028", "start": "2028-01-01", "end": "2028-12-31", "previous": goals_org["period"].pk},
    )
    period = Period.objects.get(name="2028")
    assert response.status_code == 302 and response.url == f"{reverse('goals:index')}?period={period.pk}"
    assert Goal.objects.filter(period=period).count() == 6
    # In 2027 the period running then is shown first, not the latest.
    assert "<h1>Mål 2027</h1>" in client.get(reverse("goals:index")).content.decode()
    assert titles(client.get(response.url).content.decode())[0] == "Strängnäs – där alla trivs"


def test_a_municipality_without_periods_says_so(org, login_client):
    html = login_client(org["member"]).get(reverse("goals:index")).content.decode()
    assert "Ingen period har startats ännu." in html


def test_the_menu_links_the_goals(goals_org, login_client):
    html = login_client(goals_org["member"]).get(reverse("my_page")).content.decode()
    assert f'href="{reverse("goals:index")}"' in html
