"""Learnings (lärdomar), written without blame, shared with the whole municipality; optionally anonymous.

An anonymous learning keeps no author: `Learning.author` is empty (a constraint holds it so), its audit events have
no actor and say "anonymous", and its principles are tagged without an actor. What is not stored cannot be shown by
a page, a search, the admin or a record request (docs/improvement.md, Anonymity)."""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Principle
from brobygget.core.services import principle_tags_set
from brobygget.core.text import plain_text
from brobygget.improvement.models import TEXT_MAX_LENGTH, Improvement, Learning, Stage
from brobygget.improvement.selectors import visible_units
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import unit_visibility
from brobygget.organisation.selectors import person_for_actor

if TYPE_CHECKING:
    from brobygget.improvement.models import Deviation

ERROR_NOT_YOUR_UNIT = _("Choose one of your units, or a unit below it.")
ERROR_TITLE_EMPTY = _("Give the learning a short title.")
ERROR_HAPPENED_EMPTY = _("Write what happened.")
ERROR_EXPECTED_EMPTY = _("Write what we expected to happen.")
ERROR_LEARNED_EMPTY = _("Write what we learned.")
ERROR_CHANGE_EMPTY = _("Write what we change from now on.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_TITLE_TOO_LONG = _("The title can be at most 200 characters long.")
ERROR_IMPROVEMENT_UNKNOWN = _("The improvement could not be found among those you see. Reload the page.")
ERROR_PRINCIPLE_UNKNOWN = _("Choose among the principles in the list.")

_REQUIRED = {
    "title": ERROR_TITLE_EMPTY,
    "what_happened": ERROR_HAPPENED_EMPTY,
    "what_we_expected": ERROR_EXPECTED_EMPTY,
    "what_we_learned": ERROR_LEARNED_EMPTY,
    "what_we_change": ERROR_CHANGE_EMPTY,
}


@dataclass
class LearningInput:
    """What someone writes about a learning; the improvement and the principles by id, as a form gives them."""

    title: str
    what_happened: str
    what_we_expected: str
    what_we_learned: str
    what_we_change: str
    anonymous: bool = False
    improvement_id: int | None = None
    principle_ids: list[int] = field(default_factory=list)


def _cleaned(data: LearningInput) -> dict[str, str]:
    errors: dict[str, ValidationError] = {}
    values: dict[str, str] = {}
    for name, empty in _REQUIRED.items():
        try:
            value = plain_text(getattr(data, name)).strip()
        except ValidationError as error:
            errors[name] = error
            continue
        limit = 200 if name == "title" else TEXT_MAX_LENGTH
        if not value:
            errors[name] = ValidationError(empty, code="required")
        elif len(value) > limit:
            errors[name] = ValidationError(
                ERROR_TITLE_TOO_LONG if name == "title" else ERROR_TEXT_TOO_LONG, code="max_length"
            )
        values[name] = value
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def learning_write(
    *, actor: SystemOrActor, unit: Unit, data: LearningInput, deviation: "Deviation | None" = None
) -> Learning:
    """Write a learning for a unit the person sees. Anonymous: no author is kept, and the audit events (the
    learning's and its principles') have no actor."""
    person = person_for_actor(actor=actor) if actor is not None else None
    visibility = unit_visibility(person=person)
    if person is None or visibility is None or not visible_units(visibility).filter(pk=unit.pk).exists():
        raise PermissionDenied(ERROR_NOT_YOUR_UNIT)
    values = _cleaned(data)
    if data.improvement_id is not None and not (
        Improvement.objects.filter(visibility.rows(), pk=data.improvement_id).exists()
    ):
        raise ValidationError({"improvement": ValidationError(ERROR_IMPROVEMENT_UNKNOWN, code="invalid")})
    principles = list(Principle.objects.filter(pk__in=set(data.principle_ids)))
    if len(principles) != len(set(data.principle_ids)):
        raise ValidationError({"principles": ValidationError(ERROR_PRINCIPLE_UNKNOWN, code="invalid")})
    learning = Learning.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        improvement_id=data.improvement_id,
        deviation=deviation,
        anonymous=data.anonymous,
        author=None if data.anonymous else person,
        written_at=timezone.now(),
        **values,
    )
    # The actor of an anonymous learning's events is left empty: the audit log would otherwise name the author.
    recorded_actor = None if data.anonymous else actor
    audit_record(
        actor=recorded_actor,
        action="learning.written",
        target=learning,
        municipality=person.municipality,
        extra={"unit": unit.pk, "anonymous": data.anonymous},
    )
    principle_tags_set(actor=recorded_actor, target=learning, municipality=person.municipality, principles=principles)
    return learning


@dataclass(frozen=True)
class LearningPage:
    """A learning as its page shows it: the author's name only when the learning is not anonymous."""

    learning: Learning
    unit: str
    author: str
    principles: list[str]
    # The linked improvement as (id, title, where its page is): "done" (shared with everyone), "board" (a board
    # the person sees) or "" (neither: the title alone).
    improvement: tuple[int, str, str] | None
    deviation_id: int | None


def learning_get(*, person: Person | None, learning_id: int) -> Learning:
    """A learning of the person's municipality (learnings are shared with all its staff); 404 otherwise."""
    if person is None:
        raise Http404
    found = (
        Learning.objects.filter(municipality_id=person.municipality_id, pk=learning_id)
        .select_related("unit", "author")
        .first()
    )
    if found is None:
        raise Http404
    return found


def learning_page(*, person: Person | None, learning_id: int) -> LearningPage:
    """A learning with its unit, principles and links; the author's name read only when it is not anonymous."""
    learning = learning_get(person=person, learning_id=learning_id)
    assert person is not None
    # An anonymous learning has no author to read: the field is empty, by constraint.
    author = learning.author.full_name if learning.author is not None and not learning.anonymous else ""
    principles = list(
        Principle.objects.filter(
            tags__content_type=ContentType.objects.get_for_model(Learning), tags__object_id=learning.pk
        )
        .order_by("order")
        .values_list("title", flat=True)
    )
    improvement = None
    if learning.improvement_id is not None:
        row = (
            Improvement.objects.filter(pk=learning.improvement_id)
            .values_list("pk", "title", "stage", "municipality_id", "unit__path")
            .first()
        )
        if row is not None:
            pk, title, stage, municipality_id, path = row
            visibility = unit_visibility(person=person)
            seen = (
                visibility is not None
                and visibility.municipality_id == municipality_id
                and (visibility.everything or any(path.startswith(p) for p in visibility.paths))
            )
            improvement = (pk, title, "done" if stage == Stage.DONE else "board" if seen else "")
    return LearningPage(learning, learning.unit.name, author, principles, improvement, learning.deviation_id)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of a local year and of the next."""
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return start, timezone.make_aware(datetime.datetime(year + 1, 1, 1))
