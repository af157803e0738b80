"""The kept roll-up (goals.kept): after every kind of write through the services, on a random tree, each goal's kept
row equals the one computed from scratch, and what the pages read from it (status, explanation, the children named)
equals goals.rollup's fold of the whole period; the municipality's rule changed in the admin, a new period, and the
rows a migration or the scale data write, likewise."""

import contextlib
import datetime
import io
import random

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from brobygget.goals import rollup, services
from brobygget.goals.admin import RollupRuleAdmin
from brobygget.goals.followups import FollowUpInput, follow_up_submit, span_ends
from brobygget.goals.kept import COUNT_NAMES, goal_rows, kept_rebuild, kept_rollups, rows_computed
from brobygget.goals.models import LEVELS, FollowUp, Goal, GoalChange, GoalRollup, Level, Rhythm, RollupRule

pytestmark = pytest.mark.django_db

S = FollowUp.Status
STATUSES = [S.GREEN, S.YELLOW, S.RED, S.DONE, S.NOT_STARTED]


def state(row) -> tuple:
    return (
        row.own or "",
        row.own_until,
        row.rolled or "",
        row.effective or "",
        *(getattr(row, n) for n in COUNT_NAMES),
    )


def assert_kept_is_computed(municipality_id: int, period_id: int) -> None:
    kept = {row.goal_id: state(row) for row in GoalRollup.objects.filter(goal__municipality_id=municipality_id)}
    rule = rollup.rule_for(municipality_id=municipality_id)
    computed = {
        row.goal_id: state(row)
        for row in rows_computed(goal_rows(Goal, FollowUp, municipality_id=municipality_id), rule)
    }
    assert kept == computed
    # What the pages read equals the fold of the whole period from scratch (the goals not archived).
    shown = list(Goal.objects.filter(period_id=period_id, archived=False).values_list("pk", flat=True))
    with translation.override("sv"):
        read = kept_rollups(goal_ids=shown, municipality_id=municipality_id)
        folded = rollup.period_rollup(period_id=period_id, municipality_id=municipality_id)
        for pk in shown:
            one, other = read[pk], folded[pk]
            assert (one.own, one.rolled, one.effective) == (other.own, other.rolled, other.effective), pk
            assert one.reason == other.reason, pk
            assert [child.pk for child in one.deciding] == [child.pk for child in other.deciding], pk


class RandomTree:
    """Goals of the four units made, followed up, moved, archived and copied down at random, through the services."""

    def __init__(self, goals_org, seed: int):
        self.org = goals_org
        self.rng = random.Random(seed)
        self.actor = goals_org["admin"].user
        self.period = goals_org["period"]
        self.units = {
            "root": (goals_org["root"], goals_org["admin"], Level.COUNCIL),
            "admin_unit": (goals_org["admin_unit"], goals_org["chief"], Level.COMMITTEE),
            "team": (goals_org["team"], goals_org["leader"], Level.UNIT),
            "street": (goals_org["street"], goals_org["street_leader"], Level.UNIT),
        }
        self.number = 0

    def _goals(self):
        return list(Goal.objects.filter(period=self.period).select_related("unit").order_by("pk"))

    def _parents(self, unit, level: str, below: str = ""):
        allowed = {unit.pk, *unit.ancestor_ids}
        return [
            goal
            for goal in self._goals()
            if goal.unit_id in allowed
            and not goal.archived
            and LEVELS.index(goal.level) <= LEVELS.index(level)
            and not (below and goal.path.startswith(below))
        ]

    def create(self) -> None:
        unit, responsible, level = self.units[self.rng.choice(list(self.units))]
        if level == Level.UNIT and self.rng.random() < 0.5:
            level = Level.ACTIVITY
        parents = self._parents(unit, level)
        parent = self.rng.choice(parents) if parents and self.rng.random() < 0.9 else None
        self.number += 1
        services.goal_create(
            actor=self.actor,
            unit=unit,
            period=self.period,
            data=services.GoalInput(
                level=level,
                title=f"G{self.number:03d}",
                responsible_id=responsible.pk,
                parent_id=parent.pk if parent else None,
                rhythm=Rhythm.MONTHLY,
            ),
        )

    def follow_up(self) -> None:
        goals = [goal for goal in self._goals() if not goal.archived]
        goal = self.rng.choice(goals)
        done = set(FollowUp.objects.filter(goal=goal).values_list("covers_until", flat=True))
        spans = [
            end for end in span_ends(goal.rhythm, self.period.start, datetime.date(2027, 12, 31)) if end not in done
        ]
        if not spans:
            return
        status = self.rng.choice(STATUSES)
        follow_up_submit(
            actor=self.actor,
            goal=goal,
            covers_until=self.rng.choice(spans),
            data=FollowUpInput(status, "Vi ser, varför, vad vi gör." if status in (S.YELLOW, S.RED) else ""),
        )

    def update(self) -> None:
        goal = self.rng.choice(self._goals())
        level = goal.level
        if goal.unit_id in (self.org["team"].pk, self.org["street"].pk) and self.rng.random() < 0.3:
            level = Level.ACTIVITY if level == Level.UNIT else Level.UNIT
        parents = self._parents(goal.unit, level, below=goal.path)
        parent_id = goal.parent_id
        if self.rng.random() < 0.6:
            parent_id = self.rng.choice(parents).pk if parents and self.rng.random() < 0.9 else None
        archived = goal.archived if self.rng.random() < 0.7 else not goal.archived
        with contextlib.suppress(ValidationError):  # a level above its new parent's, say: refused, nothing written
            services.goal_update(
                actor=self.actor,
                goal=goal,
                data=services.GoalInput(
                    level=level,
                    title=goal.title,
                    responsible_id=goal.responsible_id,
                    parent_id=parent_id,
                    archived=archived,
                    rhythm=goal.rhythm,
                ),
            )

    def copy_down(self) -> None:
        goals = [
            goal
            for goal in self._goals()
            if not goal.archived and goal.level != Level.ACTIVITY and goal.unit_id != self.org["team"].pk
        ]
        goals = [goal for goal in goals if goal.unit_id != self.org["street"].pk]
        if goals:
            services.goal_copy_down(actor=self.actor, goal=self.rng.choice(goals))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_roll_up_equals_the_one_computed_from_scratch_after_every_write(goals_org, seed):
    municipality_id, period_id = goals_org["root"].municipality_id, goals_org["period"].pk
    tree = RandomTree(goals_org, seed)
    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        for _ in range(8):
            tree.create()
        assert_kept_is_computed(municipality_id, period_id)
        for step in range(70):
            action = tree.rng.choices([tree.create, tree.follow_up, tree.update, tree.copy_down], [3, 5, 3, 1])[0]
            action()
            if step % 7 == 6:
                assert_kept_is_computed(municipality_id, period_id)
        assert_kept_is_computed(municipality_id, period_id)
        # Every kind of write happened: follow-ups, moves, goals archived, copies.
        assert FollowUp.objects.count() > 10
        assert GoalChange.objects.filter(changes__has_key="parent").exists()
        assert Goal.objects.filter(archived=True).exists()
        assert Goal.objects.filter(origin__isnull=False).exists()
        # The municipality's rule changed in the admin: every roll-up again, in the same transaction.
        rule = RollupRule(municipality_id=municipality_id, rule=RollupRule.Rule.SHARE, red_share=30, yellow_share=10)
        RollupRuleAdmin(RollupRule, admin.site).save_model(RequestFactory().post("/"), rule, None, False)
        assert_kept_is_computed(municipality_id, period_id)
        for _ in range(20):
            tree.rng.choice([tree.create, tree.follow_up, tree.update])()
        assert_kept_is_computed(municipality_id, period_id)
        RollupRuleAdmin(RollupRule, admin.site).delete_model(RequestFactory().post("/"), rule)
        assert_kept_is_computed(municipality_id, period_id)
        # The next period starts from a copy: its goals' rows too.
        period = services.period_start_from(
            actor=tree.actor,
            previous=goals_org["period"],
            name="2028",
            start=datetime.date(2028, 1, 1),
            end=datetime.date(2028, 12, 31),
        )
        assert Goal.objects.filter(period=period).count() == GoalRollup.objects.filter(goal__period=period).count() > 0
        assert_kept_is_computed(municipality_id, period.pk)
    # Rows written from scratch (the migration, the scale data, goals_rollup_rebuild) are the same rows.
    before = {row.goal_id: state(row) for row in GoalRollup.objects.all()}
    assert kept_rebuild(municipality_id=municipality_id) == len(before)
    assert {row.goal_id: state(row) for row in GoalRollup.objects.all()} == before


def test_a_follow_up_of_an_earlier_span_leaves_the_latest_status(goals_org, make_goal):
    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        goal = make_goal(rhythm=Rhythm.MONTHLY, title="Rena lekplatser")
        actor = goals_org["leader"].user
        follow_up_submit(actor=actor, goal=goal, covers_until=datetime.date(2027, 6, 30), data=FollowUpInput(S.GREEN))
        follow_up_submit(
            actor=actor, goal=goal, covers_until=datetime.date(2027, 3, 31), data=FollowUpInput(S.RED, "Vi ser.")
        )
    row = GoalRollup.objects.get(goal=goal)
    assert (row.own, row.own_until, row.effective) == (S.GREEN, datetime.date(2027, 6, 30), S.GREEN)


def test_reading_the_kept_roll_ups_asks_the_same_queries_however_large_the_tree(goals_org, make_goal):
    admin = goals_org["admin"]

    def count() -> int:
        goals = list(Goal.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            read = kept_rollups(goal_ids=goals, municipality_id=admin.municipality_id)
        assert any(one.deciding for one in read.values())
        return len(queries)

    def chain(length: int) -> None:
        parent = make_goal(by=admin, unit=goals_org["root"], level=Level.VISION, title="Visionen")
        for number in range(length):
            parent = make_goal(
                by=admin, unit=goals_org["root"], level=Level.COUNCIL, title=f"Mål {number}", parent_id=parent.pk
            )
        follow_up_submit(
            actor=admin.user, goal=parent, covers_until=datetime.date(2027, 12, 31), data=FollowUpInput(S.RED, "Ja.")
        )

    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        chain(1)
        assert count() == 3  # the first read asks the rule too, and keeps it in the cache
        small = count()
        chain(8)
        chain(3)
        # Still at the same moment: under a clock far from it, the kept rule's time in the cache would be up.
        assert count() == small == 2  # the goals with their rows, the children that decide (the rule is kept)


def test_the_command_computes_the_rows_again(goals_org, tree):
    GoalRollup.objects.filter(goal=tree["committee"]).update(rolled="red", effective="red", green=7)
    GoalRollup.objects.filter(goal=tree["activity"]).delete()
    out = io.StringIO()
    call_command("goals_rollup_rebuild", municipality=goals_org["root"].municipality.code, stdout=out)
    assert "6 goals rolled up" in out.getvalue()
    assert_kept_is_computed(goals_org["root"].municipality_id, goals_org["period"].pk)
