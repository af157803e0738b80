"""The improvement work a unit's dashboard and a goal's page list (improvement.goals_link): the newest the reader sees,
a bounded number of them, and the others counted up to a hundred ("more than 100" beyond), the count including those
on boards the reader does not see. Read in a few queries, each bounded by its LIMIT, however many improvements name
the goals; a large unit (more than a hundred units below it) finds its improvements another way, with the same
result."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from brobygget.goals.models import Period
from brobygget.improvement import goals_link
from brobygget.improvement.goals_link import (
    DASHBOARD_IMPROVEMENTS_SHOWN,
    GOAL_IMPROVEMENTS_SHOWN,
    OTHERS_COUNTED,
    dashboard_section,
    goal_page_section,
)
from brobygget.improvement.models import Improvement
from tests.goals.conftest import TODAY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("travel")]


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


def add(goal, unit, owner, count, title="Förbättring"):
    """`count` improvements on `unit`'s board naming `goal`, one a minute: the last is the newest. Written directly,
    as a unit that moved in the tree could have left them (the service offers goals of the unit and above only)."""
    rows = Improvement.objects.bulk_create(
        Improvement(
            municipality=unit.municipality,
            unit=unit,
            goal=goal,
            owner=owner,
            created_by=owner,
            title=f"{title} {number}",
            problem="Ett problem.",
            value_for_resident="Ett värde.",
            idea="En idé.",
            measure="Ett mått.",
            stage_changed_at=TODAY,
        )
        for number in range(count)
    )
    for minute, row in enumerate(rows):
        row.created_at = TODAY - datetime.timedelta(days=1) + datetime.timedelta(minutes=minute)
    Improvement.objects.bulk_update(rows, ["created_at"])
    return rows


def period_of(goals_org):
    period = goals_org["period"]
    return Period(pk=period.pk, name=period.name, start=period.start, end=period.end)


def titles(section):
    return [item.title for item in section.context["improvements"]]


def others(section):
    context = section.context
    return context["others"], context["others_over"], context["others_seen"]


def test_the_dashboard_lists_the_newest_it_shows_and_counts_the_rest(goals_org, tree, login_client):
    add(tree["park"], goals_org["team"], goals_org["member"], DASHBOARD_IMPROVEMENTS_SHOWN + 5)
    section = dashboard_section(goals_org["admin_unit"], period_of(goals_org), goals_org["registrar"])
    assert titles(section) == [f"Förbättring {n}" for n in range(24, 4, -1)]
    assert others(section) == (5, False, True)

    html = login_client(goals_org["registrar"]).get(reverse("goals:dashboard", args=[goals_org["admin_unit"].pk]))
    text = html.content.decode()
    assert "Förbättring 24" in text and "Förbättring 4<" not in text
    assert "Och 5 förbättringar till." in text


def test_the_dashboard_counts_those_on_boards_the_reader_does_not_see(goals_org, tree, login_client):
    """The park team's leader reads their dashboard: an improvement on the street team's board that names the park
    goal is counted, never named."""
    add(tree["park"], goals_org["team"], goals_org["member"], 3, title="Parken")
    add(tree["park"], goals_org["street"], goals_org["street_member"], 2, title="Gatan")
    section = dashboard_section(goals_org["team"], period_of(goals_org), goals_org["leader"])
    assert titles(section) == ["Parken 2", "Parken 1", "Parken 0"]
    assert others(section) == (2, False, False)
    registrar = dashboard_section(goals_org["team"], period_of(goals_org), goals_org["registrar"])
    assert others(registrar) == (0, False, False)

    text = login_client(goals_org["leader"]).get(reverse("goals:dashboard", args=[goals_org["team"].pk])).content
    assert "Och 2 förbättringar på tavlor du inte ser." in text.decode()
    assert "Gatan" not in text.decode()


def test_more_than_a_hundred_others_are_counted_as_more_than_a_hundred(goals_org, tree, login_client):
    add(tree["park"], goals_org["team"], goals_org["member"], DASHBOARD_IMPROVEMENTS_SHOWN + OTHERS_COUNTED + 1)
    section = dashboard_section(goals_org["admin_unit"], period_of(goals_org), goals_org["chief"])
    assert len(titles(section)) == DASHBOARD_IMPROVEMENTS_SHOWN
    assert others(section) == (OTHERS_COUNTED, True, True)
    # Exactly a hundred others are a hundred.
    Improvement.objects.filter(title="Förbättring 0").delete()
    assert others(dashboard_section(goals_org["admin_unit"], period_of(goals_org), goals_org["chief"])) == (
        OTHERS_COUNTED,
        False,
        True,
    )
    add(tree["park"], goals_org["team"], goals_org["member"], 1, title="Ny")
    dashboard = reverse("goals:dashboard", args=[goals_org["admin_unit"].pk])
    assert "Och fler än 100 förbättringar till." in login_client(goals_org["chief"]).get(dashboard).content.decode()

    # A reader who sees none of them: the goal's page counts them all, as more than a hundred.
    page = login_client(goals_org["street_member"]).get(reverse("goals:detail", args=[tree["committee"].pk]))
    assert "Och fler än 100 förbättringar på tavlor du inte ser." not in page.content.decode()  # none name it
    Improvement.objects.filter(goal=tree["park"]).update(goal=tree["committee"])
    page = login_client(goals_org["street_member"]).get(reverse("goals:detail", args=[tree["committee"].pk]))
    text = page.content.decode()
    assert "Och fler än 100 förbättringar på tavlor du inte ser." in text
    newest = Improvement.objects.latest("created_at", "pk")
    assert reverse("improvement:detail", args=[newest.pk]) not in text and newest.title not in text


def test_the_goal_page_lists_the_newest_it_shows_and_counts_the_rest(goals_org, tree, login_client):
    add(tree["park"], goals_org["team"], goals_org["member"], GOAL_IMPROVEMENTS_SHOWN + 2)
    add(tree["park"], goals_org["street"], goals_org["street_member"], 3, title="Gatan")
    section = goal_page_section(tree["park"], goals_org["leader"])
    assert titles(section) == [f"Förbättring {n}" for n in range(51, 1, -1)]
    assert others(section) == (5, False, True)  # two older on the park team's board, three on the street team's
    street = goal_page_section(tree["park"], goals_org["street_member"])
    assert titles(street) == ["Gatan 2", "Gatan 1", "Gatan 0"]
    assert others(street) == (GOAL_IMPROVEMENTS_SHOWN + 2, False, False)
    assert others(goal_page_section(tree["park"], None)) == (GOAL_IMPROVEMENTS_SHOWN + 5, False, False)

    text = login_client(goals_org["leader"]).get(reverse("goals:detail", args=[tree["park"].pk])).content.decode()
    assert "Och 5 förbättringar till." in text


@pytest.mark.parametrize("reader", ["registrar", "chief", "leader", "street_leader", "member"])
def test_a_large_unit_finds_the_same_improvements_as_a_small_one(goals_org, tree, reader, monkeypatch):
    """Under a unit with more than a hundred units below it, the municipality's improvements that name a goal are read
    newest first (its own index); under a smaller one, those naming its units' goals. Both give the same."""
    add(tree["park"], goals_org["team"], goals_org["member"], 8, title="Parken")
    add(tree["street"], goals_org["street"], goals_org["street_member"], 7, title="Gatan")
    add(tree["committee"], goals_org["team"], goals_org["member"], 9, title="Nämnden")
    add(tree["vision"], goals_org["street"], goals_org["street_member"], 4, title="Visionen")
    add(tree["park"], goals_org["street"], goals_org["street_member"], 3, title="Fel tavla")
    person = goals_org[reader]
    found = {}
    for limit in (goals_link.UNIT_IDS_LIMIT, 0):
        monkeypatch.setattr(goals_link, "UNIT_IDS_LIMIT", limit)
        found[limit] = [
            (titles(section), others(section))
            for unit in ("root", "admin_unit", "team", "street")
            for section in [dashboard_section(goals_org[unit], period_of(goals_org), person)]
        ]
    assert found[0] == found[goals_link.UNIT_IDS_LIMIT]
    assert any(listed for listed, _others in found[0])


@pytest.mark.parametrize("large", [False, True])
def test_the_sections_ask_a_few_queries_however_many_improvements(
    goals_org, tree, large, monkeypatch, django_assert_num_queries
):
    """The unit's ids below it, the list, and the count (not read for a reader who sees every board and fewer
    improvements than are listed); the goal's page the list and the count."""
    if large:
        monkeypatch.setattr(goals_link, "UNIT_IDS_LIMIT", 0)
    period, unit = period_of(goals_org), goals_org["admin_unit"]
    add(tree["park"], goals_org["team"], goals_org["member"], 3)
    with django_assert_num_queries(2):
        dashboard_section(unit, period, goals_org["registrar"])
    with django_assert_num_queries(3):
        dashboard_section(unit, period, goals_org["chief"])
    with django_assert_num_queries(2):
        goal_page_section(tree["park"], goals_org["chief"])
    with django_assert_num_queries(1):
        goal_page_section(tree["park"], goals_org["registrar"])
    add(tree["park"], goals_org["team"], goals_org["member"], GOAL_IMPROVEMENTS_SHOWN + OTHERS_COUNTED + 10)
    with django_assert_num_queries(3):
        dashboard_section(unit, period, goals_org["registrar"])
    with django_assert_num_queries(3):
        dashboard_section(unit, period, goals_org["chief"])
    with django_assert_num_queries(2):
        goal_page_section(tree["park"], goals_org["chief"])
    with django_assert_num_queries(2):
        goal_page_section(tree["park"], goals_org["registrar"])


def test_a_reader_of_another_municipality_sees_none_of_them(goals_org, tree):
    from brobygget.organisation.models import Person, Role
    from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory

    add(tree["park"], goals_org["team"], goals_org["member"], 3)
    other = MunicipalityFactory(name="Grannby kommun", code="8002")
    stranger = PersonFactory(municipality=other, first_name="Granne", last_name="Gransson")
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=other, name="KS"), role=Role.REGISTRAR)
    reader = Person.objects.with_roles().get(pk=stranger.pk)
    for section in (
        goal_page_section(tree["park"], reader),
        dashboard_section(goals_org["admin_unit"], period_of(goals_org), reader),
    ):
        assert titles(section) == []
        assert others(section) == (3, False, False)
