"""The roll-up of status up the tree: both rules, their edges, their explanations in Swedish with the children that
decided them, a goal's own follow-up before its children's, and the whole period in a bounded number of queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from brobygget.goals import rollup
from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.models import FollowUp, Goal, Level, RollupRule
from brobygget.goals.rollup import Child, Rule, fold

pytestmark = pytest.mark.django_db

S = FollowUp.Status
WORST = Rule()
SHARE = Rule(RollupRule.Rule.SHARE, red_share=40, yellow_share=20)


def kids(*statuses: str | None, level: str = Level.ACTIVITY) -> list[Child]:
    return [Child(index, f"Aktivitet {index}", level, status) for index, status in enumerate(statuses, 1)]


def sv_fold(rule: Rule, children: list[Child]) -> tuple[str | None, str, list[Child]]:
    with translation.override("sv"):
        return fold(rule, children)


def test_the_worst_child_is_red_when_any_child_is_red_and_says_which():
    status, reason, deciding = sv_fold(WORST, kids(S.RED, S.GREEN, S.RED, S.GREEN, S.YELLOW))
    assert status == S.RED
    assert reason == "Röd eftersom 2 av 5 aktiviteter är röda."
    assert [child.title for child in deciding] == ["Aktivitet 1", "Aktivitet 3"]


def test_the_worst_child_is_yellow_without_red_and_green_without_either():
    status, reason, deciding = sv_fold(WORST, kids(S.GREEN, S.YELLOW, S.DONE))
    assert (status, reason) == (S.YELLOW, "Gul eftersom 1 av 3 aktiviteter är gul och ingen är röd.")
    assert [child.pk for child in deciding] == [2]
    status, reason, _ = sv_fold(WORST, kids(S.GREEN, S.DONE, level=Level.UNIT))
    assert (status, reason) == (S.GREEN, "Grön eftersom inga av 2 delmål är röda eller gula.")


def test_children_not_started_or_not_followed_up_are_not_counted_and_the_explanation_says_so():
    status, reason, _ = sv_fold(WORST, kids(S.GREEN, None, S.NOT_STARTED))
    assert status == S.GREEN
    assert reason.endswith("(2 av dem är inte påbörjade eller inte uppföljda och räknas inte.)")
    status, reason, _ = sv_fold(WORST, kids(None, S.NOT_STARTED))
    assert (status, reason) == (S.NOT_STARTED, "Ej påbörjad: inga av 2 aktiviteter är uppföljda ännu.")


@pytest.mark.parametrize("rule", ["worst", "share"])
def test_one_child_is_named_as_one_never_all_1_activities(rule):
    chosen = WORST if rule == "worst" else SHARE
    assert sv_fold(chosen, kids(S.DONE))[:2] == (S.DONE, "Klar: samma som dess enda aktivitet.")
    assert sv_fold(chosen, kids(S.RED))[:2] == (S.RED, "Röd: samma som dess enda aktivitet.")
    assert sv_fold(chosen, kids(S.YELLOW))[:2] == (S.YELLOW, "Gul: samma som dess enda aktivitet.")
    assert sv_fold(chosen, kids(S.GREEN, level=Level.UNIT))[:2] == (S.GREEN, "Grön: samma som dess enda delmål.")
    assert sv_fold(chosen, kids(None))[:2] == (
        S.NOT_STARTED,
        "Ej påbörjad: dess enda aktivitet har ingen uppföljning ännu.",
    )
    assert sv_fold(chosen, kids(S.RED))[2] == kids(S.RED)  # the child that decided is still named


def test_all_children_done_is_done_and_no_children_is_no_roll_up():
    assert sv_fold(WORST, kids(S.DONE, S.DONE))[:2] == (S.DONE, "Klar eftersom alla 2 aktiviteter är klara.")
    assert sv_fold(SHARE, kids(S.DONE))[0] == S.DONE
    assert fold(WORST, []) == (None, "", [])


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        # 2 of 5 red = 40 %: at the limit, red.
        ((S.RED, S.RED, S.GREEN, S.GREEN, S.GREEN), S.RED),
        # 1 of 5 red = 20 %, red or yellow 20 %: yellow (at the yellow limit), not red.
        ((S.RED, S.GREEN, S.GREEN, S.GREEN, S.GREEN), S.YELLOW),
        # 1 of 6 yellow = 17 %: under both limits, green.
        ((S.YELLOW, S.GREEN, S.GREEN, S.GREEN, S.GREEN, S.DONE), S.GREEN),
        # the not followed up are left out: 1 of 2 counted is red = 50 %.
        ((S.RED, S.GREEN, None, None, S.NOT_STARTED), S.RED),
    ],
)
def test_a_share_of_the_children_at_and_around_its_limits(statuses, expected):
    assert fold(SHARE, kids(*statuses))[0] == expected


def test_the_share_rule_explains_the_share_and_the_limit():
    status, reason, deciding = sv_fold(SHARE, kids(S.RED, S.RED, S.GREEN, S.GREEN, S.GREEN))
    assert status == S.RED
    assert reason == "Röd eftersom 2 av 5 uppföljda aktiviteter är röda (40 %; röd från 40 %)."
    assert len(deciding) == 2
    status, reason, deciding = sv_fold(SHARE, kids(S.RED, S.YELLOW, S.GREEN, S.GREEN, S.GREEN, S.GREEN))
    assert status == S.YELLOW
    assert reason == "Gul eftersom 2 av 6 uppföljda aktiviteter är röda eller gula (33 %; gul från 20 %)."
    assert {child.status for child in deciding} == {S.RED, S.YELLOW}


def follow(goal: Goal, by, status: str, analysis: str = "Vi ser, varför, vad vi gör.", day=datetime.date(2027, 12, 31)):
    return follow_up_submit(actor=by.user, goal=goal, covers_until=day, data=FollowUpInput(status, analysis))


@pytest.fixture
def clock():
    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        yield


def test_the_period_rolls_up_from_the_activities_to_the_vision(goals_org, tree, make_goal, clock):
    leader = goals_org["leader"]
    second = make_goal(level=Level.ACTIVITY, title="Laga gungorna", parent_id=tree["park"].pk)
    follow(tree["activity"], leader, S.RED)
    follow(second, leader, S.GREEN)
    rolled = rollup.period_rollup(period_id=goals_org["period"].pk, municipality_id=goals_org["team"].municipality_id)
    assert rolled[tree["park"].pk].rolled == S.RED
    assert rolled[tree["park"].pk].own is None
    # The committee goal has the park goal (red, rolled up) and the street goal (not followed up).
    assert rolled[tree["committee"].pk].rolled == S.RED
    assert rolled[tree["vision"].pk].effective == S.RED
    # A goal's own follow-up is its effective status; its children still explain the rolled-up one.
    follow(tree["park"], leader, S.YELLOW)
    rolled = rollup.period_rollup(period_id=goals_org["period"].pk, municipality_id=goals_org["team"].municipality_id)
    assert rolled[tree["park"].pk].effective == S.YELLOW
    assert rolled[tree["park"].pk].rolled == S.RED
    assert rolled[tree["committee"].pk].rolled == S.YELLOW


def test_the_municipalitys_rule_is_read_from_the_admins_row(goals_org, tree, make_goal, clock):
    municipality = goals_org["team"].municipality
    for index in range(4):
        activity = make_goal(level=Level.ACTIVITY, title=f"Aktivitet {index}", parent_id=tree["park"].pk)
        follow(activity, goals_org["leader"], S.GREEN)
    follow(tree["activity"], goals_org["leader"], S.RED)  # 1 of 5 red
    period = goals_org["period"].pk
    assert rollup.period_rollup(period_id=period, municipality_id=municipality.pk)[tree["park"].pk].rolled == S.RED
    RollupRule.objects.create(municipality=municipality, rule=RollupRule.Rule.SHARE, red_share=50, yellow_share=20)
    assert rollup.period_rollup(period_id=period, municipality_id=municipality.pk)[tree["park"].pk].rolled == S.YELLOW


def test_the_roll_up_of_a_period_asks_the_same_queries_however_deep_and_large(goals_org, tree, make_goal, clock):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rollup.period_rollup(period_id=goals_org["period"].pk, municipality_id=goals_org["team"].municipality_id)
        return len(queries)

    small = count()
    parent = tree["activity"]
    for depth in range(6):  # deeper
        parent = make_goal(level=Level.ACTIVITY, title=f"Steg {depth}", parent_id=parent.pk)
        follow(parent, goals_org["leader"], S.GREEN)
    for index in range(10):  # wider
        make_goal(level=Level.ACTIVITY, title=f"Bredd {index}", parent_id=tree["park"].pk)
    assert count() == small == 2


@pytest.mark.parametrize("rule", [WORST, SHARE, Rule(RollupRule.Rule.SHARE, red_share=100, yellow_share=1)])
def test_the_fast_fold_of_a_tree_agrees_with_the_explained_one(rule):
    import itertools

    statuses = [S.GREEN, S.YELLOW, S.RED, S.DONE, S.NOT_STARTED, None]
    for size in range(1, 4):
        for combination in itertools.product(statuses, repeat=size):
            assert rollup.fold_status(rule, kids(*combination)) == fold(rule, kids(*combination))[0], combination
