"""Reads of the goal tree, scoped through organisation.scoping.

The vision and the goals of kommunfullmäktige and the nämnder are read by all staff of the municipality; a goal of a
förvaltning or unit, and an activity, by those who see its unit. "Not found" and "not yours" are the same 404. Lists
are read as plain values into small dataclasses, each page in a fixed number of queries whatever the tree's size."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Principle
from brobygget.core.prepared import prepared
from brobygget.goals.models import (
    FIELD_LABELS,
    LEVELS,
    SHARED_LEVELS,
    Goal,
    GoalChange,
    GoalRollup,
    Level,
    Period,
    Rhythm,
)
from brobygget.organisation.models import Person, Role, Unit
from brobygget.organisation.scoping import Visibility, unit_visibility


def visibility_of(person: Person | None) -> Visibility:
    """The person's visibility (organisation.scoping); 404 for a person who sees no unit."""
    visibility = unit_visibility(person=person)
    if visibility is None:
        raise Http404
    return visibility


def visible_goals(visibility: Visibility) -> Q:
    """A filter on Goal: the goals of the municipality that a person with this visibility may read."""
    municipality = Q(municipality_id=visibility.municipality_id)
    if visibility.everything:  # `units()` is then an empty Q, which an OR would drop, keeping the shared levels only
        return municipality
    return municipality & (Q(level__in=SHARED_LEVELS) | visibility.units(prefix="unit__"))


def sees_goal(visibility: Visibility | None, *, municipality_id: int, level: str, unit_path: str) -> bool:
    """`visible_goals` for one goal read already, without a query."""
    if visibility is None or municipality_id != visibility.municipality_id:
        return False
    return level in SHARED_LEVELS or visibility.sees(municipality_id=municipality_id, path=unit_path)


def may_edit_read(person: Person | None, unit: Unit) -> bool:
    """`services.may_edit` from the roles read with the person (no query, for the pages; the service checks again
    on writing): a leader of the unit or a unit above it, or an administrator of its municipality; else a
    superuser (one query for their account, when it is not read yet)."""
    if person is None or not person.is_active:
        return False
    roles = getattr(person, "unit_roles", None)
    if roles is None:
        from brobygget.goals.services import may_edit

        return person.user_id is not None and may_edit(actor=person.user, unit=unit)
    if person.municipality_id == unit.municipality_id and any(
        role.role == Role.ADMIN or (role.role == Role.LEADER and unit.path.startswith(role.unit_path)) for role in roles
    ):
        return True
    return person.user_id is not None and person.user is not None and person.user.is_superuser


def level_labels() -> dict[str, str]:
    """The levels' names in the active language."""
    return {value: str(label) for value, label in Level.choices}


@dataclass(frozen=True, slots=True)
class PeriodRow:
    pk: int
    name: str
    start: datetime.date
    end: datetime.date


def periods(*, municipality_id: int) -> list[PeriodRow]:
    """The municipality's periods, the latest first (a municipality has a handful)."""
    rows = Period.objects.filter(municipality_id=municipality_id).order_by("-start", "-pk")
    return [PeriodRow(*row) for row in rows.values_list("pk", "name", "start", "end")]


def current_period(rows: list[PeriodRow], today: datetime.date) -> PeriodRow | None:
    """Of these periods (the latest first), the latest that has started and not ended; else the latest one."""
    running = [row for row in rows if row.start <= today <= row.end]
    return running[0] if running else (rows[0] if rows else None)


def chosen_period(rows: list[PeriodRow], chosen: str, today: datetime.date) -> PeriodRow | None:
    """The period named by `?period=` among these, or the current one."""
    for row in rows:
        if chosen == str(row.pk):
            return row
    return current_period(rows, today)


@dataclass(frozen=True, slots=True)
class GoalRow:
    """A goal as the tree shows it; `depth` is its number of ancestors among the goals shown."""

    pk: int
    title: str
    level: str
    level_label: str
    unit: str
    responsible: str
    depth: int
    archived: bool

    @property
    def indent(self) -> str:
        return f"depth-{min(self.depth, 6)}"


def _tree_rows(goals: Q) -> list[tuple[int, str, str, str, str, str, str, bool]]:
    rows = (
        Goal.objects.filter(goals)
        .order_by("path")
        .values_list(
            "pk",
            "title",
            "level",
            "path",
            "unit__name",
            "responsible__first_name",
            "responsible__last_name",
            "archived",
        )
    )
    return list(rows)


def goal_tree(*, visibility: Visibility, period_id: int, unit_path: str = "", archived: bool = False) -> list[GoalRow]:
    """The period's goals the person may read, in the tree's order (a parent before its children), each indented by
    its ancestors shown. With `unit_path`, the goals of that unit and the units below it, with the goals above them
    that they contribute to (those the person may read). One query, or two with a unit: whatever the tree's size."""
    shown = Q(period_id=period_id) & visible_goals(visibility)
    if not archived:
        shown &= Q(archived=False)
    if unit_path:
        rows = _tree_rows(shown & Q(unit__path__below=unit_path))
        found = {row[0] for row in rows}
        above = {int(part) for row in rows for part in row[3].strip("/").split("/")} - found
        if above:
            rows += _tree_rows(shown & Q(pk__in=sorted(above)))
        rows.sort(key=lambda row: row[3])
    else:
        rows = _tree_rows(shown)
    ids = {row[0] for row in rows}
    labels = level_labels()
    result = []
    for pk, title, level, path, unit, first, last, is_archived in rows:
        depth = sum(1 for part in path.strip("/").split("/")[:-1] if int(part) in ids)
        result.append(GoalRow(pk, title, level, labels[level], unit, f"{first} {last}", depth, is_archived))
    return result


def _fields(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


_GOAL_FIELDS = _fields(Goal)
_UNIT_FIELDS = _fields(Unit)
_PERIOD_FIELDS = _fields(Period)
_PERSON_FIELDS = _fields(Person)
_ROLLUP_FIELDS = _fields(GoalRollup)


@prepared
def _goal(*, goal_id: int) -> QuerySet[Goal, Any]:
    """A goal with its unit, period, responsible person and kept roll-up (its fields None when it has none), in one
    row: what select_related("unit", "period", "responsible", "rollup") reads."""
    return Goal.objects.filter(pk=goal_id).values_list(
        *_GOAL_FIELDS,
        *(f"unit__{name}" for name in _UNIT_FIELDS),
        *(f"period__{name}" for name in _PERIOD_FIELDS),
        *(f"responsible__{name}" for name in _PERSON_FIELDS),
        *(f"rollup__{name}" for name in _ROLLUP_FIELDS),
    )


def _goal_of(row: tuple[Any, ...]) -> Goal:
    """The goal of a `_goal` row, with its related models as select_related leaves them."""
    parts = []
    for fields in (_GOAL_FIELDS, _UNIT_FIELDS, _PERIOD_FIELDS, _PERSON_FIELDS, _ROLLUP_FIELDS):
        parts.append(row[: len(fields)])
        row = row[len(fields) :]
    goal = Goal.from_db(DEFAULT_DB_ALIAS, _GOAL_FIELDS, parts[0])
    Goal.unit.field.set_cached_value(goal, Unit.from_db(DEFAULT_DB_ALIAS, _UNIT_FIELDS, parts[1]))
    Goal.period.field.set_cached_value(goal, Period.from_db(DEFAULT_DB_ALIAS, _PERIOD_FIELDS, parts[2]))
    Goal.responsible.field.set_cached_value(goal, Person.from_db(DEFAULT_DB_ALIAS, _PERSON_FIELDS, parts[3]))
    rollup = None if parts[4][0] is None else GoalRollup.from_db(DEFAULT_DB_ALIAS, _ROLLUP_FIELDS, parts[4])
    Goal.rollup.related.set_cached_value(goal, rollup)  # None: no roll-up kept, read as such (no query)
    if rollup is not None:
        GoalRollup.goal.field.set_cached_value(rollup, goal)
    return goal


def goal_get(*, person: Person | None, goal_id: int) -> Goal:
    """A goal the person may read, with its unit, period, responsible person and kept roll-up (goals.kept); 404 for
    missing and hidden alike.

    Read by its key in a prepared query (core.prepared) and checked with `sees_goal`, the rule of `visible_goals`:
    at size M, the query with the rule in it took Django 1.5 ms to build and read, this one 0.2 ms."""
    visibility = visibility_of(person)
    rows = _goal(goal_id=goal_id)
    if not rows:
        raise Http404
    goal = _goal_of(rows[0])
    if not sees_goal(visibility, municipality_id=goal.municipality_id, level=goal.level, unit_path=goal.unit.path):
        raise Http404
    return goal


@dataclass(frozen=True, slots=True)
class GoalLink:
    """Another goal as a goal's page names it: its title and level, and a link when the person may read it."""

    pk: int
    title: str
    level_label: str
    unit: str
    period: str
    visible: bool


@dataclass(frozen=True, slots=True)
class ChangeRow:
    kind: str
    person: str
    at: datetime.datetime
    fields: list[tuple[str, str, str]]  # (label, old, new)


@dataclass(frozen=True)
class GoalPage:
    goal: Goal
    level_label: str
    parent: GoalLink | None
    children: list[GoalLink]
    origin: GoalLink | None
    copies: list[GoalLink]
    changes: list[ChangeRow]
    principles: list[str]


def change_value(name: str, value: str) -> str:
    """A value kept in a goal's history as the reader reads it: a level's code or yes/no in their language."""
    if name == "level" and value in LEVELS:
        return str(Level(value).label)
    if name == "rhythm" and value in Rhythm.values:
        return str(Rhythm(value).label)
    if name == "archived":
        return str(_("yes") if value == "yes" else _("no"))
    return value


@prepared
def _related(*, goal_id: int, parent_id: int, origin_id: int) -> QuerySet[Goal, Any]:
    """The goals a goal's page names: its parent and origin (0: none), its children and its copies."""
    return (
        Goal.objects.filter(Q(pk__in=[parent_id, origin_id]) | Q(parent_id=goal_id) | Q(origin_id=goal_id))
        .order_by("path", "pk")
        .values_list(
            "pk",
            "title",
            "level",
            "unit__name",
            "unit__path",
            "municipality_id",
            "period__name",
            "parent_id",
            "origin_id",
            "archived",
        )
    )


@prepared
def _changes(*, goal_id: int) -> QuerySet[GoalChange, Any]:
    return (
        GoalChange.objects.filter(goal_id=goal_id)
        .order_by("at", "pk")
        .values_list("kind", "person__first_name", "person__last_name", "at", "changes")
    )


@prepared
def _principles(*, content_type_id: int, goal_id: int) -> QuerySet[Principle, Any]:
    return (
        Principle.objects.filter(tags__content_type_id=content_type_id, tags__object_id=goal_id)
        .order_by("order")
        .values_list("title")
    )


def _goal_type_id() -> int:
    return ContentType.objects.get_for_model(Goal).pk  # Django's own cache of content types: no query after the first


def goal_page(*, person: Person | None, goal_id: int) -> GoalPage:
    """A goal with the goal it contributes to, its children, the goal it was copied from and its copies (each named,
    and linked when the person may read it), the history of its changes and its principles. Four queries (the last
    three prepared: core.prepared)."""
    goal = goal_get(person=person, goal_id=goal_id)
    visibility = visibility_of(person)
    labels = level_labels()
    related = _related(goal_id=goal.pk, parent_id=goal.parent_id or 0, origin_id=goal.origin_id or 0)
    parent = origin = None
    children, copies = [], []
    for pk, title, level, unit, unit_path, municipality_id, period, parent_id, origin_id, archived in related:
        seen = sees_goal(visibility, municipality_id=municipality_id, level=level, unit_path=unit_path)
        # A goal the reader may not read is named by its level and unit only, never its title.
        link = GoalLink(pk, title if seen else "", labels[level], unit, period, seen)
        if pk == goal.parent_id:
            parent = link
        if pk == goal.origin_id:
            origin = link
        if parent_id == goal.pk and not archived:
            children.append(link)
        if origin_id == goal.pk:
            copies.append(link)
    changes = [
        ChangeRow(
            str(GoalChange.Kind(kind).label),
            f"{first} {last}" if first is not None else "",
            at,
            [
                (str(FIELD_LABELS.get(name, name)), change_value(name, values[0]), change_value(name, values[1]))
                for name, values in fields.items()
            ],
        )
        for kind, first, last, at, fields in _changes(goal_id=goal.pk)
    ]
    principles = [title for (title,) in _principles(content_type_id=_goal_type_id(), goal_id=goal.pk)]
    return GoalPage(goal, labels[goal.level], parent, children, origin, copies, changes, principles)


def goal_principle_ids(*, goal: Goal) -> list[int]:
    """The ids of the principles the goal is tagged with (for its edit form)."""
    return list(
        Principle.objects.filter(
            tags__content_type=ContentType.objects.get_for_model(Goal), tags__object_id=goal.pk
        ).values_list("pk", flat=True)
    )


def goal_choices(
    *, unit: Unit, period_id: int, exclude_below: str = "", visibility: Visibility | None = None
) -> list[tuple[int, str]]:
    """The goals a goal or an improvement of `unit` may contribute to: the period's goals (not archived) of the unit
    and the units above it, as (id, label), in the tree's order; without the subtree at `exclude_below` (a goal
    cannot contribute to itself or its own children), and, with `visibility`, only those its holder may read. One
    query: a unit has a handful of ancestors."""
    units = [unit.pk, *unit.ancestor_ids]
    goals = Goal.objects.filter(period_id=period_id, unit_id__in=units, archived=False)
    if visibility is not None:
        goals = goals.filter(visible_goals(visibility))
    if exclude_below:
        goals = goals.exclude(path__below=exclude_below)
    labels = level_labels()
    return [
        (pk, f"{title} ({labels[level]}, {unit_name})")
        for pk, title, level, unit_name in goals.order_by("path").values_list("pk", "title", "level", "unit__name")
    ]


def current_goal_choices(*, unit: Unit, visibility: Visibility, today: datetime.date) -> list[tuple[int, str]]:
    """The goals of the current period that an improvement of `unit` may contribute to (`goal_choices`), for the
    improvement's form: the unit's and those above it that the person may read. Two queries."""
    period = current_period(periods(municipality_id=unit.municipality_id), today)
    if period is None:
        return []
    return goal_choices(unit=unit, period_id=period.pk, visibility=visibility)


def goal_allowed(*, unit: Unit, goal_id: int) -> bool:
    """Whether an improvement (or a goal) of `unit` may name the goal as what it contributes to: a goal of the unit
    or a unit above it, not archived (of any period, so that a link made last period stays valid)."""
    return Goal.objects.filter(pk=goal_id, unit_id__in=[unit.pk, *unit.ancestor_ids], archived=False).exists()


def unit_people(*, unit: Unit) -> list[tuple[int, str]]:
    """The active people of the unit and the units below it, as (id, name): who may be responsible for its goal."""
    rows = (
        Person.objects.filter(is_active=True, memberships__unit__path__below=unit.path)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")
        .distinct()
    )
    return [(pk, f"{first} {last}") for pk, first, last in rows]


def principle_choices() -> list[tuple[int, str]]:
    """The principles, as (id, title), for tagging a goal."""
    return list(Principle.objects.order_by("order").values_list("pk", "title"))


def level_choices() -> list[tuple[str, str]]:
    """The levels, as (code, label), from the top of the tree down."""
    return [(value, str(label)) for value, label in Level.choices]
