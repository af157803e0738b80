"""Every write to what is public: publishing an adopted improvement's summary for residents, and withdrawing it.

Only staff who may write the summary (they see the improvement's unit through organisation.scoping, as leaders of
the unit or a unit above do) publish it, after they have seen it masked (core/masking.py) and confirmed exactly that
text. Each write is audited in the same transaction and moves the public cache on after the commit."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import Actor
from brobygget.core.audit import audit_record
from brobygget.core.text import plain_text
from brobygget.improvement.models import Improvement
from brobygget.openresults.cache import public_changed
from brobygget.openresults.models import Publication
from brobygget.openresults.selectors import publication_preview
from brobygget.organisation.models import Person
from brobygget.organisation.scoping import unit_visibility
from brobygget.organisation.selectors import person_for_actor

ERROR_MAY_NOT_PUBLISH = _("You may not publish the summaries of this unit.")
ERROR_ALREADY_PUBLISHED = _("The summary is already published.")
ERROR_TEXT_CHANGED = _("The text to publish has changed since you saw it. Look at it again below and confirm.")
ERROR_ALREADY_WITHDRAWN = _("The publication has already been withdrawn.")
ERROR_REASON_EMPTY = _("Write why the publication is withdrawn.")
ERROR_REASON_TOO_LONG = _("The reason can be at most 1,000 characters long.")
REASON_MAX_LENGTH = 1000


def _person(actor: Actor) -> Person:
    person = person_for_actor(actor=actor)
    if person is None:
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH)
    return person


@transaction.atomic
def publication_publish(*, actor: Actor, improvement_id: int, confirmed: str) -> Publication:
    """Publish the improvement's summary in "Du sa – vi gjorde" as the staff saw it masked (`confirmed` is the
    preview's digest): a snapshot of the masked texts, the unit, the cases' categories, principles and dates."""
    person = _person(actor)
    # Publishing one improvement at a time: a second click waits here and then finds the first publication.
    Improvement.objects.select_for_update().filter(pk=improvement_id).first()
    try:
        preview = publication_preview(person=person, improvement_id=improvement_id)
    except Http404:
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH) from None
    if preview.live is not None:
        raise ValidationError(ERROR_ALREADY_PUBLISHED)
    if confirmed != preview.digest:
        raise ValidationError(ERROR_TEXT_CHANGED)
    summary = preview.summary
    improvement = summary.improvement
    masked = [
        {"field": name, "kind": piece.kind, "start": piece.start, "end": piece.end}
        for name, result in (("title", preview.title), ("you_said", preview.you_said), ("we_did", preview.we_did))
        for piece in result.masked
    ]
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                municipality_id=improvement.municipality_id,
                improvement=improvement,
                unit_id=improvement.unit_id,
                unit_name=preview.unit_name,
                title=preview.title.text,
                you_said=preview.you_said.text,
                we_did=preview.we_did.text,
                masked=masked,
                done_on=summary.done_on,
                published_by=person,
                published_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError(ERROR_ALREADY_PUBLISHED) from None
    publication.categories.set(summary.category_ids)
    publication.principles.set(summary.principle_ids)
    kinds: dict[str, int] = {}
    for piece in masked:
        kinds[str(piece["kind"])] = kinds.get(str(piece["kind"]), 0) + 1
    audit_record(
        actor=actor,
        action="openresults.published",
        target=publication,
        municipality=person.municipality,
        extra={"improvement": improvement.pk, "masked": kinds},
    )
    transaction.on_commit(public_changed)
    return publication


@transaction.atomic
def publication_withdraw(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Take a publication off every public page, feed and download; it is kept with who withdrew it and why."""
    person = _person(actor)
    publication = Publication.objects.select_for_update().select_related("unit").get(pk=publication.pk)
    visibility = unit_visibility(person=person)
    if visibility is None or not visibility.sees(
        municipality_id=publication.unit.municipality_id, path=publication.unit.path
    ):
        raise PermissionDenied(ERROR_MAY_NOT_PUBLISH)
    if publication.withdrawn_at is not None:
        raise ValidationError(ERROR_ALREADY_WITHDRAWN)
    try:
        reason = plain_text(reason).strip()
    except ValidationError as error:
        raise ValidationError({"reason": error.error_list}) from None
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_EMPTY})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": ERROR_REASON_TOO_LONG})
    publication.withdrawn_by, publication.withdrawn_at, publication.withdrawn_reason = person, timezone.now(), reason
    fields = ["withdrawn_by", "withdrawn_at", "withdrawn_reason"]
    publication.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="openresults.withdrawn",
        target=publication,
        municipality=person.municipality,
        fields=fields,
        extra={"improvement": publication.improvement_id},
    )
    transaction.on_commit(public_changed)
    return publication
