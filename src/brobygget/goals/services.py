"""Every write of the goal tree: checked against who may edit, recorded in the goal's history (GoalChange) and
audited, in one transaction.

Leaders of a goal's owning unit or of a unit above it, and the municipality's administrators, may edit it
(`organisation.services.leads_or_administers`, the rule of a unit's routines). Nothing is deleted: a goal that is no
longer wanted is archived."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import AuditBatch, audit_record
from brobygget.core.models import Municipality, Principle, PrincipleTag
from brobygget.core.services import principle_tags_set
from brobygget.core.text import plain_text
from brobygget.goals.kept import edge_of, kept_added, kept_moved, kept_rebuild
from brobygget.goals.models import (
    LEVELS,
    PERIOD_NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Goal,
    GoalChange,
    Level,
    Period,
    Rhythm,
    level_below,
)
from brobygget.organisation.models import Membership, Person, Role, Unit
from brobygget.organisation.selectors import person_for_actor
from brobygget.organisation.services import administers, leads_or_administers

ERROR_NOT_ALLOWED = _("Only leaders of the unit or a unit above it, and administrators, may change its goals.")
ERROR_NOT_ADMIN = _("Only the municipality's administrators may start a new period.")
ERROR_TITLE_EMPTY = _("Give the goal a short title.")
ERROR_TITLE_TOO_LONG = _("The title can be at most 200 characters long. Shorten it a little.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_LEVEL_UNKNOWN = _("Choose a level in the list.")
ERROR_RHYTHM_UNKNOWN = _("Choose how often the goal is followed up.")
ERROR_LEVEL_ABOVE_PARENT = _("A goal contributes to a goal of its own level or a level above it. Choose another level.")
ERROR_PARENT_NOT_ALLOWED = _("Choose a goal of the unit or a unit above it, in the same period.")
ERROR_PERSON_NOT_IN_UNIT = _("Choose a person of the unit or of a unit below it.")
ERROR_PRINCIPLE_UNKNOWN = _("Choose among the principles in the list.")
ERROR_PERIOD_UNKNOWN = _("Choose a period of the municipality.")
ERROR_ACTIVITY_NOT_COPIED = _("An activity is the unit's own and is not copied down.")
ERROR_NO_UNITS_BELOW = _("The unit has no units under it to copy the goal to.")
ERROR_ARCHIVED_NOT_COPIED = _("An archived goal is not copied down.")
ERROR_PERIOD_NAME_EMPTY = _("Give the period a name, for example “2028” or “Mandatperioden 2027–2030”.")
ERROR_PERIOD_NAME_TAKEN = _("The municipality already has a period with that name. Choose another name.")
ERROR_PERIOD_NAME_TOO_LONG = _("The name can be at most 100 characters long. Shorten it a little.")
ERROR_PERIOD_DATES = _("The period must end on or after the day it starts.")


@dataclass
class GoalInput:
    """What a leader writes about a goal; people, goals and principles by id, as a form gives them."""

    level: str
    title: str
    responsible_id: int
    description: str = ""
    parent_id: int | None = None
    principle_ids: list[int] = field(default_factory=list)
    archived: bool = False
    rhythm: str = Rhythm.YEARLY


def may_edit(*, actor: SystemOrActor, unit: Unit) -> bool:
    """Whether the actor may change the goals of the unit: its leaders and those above, the administrators."""
    return leads_or_administers(actor=actor, unit=unit)


def _acting_person(actor: SystemOrActor, unit: Unit) -> Person | None:
    """The acting person (None for a system job), after checking that they may edit the unit's goals."""
    if not may_edit(actor=actor, unit=unit):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    return person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None


def _kept(text: str, name: str) -> str:
    try:
        return plain_text(text).strip()
    except ValidationError as error:
        raise ValidationError({name: error.error_list}) from None


def _person_name(person_id: int | None) -> str:
    if person_id is None:
        return ""
    person = Person.objects.filter(pk=person_id).values_list("first_name", "last_name").first()
    return f"{person[0]} {person[1]}" if person else ""


def _cleaned(data: GoalInput, unit: Unit, period: Period, goal: Goal | None) -> tuple[dict[str, object], list[int]]:
    """The goal's fields as they are kept, and its principles; refused field by field, nothing written."""
    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, object] = {}
    for name, limit, too_long in (
        ("title", TITLE_MAX_LENGTH, ERROR_TITLE_TOO_LONG),
        ("description", TEXT_MAX_LENGTH, ERROR_TEXT_TOO_LONG),
    ):
        try:
            value = _kept(getattr(data, name), name)
        except ValidationError as error:
            errors.update(error.error_dict)
            continue
        if name == "title" and not value:
            errors[name] = [ValidationError(ERROR_TITLE_EMPTY, code="required")]
        elif len(value) > limit:
            errors[name] = [ValidationError(too_long, code="max_length")]
        values[name] = value
    if data.level not in LEVELS:
        errors["level"] = [ValidationError(ERROR_LEVEL_UNKNOWN, code="invalid")]
    if data.rhythm not in Rhythm.values:
        errors["rhythm"] = [ValidationError(ERROR_RHYTHM_UNKNOWN, code="invalid")]
    parent = None
    if data.parent_id is not None:
        allowed = Goal.objects.filter(
            pk=data.parent_id, period=period, archived=False, unit_id__in=[unit.pk, *unit.ancestor_ids]
        )
        if goal is not None:
            allowed = allowed.exclude(path__below=goal.path)
        parent = allowed.only("pk", "level", "path").first()
        if parent is None:
            errors["parent"] = [ValidationError(ERROR_PARENT_NOT_ALLOWED, code="invalid")]
        elif data.level in LEVELS and LEVELS.index(data.level) < LEVELS.index(parent.level):
            errors["level"] = [ValidationError(ERROR_LEVEL_ABOVE_PARENT, code="invalid")]
    if not Membership.objects.filter(
        person_id=data.responsible_id, person__is_active=True, unit__path__below=unit.path
    ).exists():
        errors["responsible"] = [ValidationError(ERROR_PERSON_NOT_IN_UNIT, code="invalid")]
    principles = sorted(set(data.principle_ids))
    if len(principles) != Principle.objects.filter(pk__in=principles).count():
        errors["principles"] = [ValidationError(ERROR_PRINCIPLE_UNKNOWN, code="invalid")]
    if errors:
        raise ValidationError(errors)
    values.update(
        level=data.level,
        responsible_id=data.responsible_id,
        parent=parent,
        archived=data.archived,
        rhythm=data.rhythm,
    )
    return values, principles


def _path(parent: Goal | None, pk: int) -> str:
    return f"{parent.path if parent else '/'}{pk}/"


def _tag(actor: SystemOrActor, goal: Goal, municipality: Municipality, principles: list[int]) -> None:
    principle_tags_set(
        actor=actor,
        target=goal,
        municipality=municipality,
        principles=list(Principle.objects.filter(pk__in=principles)),
    )


@transaction.atomic
def goal_create(*, actor: SystemOrActor, unit: Unit, period: Period, data: GoalInput) -> Goal:
    """A new goal of the unit in the period, contributing to `data.parent_id` (a goal of the unit or one above it)."""
    person = _acting_person(actor, unit)
    if period.municipality_id != unit.municipality_id:
        raise ValidationError({"period": ERROR_PERIOD_UNKNOWN})
    values, principles = _cleaned(data, unit, period, None)
    values["archived"] = False
    goal = Goal.objects.create(
        municipality_id=unit.municipality_id, period=period, unit=unit, created_by=person, **values
    )
    goal.path = _path(goal.parent, goal.pk)
    goal.save(update_fields=["path"])
    kept_added(goals=[goal])
    GoalChange.objects.create(goal=goal, kind=GoalChange.Kind.CREATED, person=person, at=timezone.now())
    municipality = Municipality.objects.get(pk=unit.municipality_id)
    audit_record(
        actor=actor,
        action="goal.created",
        target=goal,
        municipality=municipality,
        extra={"unit": unit.pk, "period": period.pk, "level": goal.level},
    )
    _tag(actor, goal, municipality, principles)
    return goal


def _display(goal: Goal, name: str) -> str:
    """A field's value as the history keeps it: what a reader saw then (a name, a title), or a code that the page
    writes in the reader's language (the level, "yes"/"no" for archived: `selectors.change_value`)."""
    if name == "responsible":
        return _person_name(goal.responsible_id)
    if name == "parent":
        return goal.parent.title if goal.parent_id and goal.parent else ""
    if name == "archived":
        return "yes" if goal.archived else "no"
    return str(getattr(goal, name))


@transaction.atomic
def goal_update(*, actor: SystemOrActor, goal: Goal, data: GoalInput) -> Goal:
    """Change what a goal says, who answers for it, what it contributes to, or archive it; each changed field is
    kept in the goal's history with its old and new value. A goal that moves takes its subtree along."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("unit", "period", "parent").get(pk=goal.pk)
    person = _acting_person(actor, goal.unit)
    values, principles = _cleaned(data, goal.unit, goal.period, goal)
    edge_before = edge_of(goal)
    changed: dict[str, list[str]] = {}
    for name, value in values.items():
        key = name.removesuffix("_id")
        current = getattr(goal, name) if name != "parent" else goal.parent
        if (current.pk if isinstance(current, Goal) else current) == (value.pk if isinstance(value, Goal) else value):
            continue
        old = _display(goal, key)
        setattr(goal, name, value)
        changed[key] = [old, _display(goal, key)]
    old_path = goal.path
    if "parent" in changed:
        goal.path = _path(goal.parent, goal.pk)
        below = list(Goal.objects.filter(path__below=old_path).exclude(pk=goal.pk))
        for descendant in below:
            descendant.path = goal.path + descendant.path[len(old_path) :]
        Goal.objects.bulk_update(below, ["path"])
    municipality = Municipality.objects.get(pk=goal.municipality_id)
    wanted = set(principles)
    have = set(
        PrincipleTag.objects.filter(
            content_type=ContentType.objects.get_for_model(Goal), object_id=goal.pk
        ).values_list("principle_id", flat=True)
    )
    if wanted != have:
        titles = dict(Principle.objects.filter(pk__in=wanted | have).values_list("pk", "title"))
        changed["principles"] = [
            ", ".join(titles[pk] for pk in sorted(have)),
            ", ".join(titles[pk] for pk in sorted(wanted)),
        ]
    if changed:
        goal.save()
        kept_moved(goal=goal, before=edge_before)
        GoalChange.objects.create(
            goal=goal, kind=GoalChange.Kind.UPDATED, person=person, at=timezone.now(), changes=changed
        )
        audit_record(actor=actor, action="goal.updated", target=goal, municipality=municipality, fields=sorted(changed))
    _tag(actor, goal, municipality, principles)
    return goal


@dataclass(frozen=True)
class CopyTarget:
    """A unit directly under a goal's owner, as copying down sees it: its leader, and whether it has a copy."""

    unit_id: int
    unit_name: str
    leader_id: int | None
    leader_name: str
    has_copy: bool


def copy_targets(*, goal: Goal) -> list[CopyTarget]:
    """The units directly under the goal's owning unit, with their leaders and whether a copy is there already.
    Two queries, however many units."""
    units = list(Unit.objects.filter(parent_id=goal.unit_id).order_by("name", "pk").values_list("pk", "name"))
    leaders = {
        unit_id: (pk, f"{first} {last}")
        for unit_id, pk, first, last in Membership.objects.filter(
            unit_id__in=[pk for pk, _name in units], role=Role.LEADER, person__is_active=True
        ).values_list("unit_id", "person_id", "person__first_name", "person__last_name")
    }
    copied = set(
        Goal.objects.filter(origin=goal, period_id=goal.period_id, unit_id__in=[pk for pk, _name in units]).values_list(
            "unit_id", flat=True
        )
    )
    targets = []
    for pk, name in units:
        leader_id, leader_name = leaders.get(pk, (None, ""))
        targets.append(CopyTarget(pk, name, leader_id, leader_name, has_copy=pk in copied))
    return targets


@transaction.atomic
def goal_copy_down(*, actor: SystemOrActor, goal: Goal) -> list[Goal]:
    """Copy the goal to each unit directly under its owning unit: each copy is owned by that unit, its leader is
    responsible, it contributes to the goal and names it as its origin, one level down (never below a unit's goal).
    A unit with a copy already, or without a leader, is passed over. Returns the copies made."""
    goal = Goal.objects.select_for_update(of=("self",)).select_related("unit").get(pk=goal.pk)
    person = _acting_person(actor, goal.unit)
    if goal.archived:
        raise ValidationError(ERROR_ARCHIVED_NOT_COPIED)
    if goal.level == Level.ACTIVITY:
        raise ValidationError(ERROR_ACTIVITY_NOT_COPIED)
    below = copy_targets(goal=goal)
    if not below:
        raise ValidationError(ERROR_NO_UNITS_BELOW)
    # (unit, leader) of each unit that gets a copy: not copied yet, and with a leader to be responsible.
    targets = [
        (target.unit_id, target.leader_id) for target in below if not target.has_copy and target.leader_id is not None
    ]
    now = timezone.now()
    copies = Goal.objects.bulk_create(
        Goal(
            municipality_id=goal.municipality_id,
            period_id=goal.period_id,
            level=level_below(goal.level),
            title=goal.title,
            description=goal.description,
            unit_id=unit_id,
            responsible_id=leader_id,
            parent=goal,
            origin=goal,
            rhythm=goal.rhythm,
            created_by=person,
        )
        for unit_id, leader_id in targets
    )
    for copy in copies:
        copy.path = _path(goal, copy.pk)
    Goal.objects.bulk_update(copies, ["path"])
    kept_added(goals=copies)
    GoalChange.objects.bulk_create(
        GoalChange(goal=copy, kind=GoalChange.Kind.COPIED, person=person, at=now, changes={}) for copy in copies
    )
    _copy_principles(actor, [(goal.pk, copy.pk) for copy in copies])
    if copies:
        audit_record(
            actor=actor,
            action="goal.copied_down",
            target=goal,
            municipality=Municipality.objects.get(pk=goal.municipality_id),
            extra={"copies": [copy.pk for copy in copies], "units": [copy.unit_id for copy in copies]},
        )
    return copies


def _copy_principles(actor: SystemOrActor, pairs: list[tuple[int, int]]) -> None:
    """Tag each copy with the principles of its original (through principle_tags_set, a goal at a time, for the
    goals that have principles)."""
    if not pairs:
        return
    tagged: dict[int, list[int]] = defaultdict(list)
    for object_id, principle_id in PrincipleTag.objects.filter(
        content_type=ContentType.objects.get_for_model(Goal), object_id__in=[o for o, _c in pairs]
    ).values_list("object_id", "principle_id"):
        tagged[object_id].append(principle_id)
    if not tagged:
        return
    copies = Goal.objects.in_bulk([c for o, c in pairs if o in tagged])
    municipalities = Municipality.objects.in_bulk({copy.municipality_id for copy in copies.values()})
    for original_id, copy_id in pairs:
        if original_id in tagged:
            copy = copies[copy_id]
            _tag(actor, copy, municipalities[copy.municipality_id], tagged[original_id])


def _period_checked(municipality_id: int, name: str, start: datetime.date, end: datetime.date) -> str:
    """A new period's name as it is kept, after checking it and the dates; refused field by field."""
    errors: dict[str, list[ValidationError]] = {}
    name = _kept(name, "name")
    if not name:
        errors["name"] = [ValidationError(ERROR_PERIOD_NAME_EMPTY, code="required")]
    elif len(name) > PERIOD_NAME_MAX_LENGTH:
        errors["name"] = [ValidationError(ERROR_PERIOD_NAME_TOO_LONG, code="max_length")]
    elif Period.objects.filter(municipality_id=municipality_id, name=name).exists():
        errors["name"] = [ValidationError(ERROR_PERIOD_NAME_TAKEN, code="unique")]
    if end < start:
        errors["end"] = [ValidationError(ERROR_PERIOD_DATES, code="invalid")]
    if errors:
        raise ValidationError(errors)
    return name


@transaction.atomic
def period_start_from(
    *,
    actor: SystemOrActor,
    previous: Period,
    name: str,
    start: datetime.date,
    end: datetime.date,
) -> Period:
    """A new period of the municipality, starting from a copy of `previous`: each goal that is not archived is copied
    with its unit, responsible person, text and principles, under the copy of its parent, naming the goal it was
    copied from as its origin. Administrators only."""
    if not administers(actor=actor, municipality_id=previous.municipality_id):
        raise PermissionDenied(ERROR_NOT_ADMIN)
    person = person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None
    name = _period_checked(previous.municipality_id, name, start, end)
    period = Period.objects.create(
        municipality_id=previous.municipality_id, name=name, start=start, end=end, previous=previous
    )
    originals = list(Goal.objects.filter(period=previous, archived=False).order_by("path"))
    kept = {goal.pk for goal in originals}
    copies = Goal.objects.bulk_create(
        Goal(
            municipality_id=goal.municipality_id,
            period=period,
            level=goal.level,
            title=goal.title,
            description=goal.description,
            unit_id=goal.unit_id,
            responsible_id=goal.responsible_id,
            origin_id=goal.pk,
            rhythm=goal.rhythm,
            created_by=person,
        )
        for goal in originals
    )
    copy_of = {original.pk: copy for original, copy in zip(originals, copies, strict=True)}
    for original, copy in zip(originals, copies, strict=True):  # in path order: a parent before its children
        # The nearest ancestor that was copied (an archived goal's children hang under its parent's copy).
        ancestors = [int(part) for part in original.path.strip("/").split("/")[:-1]]
        parent = next((copy_of[pk] for pk in reversed(ancestors) if pk in kept), None)
        copy.parent = parent
        copy.path = _path(parent, copy.pk)
    Goal.objects.bulk_update(copies, ["parent", "path"], batch_size=1000)
    kept_rebuild(municipality_id=period.municipality_id, period_id=period.pk)
    now = timezone.now()
    GoalChange.objects.bulk_create(
        (GoalChange(goal=copy, kind=GoalChange.Kind.COPIED, person=person, at=now, changes={}) for copy in copies),
        batch_size=1000,
    )
    _copy_principles(actor, [(original.pk, copy.pk) for original, copy in zip(originals, copies, strict=True)])
    municipality = Municipality.objects.get(pk=previous.municipality_id)
    audit_record(
        actor=actor,
        action="goal_period.started",
        target=period,
        municipality=municipality,
        extra={"previous": previous.pk, "goals": len(copies)},
    )
    batch = AuditBatch(actor=actor, municipality=municipality, period=period.pk)
    for copy in copies:
        batch.add("goal.created", Goal, copy.pk, origin=copy.origin_id)
    batch.save()
    return period


@transaction.atomic
def period_create(
    *, actor: SystemOrActor, municipality: Municipality, name: str, start: datetime.date, end: datetime.date
) -> Period:
    """The municipality's first period (or one that starts afresh, without goals). Administrators only."""
    if not administers(actor=actor, municipality_id=municipality.pk):
        raise PermissionDenied(ERROR_NOT_ADMIN)
    name = _period_checked(municipality.pk, name, start, end)
    period = Period.objects.create(municipality=municipality, name=name, start=start, end=end)
    audit_record(actor=actor, action="goal_period.created", target=period, municipality=municipality)
    return period
