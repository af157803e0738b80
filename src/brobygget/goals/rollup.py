"""The roll-up of status up the goal tree, by the rule the municipality chooses (models.RollupRule), and the
explanation of every rolled-up status ("Röd eftersom 2 av 5 aktiviteter är röda: …").

A goal's **own** status is its latest follow-up. Its **effective** status is its own, or, when it has none yet, the
status rolled up from its children; a goal's **rolled-up** status is the rule applied to its children's effective
statuses (not archived children only). Of the children, those green, yellow, red or done are counted; not started and
not followed up are not (the explanation says how many):

- *the worst child*: red if any counted child is red, else yellow if any is yellow, else green;
- *a share*: red if at least `red_share` % of the counted children are red, else yellow if at least `yellow_share` %
  are red or yellow, else green.

Either way a goal whose children are all done is done, and one with no counted child is not started.

A period's tree (or the subtrees under some goals) is read in two queries whatever its depth and size: the goals
with the status of each one's latest follow-up, and the rule; the fold is Python over the materialised paths, the
deepest first."""

import datetime
import gc
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce
from operator import or_

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from brobygget.goals.models import FollowUp, Goal, Level, RollupRule

Status = FollowUp.Status
COUNTED = (Status.GREEN, Status.YELLOW, Status.RED, Status.DONE)

# A status as its colour word, for the explanations and the badges ("Röd", "Gul", …).
STATUS_WORDS = {
    Status.GREEN: gettext_lazy("Green"),
    Status.YELLOW: gettext_lazy("Yellow"),
    Status.RED: gettext_lazy("Red"),
    Status.DONE: gettext_lazy("Done"),
    Status.NOT_STARTED: gettext_lazy("Not started"),
}


def status_word(status: str | None) -> str:
    """A status in the reader's language; "Not followed up" for None."""
    return str(STATUS_WORDS[Status(status)]) if status else _("Not followed up")


@dataclass(frozen=True, slots=True)
class Rule:
    rule: str = RollupRule.Rule.WORST
    red_share: int = 40
    yellow_share: int = 20


def rule_for(*, municipality_id: int) -> Rule:
    """The municipality's roll-up rule (the worst child when it has chosen none). One query."""
    row = (
        RollupRule.objects.filter(municipality_id=municipality_id)
        .values_list("rule", "red_share", "yellow_share")
        .first()
    )
    return Rule(*row) if row else Rule()


@dataclass(frozen=True, slots=True)
class Child:
    """A child as an explanation names it: its effective status and whether the reader may follow its link."""

    pk: int
    title: str
    level: str
    status: str | None


@dataclass(slots=True)
class Counts:
    """How many children a goal has in each effective status (`none`: not followed up, nothing rolled up either), and
    how many of them are activities: all that its rolled-up status and its explanation's numbers need. Kept per goal
    in `GoalRollup` (goals.kept), counted from the children when folding a tree."""

    green: int = 0
    yellow: int = 0
    red: int = 0
    done: int = 0
    not_started: int = 0
    none: int = 0
    activities: int = 0

    def add(self, status: str | None, sign: int = 1) -> None:
        name = COUNT_FIELDS.get(status or "", "none")
        setattr(self, name, getattr(self, name) + sign)

    @property
    def total(self) -> int:
        return self.green + self.yellow + self.red + self.done + self.not_started + self.none

    @property
    def counted(self) -> int:
        return self.green + self.yellow + self.red + self.done


# A status's field in Counts (and in GoalRollup); no status is `none`.
COUNT_FIELDS = {
    Status.GREEN: "green",
    Status.YELLOW: "yellow",
    Status.RED: "red",
    Status.DONE: "done",
    Status.NOT_STARTED: "not_started",
    "": "none",
}


def counts_of(children: Iterable[Child]) -> Counts:
    counts = Counts()
    for child in children:
        counts.add(child.status)
        counts.activities += child.level == Level.ACTIVITY
    return counts


@dataclass
class Rolled:
    """A goal's statuses: its own (latest follow-up), rolled up from its children (None without children), the
    effective one, and the explanation of the rolled-up one with the children that decided it (written when read,
    in the reader's language: a whole tree is folded, or kept, and a page shows a few)."""

    own: str | None
    rolled: str | None
    children: list[Child] = field(default_factory=list)
    rule: Rule = field(default_factory=Rule)
    # The children counted per status (a kept roll-up, goals.kept); `children` then holds only those that may decide
    # it (the red and yellow ones). None: `children` are all of them, and are counted.
    counts: Counts | None = None

    @property
    def effective(self) -> str | None:
        return self.own or self.rolled

    @cached_property
    def _explained(self) -> tuple[str | None, str, list[Child]]:
        if self.counts is not None:
            return explain(self.rule, self.counts, self.children)
        return fold(self.rule, self.children)

    @property
    def reason(self) -> str:
        return self._explained[1]

    @property
    def deciding(self) -> list[Child]:
        return self._explained[2]


def _children_word(counts: Counts) -> str:
    if counts.activities == counts.total:
        return _("activities")
    if counts.activities:
        return _("sub-goals and activities")
    return _("sub-goals")


def _percent(part: int, whole: int) -> str:
    return str(round(100 * part / whole)) if whole else "0"


def fold_counts(rule: Rule, counts: Counts) -> str | None:
    """The rolled-up status of children counted so, by the rule (None without children)."""
    if not counts.total:
        return None
    if counts.done == counts.total:
        return Status.DONE
    if not counts.counted:
        return Status.NOT_STARTED
    if rule.rule == RollupRule.Rule.SHARE:
        if 100 * counts.red / counts.counted >= rule.red_share:
            return Status.RED
        return (
            Status.YELLOW if 100 * (counts.red + counts.yellow) / counts.counted >= rule.yellow_share else Status.GREEN
        )
    return Status.RED if counts.red else Status.YELLOW if counts.yellow else Status.GREEN


def fold_status(rule: Rule, children: list[Child]) -> str | None:
    """The rolled-up status of these children by the rule (`fold` without its explanation, for a whole tree)."""
    return fold_counts(rule, counts_of(children))


def fold(rule: Rule, children: list[Child]) -> tuple[str | None, str, list[Child]]:
    """The rolled-up status of these children by the rule, its explanation, and the children that decided it."""
    return explain(rule, counts_of(children), children)


def explain(rule: Rule, counts: Counts, candidates: list[Child]) -> tuple[str | None, str, list[Child]]:
    """The rolled-up status of children counted so by the rule, its explanation, and the children that decided it,
    taken from `candidates` (all the children, or at least those red or yellow, in the order they are named)."""
    status, text, deciding = _explain(rule, counts, candidates)
    if counts.total == 1 and status is not None:  # "all 1 activities" is no sentence: one child is named as one
        child = _("activity") if counts.activities else _("sub-goal")
        text = _one_child_texts()[status] % {"child": child}
    return status, text, deciding


def _one_child_texts() -> dict[str, str]:
    return {
        Status.DONE: _("Done: the same as its only %(child)s."),
        Status.NOT_STARTED: _("Not started: its only %(child)s has no follow-up yet."),
        Status.RED: _("Red: the same as its only %(child)s."),
        Status.YELLOW: _("Yellow: the same as its only %(child)s."),
        Status.GREEN: _("Green: the same as its only %(child)s."),
    }


def _explain(rule: Rule, counts: Counts, candidates: list[Child]) -> tuple[str | None, str, list[Child]]:
    if not counts.total:
        return None, "", []
    word = _children_word(counts)
    total = counts.total
    red = [child for child in candidates if child.status == Status.RED]
    yellow = [child for child in candidates if child.status == Status.YELLOW]
    counted = counts.counted
    left_out = total - counted
    tail = ""
    if left_out and counted:
        tail = " " + ngettext(
            "(%(count)s of them is not started or not followed up, and not counted.)",
            "(%(count)s of them are not started or not followed up, and not counted.)",
            left_out,
        ) % {"count": left_out}
    values = {"total": total, "children": word}
    if counts.done == total:
        return Status.DONE, _("Done because all %(total)s %(children)s are done.") % values, []
    if not counted:
        return Status.NOT_STARTED, _("Not started: none of the %(total)s %(children)s is followed up yet.") % values, []
    values["counted"] = counted
    if rule.rule == RollupRule.Rule.SHARE:
        red_share = 100 * counts.red / counted
        worse_share = 100 * (counts.red + counts.yellow) / counted
        if red_share >= rule.red_share:
            values.update(count=counts.red, share=_percent(counts.red, counted), limit=rule.red_share)
            text = _(
                "Red because %(count)s of %(counted)s %(children)s followed up are red "
                "(%(share)s %%; red from %(limit)s %%)."
            )
            return Status.RED, text % values + tail, red
        values.update(
            count=counts.red + counts.yellow,
            share=_percent(counts.red + counts.yellow, counted),
            limit=rule.yellow_share,
        )
        if worse_share >= rule.yellow_share:
            text = _(
                "Yellow because %(count)s of %(counted)s %(children)s followed up are red or yellow "
                "(%(share)s %%; yellow from %(limit)s %%)."
            )
            return Status.YELLOW, text % values + tail, red + yellow
        text = _(
            "Green because %(count)s of %(counted)s %(children)s followed up are red or yellow "
            "(%(share)s %%; yellow from %(limit)s %%)."
        )
        return Status.GREEN, text % values + tail, []
    if counts.red:
        values["count"] = counts.red
        text = ngettext(
            "Red because %(count)s of %(total)s %(children)s is red.",
            "Red because %(count)s of %(total)s %(children)s are red.",
            counts.red,
        )
        return Status.RED, text % values + tail, red
    if counts.yellow:
        values["count"] = counts.yellow
        text = ngettext(
            "Yellow because %(count)s of %(total)s %(children)s is yellow and none is red.",
            "Yellow because %(count)s of %(total)s %(children)s are yellow and none is red.",
            counts.yellow,
        )
        return Status.YELLOW, text % values + tail, yellow
    text = _("Green because none of the %(total)s %(children)s is red or yellow.")
    return Status.GREEN, text % values + tail, []


@dataclass(frozen=True, slots=True)
class Node:
    pk: int
    title: str
    level: str
    path: str
    parent_id: int | None
    archived: bool = False  # folded from its children, but adds nothing to its parent (goals.kept keeps its row)


def rollup_nodes(nodes: Iterable[Node], latest: dict[int, str], rule: Rule) -> dict[int, Rolled]:
    """Fold the statuses up the tree: the deepest goals first, each from its children's effective statuses."""
    ordered = sorted(nodes, key=lambda node: node.path.count("/"), reverse=True)
    children: dict[int, list[Child]] = defaultdict(list)
    result: dict[int, Rolled] = {}
    for node in ordered:
        kids = sorted(children.get(node.pk, []), key=lambda child: (child.title, child.pk))
        one = Rolled(latest.get(node.pk), fold_status(rule, kids), kids, rule)
        result[node.pk] = one
        if node.parent_id is not None and not node.archived:
            children[node.parent_id].append(Child(node.pk, node.title, node.level, one.effective))
    return result


def latest_status(*, until: datetime.date | None = None) -> Subquery:
    """An annotation of Goal: the status of its latest follow-up (up to `until`), read on the follow-ups' index of
    each goal's latest."""
    follow_ups = FollowUp.objects.filter(goal_id=OuterRef("pk"))
    if until is not None:
        follow_ups = follow_ups.filter(covers_until__lte=until)
    return Subquery(follow_ups.order_by("-covers_until", "-pk").values("status")[:1])


def subtrees(paths: list[str]) -> Q:
    """A filter on Goal: the goals at or below any of these paths."""
    if not paths:
        return Q(pk__in=[])
    tops = sorted(set(paths))
    # A path under another one of them adds nothing: its subtree is in the other's.
    tops = [path for path in tops if not any(path != top and path.startswith(top) for top in tops)]
    return reduce(or_, (Q(path__below=path) for path in tops))


def period_rollup(
    *, period_id: int, municipality_id: int, paths: list[str] | None = None, until: datetime.date | None = None
) -> dict[int, Rolled]:
    """The roll-up of a period's tree (not archived goals), or of the subtrees at `paths`: two queries (the goals
    with their latest follow-up's status, the rule), whatever the tree's depth and size."""
    goals = Q(period_id=period_id, municipality_id=municipality_id, archived=False)
    if paths is not None:
        goals &= subtrees(paths)
    rows = (
        Goal.objects.filter(goals)
        .annotate(latest=latest_status(until=until))
        .values_list("pk", "title", "level", "path", "parent_id", "latest")
    )
    nodes, latest = [], {}
    for pk, title, level, path, parent_id, status in rows:
        nodes.append(Node(pk, title, level, path, parent_id))
        if status:
            latest[pk] = status
    found = {node.pk for node in nodes}
    # A subtree's top has its parent outside it: it is folded without being added to a parent that is not read.
    nodes = [
        node if node.parent_id in found else Node(node.pk, node.title, node.level, node.path, None) for node in nodes
    ]
    # Tens of thousands of small objects: the cyclic collector would walk them again and again while they are made.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return rollup_nodes(nodes, latest, rule_for(municipality_id=municipality_id))
    finally:
        if collecting:
            gc.enable()
