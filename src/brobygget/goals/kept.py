"""The roll-up kept (`GoalRollup`, one row per goal), written in the transaction of every change that alters it, so
that a dashboard or a goal's page reads its goals' roll-ups, with what their explanations need, in a fixed number of
queries whatever the tree's depth and size (goals.rollup computes the same from scratch).

A goal's row holds its own status (the latest follow-up's, and the span it covers), its rolled-up status (the rule
over its children's effective statuses), its effective status, and its children (not archived) counted per effective
status. The writes that change any of these call in here, after their change, in their transaction:

- `follow_up_submit` (`kept_followed_up`): the goal's own status, when the span is its latest;
- `goal_create` and `goal_copy_down` (`kept_added`): a new row, counted in its parent's;
- `goal_update` (`kept_moved`): a goal that moves, changes level, is archived or taken back, with the edge to its
  parent as it was before (`edge_of`);
- `period_start_from` and a change of the municipality's rule (`kept_rebuild`): the rows computed from scratch, by
  the same fold as goals.rollup; so do migration `0006_goal_rollup`, `manage.py goals_rollup_rebuild` and the scale
  data.

A change walks up the ancestors only: their rows are read under a row lock in one query (two transactions changing
the same branch wait for each other), each is folded again from its counts, the deepest first, and a changed
effective status moves one count in its parent's row; the changed rows are written back in one query."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery

from brobygget.core.prepared import prepared
from brobygget.goals.models import FollowUp, Goal, GoalRollup, Level, RollupRule
from brobygget.goals.rollup import Child, Counts, Node, Rolled, Rule, fold_counts, rollup_nodes, rule_for

Status = FollowUp.Status
COUNT_NAMES = ("green", "yellow", "red", "done", "not_started", "none", "activities")
STATE_NAMES = ("own", "own_until", "rolled", "effective", *COUNT_NAMES)
# The children that may decide a rolled-up status, and so are named in its explanation.
DECIDING = (Status.RED, Status.YELLOW)


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _parent_path(path: str) -> str | None:
    ids = _ids(path)
    return "".join(f"/{pk}" for pk in ids[:-1]) + "/" if len(ids) > 1 else None


def counts_of_row(row: Any) -> Counts:
    return Counts(*(getattr(row, name) for name in COUNT_NAMES))


# --- From scratch ------------------------------------------------------------------------------------------------


def goal_rows(goal_model: type[models.Model], follow_up_model: type[models.Model], **filters: Any) -> list[Any]:
    """The goals of these filters with what `rows_computed` takes: (pk, title, level, path, parent id, archived, the
    latest follow-up's status and the span it covers)."""
    latest = follow_up_model.objects.filter(goal_id=OuterRef("pk")).order_by("-covers_until", "-pk")  # type: ignore[attr-defined]
    return list(
        goal_model.objects.filter(**filters)  # type: ignore[attr-defined]
        .annotate(own=Subquery(latest.values("status")[:1]), own_until=Subquery(latest.values("covers_until")[:1]))
        .values_list("pk", "title", "level", "path", "parent_id", "archived", "own", "own_until")
    )


def rows_computed(
    goals: Iterable[tuple[int, str, str, str, int | None, bool, str | None, datetime.date | None]],
    rule: Rule,
    model: type[models.Model] = GoalRollup,
) -> list[Any]:
    """Unsaved rows of `model` (GoalRollup, or its historical model in a migration) for these goals: (pk, title,
    level, path, parent id, archived, latest follow-up's status, the span it covers), folded as goals.rollup folds
    (an archived goal is folded from its children and adds nothing to its parent)."""
    nodes, latest, until = [], {}, {}
    for pk, title, level, path, parent_id, archived, own, own_until in goals:
        nodes.append(Node(pk, title, level, path, parent_id, archived))
        if own:
            latest[pk] = own
            until[pk] = own_until
    found = {node.pk for node in nodes}
    nodes = [
        node if node.parent_id in found else Node(node.pk, node.title, node.level, node.path, None, node.archived)
        for node in nodes
    ]
    rolled = rollup_nodes(nodes, latest, rule)
    rows = []
    for node in nodes:
        one = rolled[node.pk]
        counts = Counts()
        for child in one.children:
            counts.add(child.status)
            counts.activities += child.level == Level.ACTIVITY
        rows.append(
            model(
                goal_id=node.pk,
                own=one.own or "",
                own_until=until.get(node.pk),
                rolled=one.rolled or "",
                effective=one.effective or "",
                **{name: getattr(counts, name) for name in COUNT_NAMES},
            )
        )
    return rows


def kept_rebuild(
    *,
    municipality_id: int,
    period_id: int | None = None,
    goal_model: type[models.Model] = Goal,
    follow_up_model: type[models.Model] = FollowUp,
    rule_model: type[models.Model] = RollupRule,
    model: type[models.Model] = GoalRollup,
) -> int:
    """Compute the rows of the municipality's goals (or a period's) from scratch and write them in place of those
    kept; returns how many. Call inside a transaction (the historical models: from a migration)."""
    found = (
        rule_model.objects.filter(municipality_id=municipality_id)  # type: ignore[attr-defined]
        .values_list("rule", "red_share", "yellow_share")
        .first()
    )
    rule = Rule(*found) if found else Rule()
    filters: dict[str, Any] = {"municipality_id": municipality_id}
    if period_id is not None:
        filters["period_id"] = period_id
    rows = rows_computed(goal_rows(goal_model, follow_up_model, **filters), rule, model)
    model.objects.filter(**{f"goal__{name}": value for name, value in filters.items()}).delete()  # type: ignore[attr-defined]
    model.objects.bulk_create(rows, batch_size=1000)  # type: ignore[attr-defined]
    if model is GoalRollup:  # not from a migration: the rule may have changed
        rule_forget(municipality_id=municipality_id)
    return len(rows)


# --- Kept by the services ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Edge:
    """What a goal adds to its parent's row: its parent (by path) and whether it is an activity."""

    parent_path: str
    activity: bool


def edge_of(goal: Goal) -> Edge | None:
    """The goal's edge as it is now (in memory): None at the top of the tree or archived."""
    parent_path = _parent_path(goal.path)
    if parent_path is None or goal.archived or goal.parent_id is None:
        return None
    return Edge(parent_path, goal.level == Level.ACTIVITY)


@dataclass(frozen=True, slots=True)
class _Touch:
    goal_id: int
    path: str
    before: Edge | None = None
    after: Edge | None = None
    own: tuple[str, datetime.date] | None = None


def _keep(municipality_id: int, touches: list[_Touch]) -> None:
    ids: set[int] = set()
    for touch in touches:
        ids.update(_ids(touch.path))
        for edge in (touch.before, touch.after):
            if edge is not None:
                ids.update(_ids(edge.parent_path))
    rows = {
        row.goal_id: row
        for row in GoalRollup.objects.select_for_update(of=("self",))
        .filter(goal_id__in=sorted(ids))
        .annotate(path=F("goal__path"), archived=F("goal__archived"))
        .order_by("goal_id")
    }
    counts = {pk: counts_of_row(row) for pk, row in rows.items()}
    for touch in touches:
        row = rows.get(touch.goal_id)
        if row is None:
            continue
        if touch.own is not None and (row.own_until is None or touch.own[1] >= row.own_until):
            row.own, row.own_until = touch.own
        status = row.effective
        for edge, sign in ((touch.before, -1), (touch.after, 1)):
            parent = counts.get(_ids(edge.parent_path)[-1]) if edge is not None else None
            if edge is not None and parent is not None:
                parent.add(status, sign)
                parent.activities += sign * edge.activity
    rule = rule_for(municipality_id=municipality_id)
    changed = []
    for row in sorted(rows.values(), key=lambda row: -row.path.count("/")):  # the deepest first
        mine = counts[row.goal_id]
        rolled = fold_counts(rule, mine) or ""
        effective = row.own or rolled
        before = (row.rolled, row.effective, row.own, *(getattr(row, name) for name in COUNT_NAMES))
        if effective != row.effective and not row.archived:
            parent_path = _parent_path(row.path)
            parent = counts.get(_ids(parent_path)[-1]) if parent_path else None
            if parent is not None:
                parent.add(row.effective, -1)
                parent.add(effective, 1)
        row.rolled, row.effective = rolled, effective
        for name in COUNT_NAMES:
            setattr(row, name, getattr(mine, name))
        if (row.rolled, row.effective, row.own, *(getattr(row, name) for name in COUNT_NAMES)) != before or any(
            touch.own is not None and touch.goal_id == row.goal_id for touch in touches
        ):
            changed.append(row)
    if changed:
        GoalRollup.objects.bulk_update(changed, list(STATE_NAMES))


def kept_followed_up(*, goal: Goal, status: str, covers_until: datetime.date) -> None:
    """A follow-up of the goal was submitted: its own status, when the span is its latest, and up its ancestors."""
    _keep(goal.municipality_id, [_Touch(goal.pk, goal.path, own=(status, covers_until))])


def kept_added(*, goals: list[Goal]) -> None:
    """New goals (with their paths saved; of one municipality): a row each, counted in their parents' rows."""
    if not goals:
        return
    GoalRollup.objects.bulk_create(GoalRollup(goal_id=goal.pk) for goal in goals)
    _keep(goals[0].municipality_id, [_Touch(goal.pk, goal.path, after=edge_of(goal)) for goal in goals])


def kept_moved(*, goal: Goal, before: Edge | None) -> None:
    """The goal (saved) was moved, changed level, archived or taken back: its count moves from the parent it had
    (`before`, its `edge_of` then) to the one it has now."""
    after = edge_of(goal)
    if before != after:
        _keep(goal.municipality_id, [_Touch(goal.pk, goal.path, before=before, after=after)])


# --- Read --------------------------------------------------------------------------------------------------------

RULE_SECONDS = 3600


def _rule_key(municipality_id: int) -> str:
    return f"goals:rollup-rule:{municipality_id}"


def rule_kept(*, municipality_id: int) -> Rule:
    """The municipality's roll-up rule (`rollup.rule_for`), kept in the shared cache: every page of goals reads it,
    and it changes only with `kept_rebuild` (the admin's change, the command), which clears it."""
    key = _rule_key(municipality_id)
    found = cache.get(key)
    if found is None:
        rule = rule_for(municipality_id=municipality_id)
        cache.set(key, (str(rule.rule), rule.red_share, rule.yellow_share), RULE_SECONDS)
        return rule
    return Rule(*found)


def rule_forget(*, municipality_id: int) -> None:
    """Clear the kept rule, now and again when the transaction commits (a page that read the old rule meanwhile
    put it back)."""
    key = _rule_key(municipality_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


# The fields a page adds to its own query of goals (`values_list`) to read their kept roll-ups with them.
KEPT_FIELDS = ("rollup__own", "rollup__rolled", *(f"rollup__{name}" for name in COUNT_NAMES))


@prepared
def _deciding(*, parent_ids: list[int]) -> QuerySet[Goal, Any]:
    """The children of these goals that may decide their roll-ups (red or yellow, not archived), by title."""
    return (
        Goal.objects.filter(parent_id__in=parent_ids, archived=False, rollup__effective__in=DECIDING)
        .order_by("title", "pk")
        .values_list("parent_id", "pk", "title", "level", "rollup__effective")
    )


def kept_rolled(rows: list[tuple[Any, ...]], *, municipality_id: int, rule: Rule | None = None) -> dict[int, Rolled]:
    """The roll-ups of goals read as (pk, *KEPT_FIELDS), each with the children that may decide it (those red or
    yellow, not archived): the rule (one query, unless given) and those children (one more, only when some goal is
    rolled up red or yellow: a prepared query, core.prepared); whatever the tree's depth and size."""
    if not rows:
        return {}
    if rule is None:
        rule = rule_kept(municipality_id=municipality_id)
    deciding: dict[int, list[Child]] = {}
    undecided = sorted({row[0] for row in rows if row[2] in DECIDING})
    if undecided:
        for parent_id, pk, title, level, status in _deciding(parent_ids=undecided):
            deciding.setdefault(parent_id, []).append(Child(pk, title, level, status))
    result = {}
    for pk, own, rolled, *numbers in rows:
        counts = Counts(*(number or 0 for number in numbers))  # no row (never, after migration 0006): no children
        result[pk] = Rolled(own or None, rolled or None, deciding.get(pk, []), rule, counts)
    return result


def kept_rollups(*, goal_ids: list[int], municipality_id: int) -> dict[int, Rolled]:
    """The kept roll-ups of these goals (`kept_rolled`): one query more."""
    if not goal_ids:
        return {}
    rows = list(Goal.objects.filter(pk__in=goal_ids).values_list("pk", *KEPT_FIELDS))
    return kept_rolled(rows, municipality_id=municipality_id)


def kept_rolled_of(goal: Goal) -> Rolled:
    """The kept roll-up of a goal read with `select_related("rollup")` (goals.selectors.goal_get)."""
    row = getattr(goal, "rollup", None)
    values = (row.own, row.rolled, *(getattr(row, name) for name in COUNT_NAMES)) if row else ("", "", *[0] * 7)
    return kept_rolled([(goal.pk, *values)], municipality_id=goal.municipality_id)[goal.pk]
