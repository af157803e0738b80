"""An adopted improvement becomes one of its unit's routines: the way of working from now on, in the routines the
unit already has (`organisation.Routine`, created through `organisation.services.routine_create`, which a leader of
the unit or an administrator may do)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.improvement.models import Improvement, ImprovementRoutine, Outcome, Stage
from brobygget.improvement.services import _acting_person
from brobygget.organisation.models import Routine
from brobygget.organisation.services import routine_create

ERROR_NOT_ADOPTED = _("Only an adopted improvement becomes a routine.")
ERROR_ALREADY_ROUTINE = _("The improvement is already a routine of the unit.")
ERROR_TITLE_EMPTY = _("Give the routine a short title.")
ERROR_REVIEW_IN_PAST = _("Choose a review date after today.")


@transaction.atomic
def improvement_to_routine(
    *,
    actor: SystemOrActor,
    improvement: Improvement,
    title: str,
    description: str,
    review_date: datetime.date,
    today: datetime.date,
) -> Routine:
    """Make the adopted improvement a routine of its unit, owned by the improvement's owner, to be reviewed by
    `review_date`; linked both ways and audited (the routine by organisation, the link here)."""
    person = _acting_person(actor, improvement.unit_id)
    improvement = Improvement.objects.select_for_update().select_related("unit", "owner").get(pk=improvement.pk)
    if improvement.stage != Stage.DONE or improvement.outcome not in (Outcome.ADOPTED, Outcome.ADAPTED):
        raise ValidationError(ERROR_NOT_ADOPTED)
    if ImprovementRoutine.objects.filter(improvement=improvement).exists():
        raise ValidationError(ERROR_ALREADY_ROUTINE)
    errors = {}
    if not title.strip():
        errors["title"] = ValidationError(ERROR_TITLE_EMPTY)
    if review_date <= today:
        errors["review_date"] = ValidationError(ERROR_REVIEW_IN_PAST)
    if errors:
        raise ValidationError(errors)
    routine = routine_create(
        actor=actor,
        unit=improvement.unit,
        owner=improvement.owner,
        title=title.strip(),
        description=description.strip(),
        review_date=review_date,
    )
    ImprovementRoutine.objects.create(improvement=improvement, routine=routine, created_by=person)
    audit_record(
        actor=actor,
        action="improvement.became_routine",
        target=improvement,
        municipality=person.municipality,
        extra={"routine": routine.pk},
    )
    return routine
