"""The link between improvements and goals: an improvement names the goal it contributes to (a goal of its unit or a
unit above it, chosen on its form from the current period), shown on the improvement's page, and the goal's page
shows the improvement work that moves it (goals.sections.GOAL_PAGE, which improvement registers into)."""

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from brobygget.goals.models import Level
from brobygget.improvement import services as improvement_services
from brobygget.improvement.models import Improvement
from tests.goals.conftest import TODAY, sv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("travel")]


@pytest.fixture
def travel():
    with time_machine.travel(TODAY, tick=False):
        yield


def improvement_data(goals_org, **fields):
    data = {
        "title": "Färre klotterklagomål",
        "problem": "Invånare ser klotter på lekplatsen.",
        "value_for_resident": "En ren lekplats.",
        "idea": "Tvätta bort klotter inom ett dygn.",
        "measure": "Antal klagomål per månad.",
        "owner": goals_org["member"].pk,
    }
    data.update(fields)
    return data


def goal_options(html: str) -> list[str]:
    select = re.search(r'<select name="goal".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="(\d+)"', select.group(0))


def test_the_form_offers_the_current_periods_goals_of_the_unit_and_above_that_the_person_reads(
    goals_org, tree, login_client
):
    html = login_client(goals_org["member"]).get(reverse("improvement:new", args=[goals_org["team"].pk])).content
    offered = goal_options(html.decode())
    assert offered == [str(tree[name].pk) for name in ("vision", "council", "committee", "park", "activity")]
    assert str(tree["street"].pk) not in offered  # a unit beside it


def test_an_improvement_names_its_goal_and_both_pages_show_the_link(goals_org, tree, login_client):
    client = login_client(goals_org["member"])
    response = client.post(
        reverse("improvement:new", args=[goals_org["team"].pk]), improvement_data(goals_org, goal=tree["park"].pk)
    )
    improvement = Improvement.objects.get(title="Färre klotterklagomål")
    assert response.status_code == 302 and improvement.goal == tree["park"]

    page = client.get(reverse("improvement:detail", args=[improvement.pk])).content.decode()
    assert f'href="{reverse("goals:detail", args=[tree["park"].pk])}"' in page
    goal_page = client.get(reverse("goals:detail", args=[tree["park"].pk])).content.decode()
    assert f'href="{reverse("improvement:detail", args=[improvement.pk])}"' in goal_page
    assert "Färre klotterklagomål" in goal_page


def test_the_improvements_form_changes_and_clears_the_goal(goals_org, tree, login_client):
    client = login_client(goals_org["member"])
    client.post(
        reverse("improvement:new", args=[goals_org["team"].pk]), improvement_data(goals_org, goal=tree["park"].pk)
    )
    improvement = Improvement.objects.get()
    edit = reverse("improvement:edit", args=[improvement.pk])
    assert f'<option value="{tree["park"].pk}" selected>' in client.get(edit).content.decode()
    client.post(edit, improvement_data(goals_org, goal=tree["committee"].pk))
    improvement.refresh_from_db()
    assert improvement.goal == tree["committee"]
    client.post(edit, improvement_data(goals_org, goal=""))
    improvement.refresh_from_db()
    assert improvement.goal is None


def test_a_goal_of_another_unit_is_refused_with_the_text_kept(goals_org, tree, login_client):
    client = login_client(goals_org["member"])
    response = client.post(
        reverse("improvement:new", args=[goals_org["team"].pk]),
        improvement_data(goals_org, goal=tree["street"].pk),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert sv(improvement_services.ERROR_GOAL_NOT_ALLOWED) in html
    assert "Tvätta bort klotter inom ett dygn." in html
    assert not Improvement.objects.exists()

    # The service refuses it too, whatever the form offered.
    from tests.improvement.conftest import improvement_input

    with pytest.raises(ValidationError) as refused:
        improvement_services.improvement_raise(
            actor=goals_org["member"].user,
            unit=goals_org["team"],
            data=improvement_input(goals_org["member"], goal_id=tree["street"].pk),
        )
    assert "goal" in refused.value.message_dict


def test_the_goal_page_names_improvements_on_boards_the_reader_does_not_see_by_count_only(
    goals_org, tree, login_client
):
    from tests.improvement.conftest import improvement_input

    improvement_services.improvement_raise(
        actor=goals_org["member"].user,
        unit=goals_org["team"],
        data=improvement_input(goals_org["member"], title="Parkens förbättring", goal_id=tree["committee"].pk),
    )
    html = login_client(goals_org["street_member"]).get(reverse("goals:detail", args=[tree["committee"].pk]))
    text = html.content.decode()
    assert "Parkens förbättring" not in text
    assert "1 förbättring på en tavla du inte ser" in text


def test_the_improvement_page_does_not_name_a_goal_its_reader_may_not_see(goals_org, tree, login_client, make_goal):
    from tests.improvement.conftest import improvement_input

    # A goal of the förvaltning (its unit level): the park team's staff do not read it, but an improvement may name it.
    internal = make_goal(by=goals_org["chief"], unit=goals_org["admin_unit"], level=Level.UNIT, title="Internt mål")
    improvement = improvement_services.improvement_raise(
        actor=goals_org["chief"].user,
        unit=goals_org["team"],
        data=improvement_input(goals_org["member"], goal_id=internal.pk),
    )
    page = login_client(goals_org["member"]).get(reverse("improvement:detail", args=[improvement.pk])).content
    assert "Internt mål" not in page.decode()
    assert (
        "Internt mål"
        in login_client(goals_org["chief"]).get(reverse("improvement:detail", args=[improvement.pk])).content.decode()
    )


def test_the_goal_page_with_improvements_asks_the_same_number_of_queries_however_many(
    goals_org, tree, login_client, assert_max_queries
):
    from tests.improvement.conftest import improvement_input

    client = login_client(goals_org["member"])
    url = reverse("goals:detail", args=[tree["park"].pk])

    def raise_one(index):
        improvement_services.improvement_raise(
            actor=goals_org["member"].user,
            unit=goals_org["team"],
            data=improvement_input(goals_org["member"], title=f"Förbättring {index}", goal_id=tree["park"].pk),
        )

    raise_one(0)
    client.get(url)
    with assert_max_queries(30) as small:
        client.get(url)
    for index in range(1, 12):
        raise_one(index)
    with assert_max_queries(len(small)) as large:
        response = client.get(url)
    assert response.content.decode().count("Förbättring ") == 12
    assert len(large) == len(small)


def test_an_improvement_keeps_its_goal_when_the_goal_is_archived(goals_org, tree, login_client):
    from brobygget.goals import services as goal_services
    from tests.goals.conftest import goal_input

    client = login_client(goals_org["member"])
    client.post(
        reverse("improvement:new", args=[goals_org["team"].pk]), improvement_data(goals_org, goal=tree["park"].pk)
    )
    improvement = Improvement.objects.get()
    park = tree["park"]
    goal_services.goal_update(
        actor=goals_org["leader"].user,
        goal=park,
        data=goal_input(goals_org["leader"], title=park.title, parent_id=park.parent_id, archived=True),
    )
    edit = reverse("improvement:edit", args=[improvement.pk])
    assert f'<option value="{park.pk}" selected>' in client.get(edit).content.decode()
    response = client.post(edit, improvement_data(goals_org, title="Färre klotterklagomål i parken", goal=park.pk))
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.goal == park and improvement.title == "Färre klotterklagomål i parken"


def test_the_units_dashboard_shows_the_improvement_work_towards_its_goals(goals_org, tree, login_client):
    """How do we get there: the improvements that name a goal of the unit or below, on boards the reader sees."""
    client = login_client(goals_org["member"])
    client.post(
        reverse("improvement:new", args=[goals_org["team"].pk]), improvement_data(goals_org, goal=tree["park"].pk)
    )
    dashboard = reverse("goals:dashboard", args=[goals_org["admin_unit"].pk])

    chief = login_client(goals_org["chief"]).get(dashboard).content.decode()
    street = login_client(goals_org["street_leader"]).get(reverse("goals:dashboard", args=[goals_org["street"].pk]))

    assert "Färre klotterklagomål" in chief and "Förbättringsarbete mot målen" in chief
    assert "Färre klotterklagomål" not in street.content.decode()  # the street team's goals have none
