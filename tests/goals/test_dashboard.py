"""A unit's dashboard: where are we (statuses rolled up with their explanation, indicators against their targets as
a chart with a table), where are we going, how do we get there; scoping (404) and queries that do not grow."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.models import FollowUp, Indicator, IndicatorTarget, Level, Measurement

pytestmark = pytest.mark.django_db

S = FollowUp.Status
END = datetime.date(2027, 12, 31)


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield


def dashboard(unit) -> str:
    return reverse("goals:dashboard", args=[unit.pk])


def indicator(goal, owner, name="Nöjda besökare", values=((2025, "61"), (2026, "70,5"), (2027, "78"))):
    made = Indicator.objects.create(
        municipality=goal.municipality, goal=goal, name=name, unit_of_measure="%", owner=owner,
        green_from=Decimal(80), red_from=Decimal(60),
    )  # fmt: skip
    for year, value in values:
        Measurement.objects.create(
            indicator=made, year=year, value=Decimal(value.replace(",", ".")), source="manual",
            recorded_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
    return made


def test_the_dashboard_answers_the_three_questions(goals_org, tree, make_goal, clock, login_client):
    leader = goals_org["leader"]
    made = indicator(tree["park"], leader)
    IndicatorTarget.objects.create(indicator=made, period=goals_org["period"], value=Decimal(85))
    second = make_goal(level=Level.ACTIVITY, title="Laga gungorna", parent_id=tree["park"].pk)
    follow_up_submit(
        actor=leader.user, goal=tree["activity"], covers_until=END, data=FollowUpInput(S.RED, "Ingen städar.")
    )
    follow_up_submit(actor=leader.user, goal=second, covers_until=END, data=FollowUpInput(S.GREEN))
    response = login_client(leader).get(dashboard(goals_org["team"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Var är vi?" in html and "Vart ska vi?" in html and "Hur tar vi oss dit?" in html
    assert "Röd eftersom 1 av 2 aktiviteter är röd." in html
    assert f'<a href="/mal/{tree["activity"].pk}/">Städa lekplatsen varje måndag</a> – Röd' in html
    assert "<svg" in html and 'class="target"' in html and "Målvärde 85" in html
    assert '<th scope="row">2026</th><td class="number">70,5</td>' in html
    assert "Laga gungorna" in html


def test_another_units_dashboard_is_404_and_a_leader_above_sees_it(goals_org, tree, login_client):
    assert login_client(goals_org["street_member"]).get(dashboard(goals_org["team"])).status_code == 404
    assert login_client(goals_org["chief"]).get(dashboard(goals_org["team"])).status_code == 200
    assert login_client(goals_org["member"]).get(dashboard(goals_org["team"])).status_code == 200


def test_the_dashboard_asks_the_same_queries_however_many_goals_indicators_and_values(
    goals_org, tree, make_goal, clock, login_client, assert_max_queries
):
    indicator(tree["park"], goals_org["leader"], name="Indikator i parken")
    # A yellow activity: the park goal's explanation names it (the roll-ups' second query) in both reads.
    follow_up_submit(
        actor=goals_org["leader"].user, goal=tree["activity"], covers_until=END, data=FollowUpInput(S.YELLOW, "Se.")
    )
    client = login_client(goals_org["chief"])
    url = dashboard(goals_org["team"])
    client.get(url)
    with assert_max_queries(40) as small:
        client.get(url)
    before = len(small)
    for index in range(6):
        goal = make_goal(title=f"Mål {index}", parent_id=tree["committee"].pk)
        indicator(goal, goals_org["leader"], name=f"Indikator {index}")
        for number in range(3):
            activity = make_goal(level=Level.ACTIVITY, title=f"Aktivitet {index}.{number}", parent_id=goal.pk)
            follow_up_submit(
                actor=goals_org["leader"].user,
                goal=activity,
                covers_until=END,
                data=FollowUpInput(S.YELLOW, "Se, varför, gör."),
            )
    client.get(url)  # the session, touched by the writes above, is saved once
    with assert_max_queries(before) as large:
        response = client.get(url)
    assert response.content.decode().count("Indikator ") >= 6
    assert len(large) == before


def test_the_tree_links_the_chosen_units_dashboard_and_report(goals_org, tree, login_client):
    html = (
        login_client(goals_org["leader"]).get(reverse("goals:index"), {"enhet": goals_org["team"].pk}).content.decode()
    )
    assert f'href="{dashboard(goals_org["team"])}?period={goals_org["period"].pk}"' in html
    assert reverse("goals:report", args=[goals_org["team"].pk]) in html
