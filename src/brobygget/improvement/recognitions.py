"""Recognition ("uppmärksamma"): anyone on staff thanks a colleague or a team for something concrete.

Shown on the unit's page and to the person thanked (Min sida); never counted and never ranked, so nothing here
adds them up. The person thanked may choose not to show a thank-you in the organisation: it still shows to them,
and it stays stored (a public record, like everything staff write)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.text import plain_text
from brobygget.improvement.models import TEXT_MAX_LENGTH, Improvement, Learning, Recognition
from brobygget.organisation.models import Membership, Person, Unit
from brobygget.organisation.selectors import person_for_actor
from brobygget.organisation.workspace import Section, Viewer

ERROR_NOT_STAFF = _("Only staff of the municipality can thank someone here.")
ERROR_TEXT_EMPTY = _("Write what you thank them for: something concrete they did.")
ERROR_TEXT_TOO_LONG = _("The text can be at most 4,000 characters long. Shorten it a little.")
ERROR_PERSON_NOT_IN_UNIT = _("Choose the whole unit or one of its people.")
ERROR_NOT_YOURS = _("Only the person thanked chooses whether it is shown.")

SHOWN_LIMIT = 5  # on a unit's page: the latest few, never a count


@transaction.atomic
def recognition_give(
    *,
    actor: SystemOrActor,
    unit: Unit,
    text: str,
    person: Person | None = None,
    improvement: Improvement | None = None,
    learning: Learning | None = None,
) -> Recognition:
    """Thank a unit (a team), or one of its people, for something concrete, optionally about an improvement or a
    learning of the same municipality."""
    giver = person_for_actor(actor=actor) if actor is not None else None
    if giver is None or giver.municipality_id != unit.municipality_id:
        raise PermissionDenied(ERROR_NOT_STAFF)
    try:
        text = plain_text(text).strip()
    except ValidationError as error:
        raise ValidationError({"text": error.error_list}) from None
    if not text:
        raise ValidationError({"text": ERROR_TEXT_EMPTY})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError({"text": ERROR_TEXT_TOO_LONG})
    if person is not None and not Membership.objects.filter(person=person, unit=unit, person__is_active=True).exists():
        raise ValidationError({"person": ERROR_PERSON_NOT_IN_UNIT})
    for about in (improvement, learning):
        if about is not None and about.municipality_id != unit.municipality_id:
            raise PermissionDenied(ERROR_NOT_STAFF)
    recognition = Recognition.objects.create(
        municipality_id=unit.municipality_id,
        given_by=giver,
        unit=unit,
        person=person,
        text=text,
        improvement=improvement,
        learning=learning,
        given_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="recognition.given",
        target=recognition,
        municipality=giver.municipality,
        extra={"unit": unit.pk, **({"person": person.pk} if person else {})},
    )
    return recognition


@transaction.atomic
def recognition_shown_set(*, actor: SystemOrActor, recognition: Recognition, shown: bool) -> Recognition:
    """The person thanked shows the thank-you in the organisation (their unit's page), or not."""
    person = person_for_actor(actor=actor) if actor is not None else None
    if person is None or recognition.person_id != person.pk:
        raise PermissionDenied(ERROR_NOT_YOURS)
    recognition = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if recognition.shown_in_organisation != shown:
        recognition.shown_in_organisation = shown
        recognition.save(update_fields=["shown_in_organisation"])
        audit_record(
            actor=actor,
            action="recognition.shown" if shown else "recognition.hidden",
            target=recognition,
            municipality=person.municipality,
        )
    return recognition


@dataclass(frozen=True, slots=True)
class RecognitionRow:
    pk: int
    text: str
    given_by: str
    to: str  # the person's name, or the unit's for a thank-you to the whole team
    about: str  # the improvement's or learning's title, or ""
    given_on: datetime.date
    shown: bool


_COLUMNS = (
    "pk",
    "text",
    "given_by__first_name",
    "given_by__last_name",
    "person__first_name",
    "person__last_name",
    "unit__name",
    "improvement__title",
    "learning__title",
    "given_at",
    "shown_in_organisation",
)


def _rows(recognitions: Iterable[tuple[Any, ...]]) -> list[RecognitionRow]:
    rows = []
    for pk, text, g_first, g_last, p_first, p_last, unit, improvement, learning, at, shown in recognitions:
        to = f"{p_first} {p_last}" if p_first is not None else unit
        rows.append(
            RecognitionRow(
                pk, text, f"{g_first} {g_last}", to, improvement or learning or "", timezone.localdate(at), shown
            )
        )
    return rows


def unit_recognitions(*, unit_id: int) -> list[RecognitionRow]:
    """The latest thank-yous shown on a unit's page (to the team, or to one of its people who shows them); one query."""
    shown = Recognition.objects.filter(unit_id=unit_id, shown_in_organisation=True).order_by("-given_at", "-pk")
    return _rows(shown.values_list(*_COLUMNS)[:SHOWN_LIMIT])


def my_recognitions(*, person_id: int, limit: int = 10) -> list[RecognitionRow]:
    """The latest thank-yous to the person, shown in the organisation or not; one query."""
    mine = Recognition.objects.filter(person_id=person_id).order_by("-given_at", "-pk")
    return _rows(mine.values_list(*_COLUMNS)[:limit])


def recognition_mine(*, person: Person | None, recognition_id: int) -> Recognition:
    """A thank-you to this person; 404 for any other, as for a missing one."""
    found = Recognition.objects.filter(pk=recognition_id, person=person).first() if person is not None else None
    if found is None:
        raise Http404
    return found


def unit_page_section(unit: Unit) -> Section:
    """The part of a unit's page about improvement work: its board, and the latest thank-yous."""
    return Section(
        "improvement/unit_section.html",
        {
            "unit": unit,
            "recognitions": unit_recognitions(unit_id=unit.pk),
            "give_url": reverse("improvement:recognition_give", args=[unit.pk]),
        },
    )


def my_page_section(viewer: Viewer) -> Section:
    """The part of Min sida with the thank-yous to me, each with the choice to show it in the organisation; one
    prepared query (improvement.my_page), the rows of `my_recognitions`."""
    from brobygget.improvement.my_page import thanks_to

    return Section("improvement/my_page_recognitions.html", {"recognitions": thanks_to(person_id=viewer.person.pk)})
