"""Deviations (avvikelser): reported by anyone on staff in under a minute, triaged by the unit's leader into a
learning, into an improvement, or closed with a reason. Writes are audited in the same transaction; nothing is
deleted.

Who sees a deviation: the person who reported it, and whoever may triage it: a leader (Role.LEADER) of its unit or
of a unit above it, in the same municipality (from the roles read with the person, organisation.scoping's source).
Anyone else gets the same 404 as for a deviation that does not exist."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.text import plain_text
from brobygget.improvement.learnings import LearningInput, learning_write
from brobygget.improvement.models import TEXT_MAX_LENGTH, Deviation, DeviationState, Improvement, Learning
from brobygget.improvement.selectors import visible_units
from brobygget.improvement.services import ImprovementInput, improvement_raise
from brobygget.organisation.models import Person, Role, Unit
from brobygget.organisation.scoping import unit_visibility, units_below
from brobygget.organisation.selectors import person_for_actor

ERROR_NOT_YOUR_UNIT = _("Choose one of your units, or a unit below it.")
ERROR_WHAT_EMPTY = _("Write what happened.")
ERROR_WHERE_EMPTY = _("Write where it happened.")
ERROR_WHERE_TOO_LONG = _("Write where in at most 200 characters.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_IN_FUTURE = _("The time cannot be later than now.")
ERROR_NOT_LEADER = _("Only a leader of the deviation's unit, or of a unit above it, may triage it.")
ERROR_ALREADY_TRIAGED = _("Someone has already taken a position on the deviation. Reload the page.")
ERROR_REASON_EMPTY = _("Write why the deviation is closed.")

# Min sida shows this many deviations waiting for triage, and says when there are more.
MY_PAGE_LIMIT = 10


def _person(actor: SystemOrActor) -> Person:
    person = person_for_actor(actor=actor) if actor is not None else None
    if person is None:
        raise PermissionDenied(ERROR_NOT_YOUR_UNIT)
    return person


def led_paths(person: Person | None) -> tuple[str, ...]:
    """The paths of the units the person leads (their roles, read with them): they triage there and below."""
    if person is None:
        return ()
    return tuple(sorted({m.unit_path for m in getattr(person, "unit_roles", []) if m.role == Role.LEADER}))


def may_triage(person: Person | None, deviation: Deviation) -> bool:
    """Whether the person leads the deviation's unit or a unit above it (the unit read with the deviation)."""
    if person is None or person.municipality_id != deviation.municipality_id:
        return False
    path = deviation.unit.path
    return any(path.startswith(led) for led in led_paths(person))


def _kept(text: str, name: str) -> str:
    try:
        return plain_text(text).strip()
    except ValidationError as error:
        raise ValidationError({name: error.error_list}) from None


@transaction.atomic
def deviation_report(
    *, actor: SystemOrActor, unit: Unit, what_happened: str, where: str, happened_at: datetime.datetime | None = None
) -> Deviation:
    """Report that something did not go as we wanted, in a unit the person sees; the time defaults to now."""
    person = _person(actor)
    visibility = unit_visibility(person=person)
    if visibility is None or not visible_units(visibility).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": ERROR_NOT_YOUR_UNIT})
    now = timezone.now()
    errors: dict[str, Any] = {}
    what, place = "", ""
    try:
        what = _kept(what_happened, "what_happened")
    except ValidationError as error:
        errors.update(error.error_dict)
    try:
        place = _kept(where, "where")
    except ValidationError as error:
        errors.update(error.error_dict)
    if "what_happened" not in errors and not what:
        errors["what_happened"] = ValidationError(ERROR_WHAT_EMPTY, code="required")
    elif len(what) > TEXT_MAX_LENGTH:
        errors["what_happened"] = ValidationError(ERROR_TEXT_TOO_LONG, code="max_length")
    if "where" not in errors and not place:
        errors["where"] = ValidationError(ERROR_WHERE_EMPTY, code="required")
    elif len(place) > 200:
        errors["where"] = ValidationError(ERROR_WHERE_TOO_LONG, code="max_length")
    if happened_at is not None and happened_at > now:
        errors["happened_at"] = ValidationError(ERROR_IN_FUTURE, code="future")
    if errors:
        raise ValidationError(errors)
    deviation = Deviation.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        what_happened=what,
        where=place,
        happened_at=happened_at or now,
        reported_by=person,
        reported_at=now,
    )
    audit_record(
        actor=actor,
        action="deviation.reported",
        target=deviation,
        municipality=person.municipality,
        extra={"unit": unit.pk},
    )
    return deviation


def _lock_for_triage(actor: SystemOrActor, deviation: Deviation) -> tuple[Person, Deviation]:
    """The acting leader and the deviation re-read under a row lock, still waiting: two leaders triaging at once
    are serialised, and the second is told that it is done."""
    person = _person(actor)
    locked = Deviation.objects.select_for_update().select_related("unit").get(pk=deviation.pk)
    if not may_triage(person, locked):
        raise PermissionDenied(ERROR_NOT_LEADER)
    if locked.state != DeviationState.NEW:
        raise ValidationError(ERROR_ALREADY_TRIAGED, code="triaged")
    return person, locked


def _triaged(
    actor: SystemOrActor, person: Person, deviation: Deviation, state: str, fields: list[str], **extra: object
) -> None:
    deviation.state = state
    deviation.triaged_at = timezone.now()
    deviation.save(update_fields=["state", "triaged_at", "triaged_by", *fields])
    audit_record(
        actor=actor,
        action="deviation.triaged",
        target=deviation,
        municipality=person.municipality,
        fields=["state", "triaged_at", "triaged_by", *fields],
        extra={"state": state, **extra},
    )


@transaction.atomic
def deviation_to_learning(*, actor: SystemOrActor, deviation: Deviation, data: LearningInput) -> Learning:
    """Triage: the deviation becomes a learning of its unit, linked to it. When the learning is anonymous, neither
    the deviation nor the audit event names who triaged it (they wrote the learning)."""
    person, locked = _lock_for_triage(actor, deviation)
    learning = learning_write(actor=actor, unit=locked.unit, data=data, deviation=locked)
    locked.triaged_by = None if learning.anonymous else person
    _triaged(None if learning.anonymous else actor, person, locked, DeviationState.LEARNING, [], learning=learning.pk)
    return learning


@transaction.atomic
def deviation_to_improvement(*, actor: SystemOrActor, deviation: Deviation, data: ImprovementInput) -> Improvement:
    """Triage: the deviation becomes an improvement on its unit's board (improvement_raise), linked to it."""
    person, locked = _lock_for_triage(actor, deviation)
    improvement = improvement_raise(actor=actor, unit=locked.unit, data=data)
    locked.triaged_by, locked.improvement = person, improvement
    _triaged(actor, person, locked, DeviationState.IMPROVEMENT, ["improvement"], improvement=improvement.pk)
    return improvement


@transaction.atomic
def deviation_close(*, actor: SystemOrActor, deviation: Deviation, reason: str) -> Deviation:
    """Triage: the deviation is closed, with the reason why (required); it stays, with its reason."""
    person, locked = _lock_for_triage(actor, deviation)
    reason = _kept(reason, "reason")
    if not reason:
        raise ValidationError({"reason": ValidationError(ERROR_REASON_EMPTY, code="required")})
    if len(reason) > TEXT_MAX_LENGTH:
        raise ValidationError({"reason": ValidationError(ERROR_TEXT_TOO_LONG, code="max_length")})
    locked.triaged_by, locked.close_reason = person, reason
    _triaged(actor, person, locked, DeviationState.CLOSED, ["close_reason"])
    return locked


def _visible(person: Person) -> Q:
    """The deviations the person sees: those they reported, and those of the units they lead and below."""
    seen = Q(reported_by_id=person.pk)
    paths = led_paths(person)
    if paths:
        seen |= units_below(paths, prefix="unit__")
    return Q(municipality_id=person.municipality_id) & seen


def deviation_get(*, person: Person | None, deviation_id: int) -> Deviation:
    """A deviation the person sees, with its unit, reporter, triager and improvement; 404 for missing and not
    visible alike."""
    if person is None:
        raise Http404
    found = (
        Deviation.objects.filter(_visible(person), pk=deviation_id)
        .select_related("unit", "reported_by", "triaged_by", "improvement")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class DeviationRow:
    """A deviation as a list shows it."""

    pk: int
    where: str
    what_happened: str
    unit: str
    happened_at: datetime.datetime
    state: str
    reporter: str


@dataclass(frozen=True)
class Waiting:
    rows: list[DeviationRow]
    more: bool


def _rows(deviations: "object") -> list[DeviationRow]:
    return [
        DeviationRow(pk, where, what, unit, at, state, f"{first} {last}")
        for pk, where, what, unit, at, state, first, last in deviations  # type: ignore[attr-defined]
    ]


_ROW_FIELDS = (
    "pk",
    "where",
    "what_happened",
    "unit__name",
    "happened_at",
    "state",
    "reported_by__first_name",
    "reported_by__last_name",
)


def deviations_waiting(*, person: Person | None, limit: int | None = None) -> Waiting:
    """The deviations waiting for this leader's triage (their units and below), oldest first, in one query."""
    paths = led_paths(person)
    if person is None or not paths:
        return Waiting([], False)
    # By the index of unit and state (unit_id IN the led units), not along every deviation of the municipality.
    led = Unit.objects.filter(units_below(paths), municipality_id=person.municipality_id).values("pk")
    rows = (
        Deviation.objects.filter(unit_id__in=led, state=DeviationState.NEW)
        .order_by("reported_at", "pk")
        .values_list(*_ROW_FIELDS)
    )
    fetched = _rows(rows[: limit + 1] if limit is not None else rows)
    if limit is not None and len(fetched) > limit:
        return Waiting(fetched[:limit], True)
    return Waiting(fetched, False)


# A person's own deviations: the latest this many.
MY_REPORTED_LIMIT = 20


def deviations_reported(*, person: Person | None) -> list[DeviationRow]:
    """The deviations the person reported lately, newest first, with where each is now."""
    if person is None:
        return []
    rows = (
        Deviation.objects.filter(reported_by_id=person.pk)
        .order_by("-reported_at", "-pk")
        .values_list(*_ROW_FIELDS)[:MY_REPORTED_LIMIT]
    )
    return _rows(rows)


def deviation_learning(*, deviation: Deviation) -> tuple[int, str] | None:
    """The learning a deviation became, as (id, title); never its author."""
    return Learning.objects.filter(deviation=deviation).order_by("pk").values_list("pk", "title").first()
