"""Spreading: another unit adopts a completed improvement. A linked copy goes on its own board, in Idea, to be tried
there in its own small steps; the original shows where it spread ("Spridd till 4 enheter")."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Principle
from brobygget.core.services import principle_tags_set
from brobygget.improvement.models import Improvement, ImprovementRound, Outcome, Spread, Stage
from brobygget.improvement.services import _acting_person
from brobygget.improvement.tally import tally_raised
from brobygget.organisation.models import Unit

ERROR_NOT_ADOPTED = _("Only an improvement that was adopted can spread to another unit.")
ERROR_SAME_UNIT = _("The improvement is already this unit's own.")
ERROR_ALREADY_SPREAD = _("The improvement is already on that unit's board.")


@transaction.atomic
def improvement_spread(*, actor: SystemOrActor, original: Improvement, unit: Unit) -> Improvement:
    """Put a linked copy of an adopted improvement on `unit`'s board (a board the actor sees), in Idea, owned by
    the actor: the problem, the value, the idea and the measure come along; the baseline is the new unit's to
    measure, and the rounds are its own to go through."""
    person = _acting_person(actor, unit.pk)
    original = Improvement.objects.select_for_update().get(pk=original.pk)
    if original.stage != Stage.DONE or original.outcome not in (Outcome.ADOPTED, Outcome.ADAPTED):
        raise ValidationError({"unit": ERROR_NOT_ADOPTED})
    if unit.municipality_id != original.municipality_id:
        raise PermissionDenied(ERROR_NOT_ADOPTED)
    if original.unit_id == unit.pk:
        raise ValidationError({"unit": ERROR_SAME_UNIT})
    if Spread.objects.filter(original=original, copy__unit=unit).exists():
        raise ValidationError({"unit": ERROR_ALREADY_SPREAD})
    now = timezone.now()
    copy = Improvement.objects.create(
        municipality_id=unit.municipality_id,
        unit=unit,
        title=original.title,
        problem=original.problem,
        value_for_resident=original.value_for_resident,
        idea=original.idea,
        measure=original.measure,
        owner=person,
        stage=Stage.IDEA,
        stage_changed_at=now,
        created_by=person,
    )
    ImprovementRound.objects.create(improvement=copy, number=1)
    tally_raised(unit_id=unit.pk, created_at=copy.created_at)
    Spread.objects.create(original=original, copy=copy, created_by=person)
    audit_record(
        actor=actor,
        action="improvement.spread",
        target=copy,
        municipality=person.municipality,
        extra={"original": original.pk, "unit": unit.pk},
    )
    principle_tags_set(
        actor=actor,
        target=copy,
        municipality=person.municipality,
        principles=list(
            Principle.objects.filter(
                tags__content_type=ContentType.objects.get_for_model(Improvement), tags__object_id=original.pk
            )
        ),
    )
    return copy
