"""Improvements and goals: an improvement names the goal it contributes to, and a goal's page shows the improvement
work that moves it.

Goals do not know this app (they may not import it): a goal's page shows what this module gives it through
`goals.sections.GOAL_PAGE`, which `improvement.apps` registers into. Each side shows the other only as far as the
reader may see it (goals' and improvements' own scoping)."""

from dataclasses import dataclass

from brobygget.goals.dashboard import DASHBOARD
from brobygget.goals.models import Goal, Period
from brobygget.goals.sections import GOAL_PAGE, Section
from brobygget.goals.selectors import level_labels, sees_goal
from brobygget.improvement.models import Improvement
from brobygget.improvement.selectors import stage_labels
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import unit_visibility

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


def goal_page_section(goal: Goal, person: Person | None) -> Section:
    """The improvements that name the goal and that the reader may see (their units' boards), newest first, and how
    many more there are on boards they do not see. One query."""
    visibility = unit_visibility(person=person)
    labels = stage_labels()
    shown: list[GoalImprovement] = []
    hidden = 0
    rows = (
        Improvement.objects.filter(goal_id=goal.pk)
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "stage", "unit__name", "municipality_id", "unit__path")
    )
    for pk, title, stage, unit, municipality_id, path in rows:
        if visibility is not None and visibility.sees(municipality_id=municipality_id, path=path):
            if len(shown) < GOAL_IMPROVEMENTS_SHOWN:
                shown.append(GoalImprovement(pk, title, unit, labels[stage]))
            else:
                hidden += 1
        else:
            hidden += 1
    return Section("improvement/goal_section.html", {"improvements": shown, "others": hidden})


# A unit's goal dashboard lists at most this many improvements (the newest first) and counts the rest.
DASHBOARD_IMPROVEMENTS_SHOWN = 20


def dashboard_section(unit: Unit, period: Period, person: Person | None) -> Section:
    """How the unit gets there: the improvements that name a goal of the unit or a unit below it in the period, on
    boards the reader sees, newest first, and how many more there are. One query."""
    visibility = unit_visibility(person=person)
    labels = stage_labels()
    shown: list[GoalImprovement] = []
    hidden = 0
    rows = (
        Improvement.objects.filter(goal__period_id=period.pk, goal__unit__path__below=unit.path)
        .order_by("-created_at", "-pk")
        .values_list("pk", "title", "stage", "unit__name", "municipality_id", "unit__path")
    )
    for pk, title, stage, unit_name, municipality_id, path in rows:
        if visibility is not None and visibility.sees(municipality_id=municipality_id, path=path):
            if len(shown) < DASHBOARD_IMPROVEMENTS_SHOWN:
                shown.append(GoalImprovement(pk, title, unit_name, labels[stage]))
            else:
                hidden += 1
        else:
            hidden += 1
    return Section("improvement/dashboard_section.html", {"improvements": shown, "others": hidden})


def register() -> None:
    GOAL_PAGE.register(order=10)(goal_page_section)
    DASHBOARD.register(order=10)(dashboard_section)
