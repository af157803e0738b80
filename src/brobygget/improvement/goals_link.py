"""Improvements and goals: an improvement names the goal it contributes to, and a goal's page shows the improvement
work that moves it.

Goals do not know this app (they may not import it): a goal's page shows what this module gives it through
`goals.sections.GOAL_PAGE`, which `improvement.apps` registers into. Each side shows the other only as far as the
reader may see it (goals' and improvements' own scoping)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from brobygget.goals.dashboard import DASHBOARD
from brobygget.goals.models import Goal, Period
from brobygget.goals.sections import GOAL_PAGE, Section
from brobygget.goals.selectors import level_labels, sees_goal
from brobygget.improvement.models import Improvement
from brobygget.improvement.selectors import stage_labels
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import UNIT_IDS_LIMIT, unit_ids_below, unit_visibility

# A goal's page lists at most this many improvements (the newest first) and counts the rest.
GOAL_IMPROVEMENTS_SHOWN = 50


@dataclass(frozen=True, slots=True)
class ImprovementGoal:
    """The goal an improvement contributes to, as the improvement's page names it; linked when the reader may read
    it."""

    pk: int
    title: str
    level_label: str
    period: str
    visible: bool


def improvement_goal(*, person: Person | None, improvement: Improvement) -> ImprovementGoal | None:
    """The goal the improvement names, in one query (none when it names none)."""
    if improvement.goal_id is None:
        return None
    row = (
        Goal.objects.filter(pk=improvement.goal_id)
        .values_list("pk", "title", "level", "period__name", "municipality_id", "unit__path")
        .first()
    )
    if row is None:
        return None
    pk, title, level, period, municipality_id, unit_path = row
    visible = sees_goal(
        unit_visibility(person=person), municipality_id=municipality_id, level=level, unit_path=unit_path
    )
    # A goal the reader may not read is named by its level only, never its title.
    return ImprovementGoal(pk, title if visible else "", level_labels()[level], period, visible)


@dataclass(frozen=True, slots=True)
class GoalImprovement:
    """An improvement that moves a goal, as the goal's page shows it."""

    pk: int
    title: str
    unit: str
    stage_label: str


# After the improvements listed, the others are counted up to this many: beyond it the page says "more than 100".
# A bounded count is read from an index in a bounded time whatever the number of improvements; the exact figure
# would walk them all, and says no more to the reader than "more than 100" does.
OTHERS_COUNTED = 100
_NEWEST = ("-created_at", "-pk")


def _listed(
    improvements: QuerySet[Improvement, Improvement],
    visible: Q | None,
    shown: int,
    *,
    everything: bool,
    count_newest_first: bool = False,
) -> dict[str, Any]:
    """The newest `shown` of `improvements` that the reader sees (`visible`: a filter of them; None: none) and how
    many others there are, seen or not, up to OTHERS_COUNTED; a query or two, each bounded by its LIMIT.

    `others_seen`: some of the others are on boards the reader sees too (more than `shown` are), so they are not
    all on boards they do not see. A reader who sees every board (`everything`) and fewer than `shown` has no
    others: the count is not read. `count_newest_first`: count them in the list's order, for a database that
    finds them walking an index newest first (it stops at the LIMIT); else in any order, from an index of their
    goals."""
    labels = stage_labels()
    rows = []
    if visible is not None:
        rows = list(
            improvements.filter(visible)
            .order_by(*_NEWEST)
            .values_list("pk", "title", "stage", "unit__name")[: shown + 1]
        )
    seen_more = len(rows) > shown
    listed = [GoalImprovement(pk, title, unit, labels[stage]) for pk, title, stage, unit in rows[:shown]]
    others = 0
    if seen_more or not everything:
        counted = improvements.order_by(*_NEWEST) if count_newest_first else improvements.order_by()
        others = counted[: len(listed) + OTHERS_COUNTED + 1].count() - len(listed)
    return {
        "improvements": listed,
        "others": min(others, OTHERS_COUNTED),
        "others_over": others > OTHERS_COUNTED,
        "others_seen": seen_more,
    }


def goal_page_section(goal: Goal, person: Person | None) -> Section:
    """The improvements that name the goal and that the reader may see (their units' boards), newest first, and how
    many more there are (up to OTHERS_COUNTED). Two queries, each bounded: the goal's improvements newest first
    from their index (goal, created_at), and their count from the goal's index.

    The goal fixes the municipality (compared here): the reader's filter is that of their units only (with the
    municipality in it, SQLite walked every improvement of the municipality that names a goal, newest first)."""
    visibility = unit_visibility(person=person)
    if visibility is not None and visibility.municipality_id != goal.municipality_id:
        visibility = None
    context = _listed(
        Improvement.objects.filter(goal_id=goal.pk),
        None if visibility is None else visibility.units(prefix="unit__"),
        GOAL_IMPROVEMENTS_SHOWN,
        everything=visibility is not None and visibility.everything,
    )
    return Section("improvement/goal_section.html", context)


# A unit's goal dashboard lists at most this many improvements (the newest first) and counts the rest.
DASHBOARD_IMPROVEMENTS_SHOWN = 20


def dashboard_section(unit: Unit, period: Period, person: Person | None) -> Section:
    """How the unit gets there: the improvements that name a goal of the unit or a unit below it in the period, on
    boards the reader sees, newest first, and how many more there are (up to OTHERS_COUNTED). Two or three queries,
    each bounded whatever the size of the tree or the number of improvements: the ids of the units below the unit
    (at most a hundred and one, `unit_ids_below`), the list and the count (`_listed`).

    With a hundred units or fewer below it, the improvements are found from the goals of those units (the goals'
    index of a unit and period, then the goal's index). Under a larger unit, from the municipality's improvements
    that name a goal, newest first (their own index, which holds no other), each one's goal checked until the
    LIMIT: most of them are the unit's own. Walking the tree's goals instead, the top unit's section read every
    goal of the period (50,000 at size L, 12 ms on SQLite). With the units' ids, the reader's filter is that of
    their units only: with the municipality in it, SQLite took the municipality's index for a team too, and walked
    every improvement of the municipality that names a goal."""
    visibility = unit_visibility(person=person)
    if visibility is not None and visibility.municipality_id != unit.municipality_id:
        visibility = None  # the unit's ids are of its municipality: the reader's filter needs none of its own
    below = unit_ids_below(paths=None, under=unit.path)
    improvements = Improvement.objects.filter(goal__period_id=period.pk)
    visible = None
    large = len(below) > UNIT_IDS_LIMIT
    if not large:
        improvements = improvements.filter(goal__unit_id__in=below)
        if visibility is not None:
            visible = visibility.units(prefix="unit__")
    else:
        improvements = improvements.filter(
            municipality_id=unit.municipality_id, goal__isnull=False, goal__unit__path__below=unit.path
        )
        if visibility is not None:
            visible = visibility.rows()
    context = _listed(
        improvements,
        visible,
        DASHBOARD_IMPROVEMENTS_SHOWN,
        everything=visibility is not None and visibility.everything,
        count_newest_first=large,
    )
    return Section("improvement/dashboard_section.html", context)


def register() -> None:
    GOAL_PAGE.register(order=10)(goal_page_section)
    DASHBOARD.register(order=10)(dashboard_section)
