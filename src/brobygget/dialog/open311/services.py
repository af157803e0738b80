"""Writes of the Open311 interface: a service request becomes a case; an app's key is switched off or renamed."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.dialog.models import Case, Open311Client
from brobygget.dialog.services import ERROR_NOT_YOUR_CASE, SubmissionInput, case_note, feedback_submit


@transaction.atomic
def open311_request_create(*, client: Open311Client, data: SubmissionInput, media_url: str = "") -> Case:
    """Register a service request an app posted as a case of the app's municipality.

    A media URL is kept as an internal note for the staff, as text: Brobygget never fetches it.
    """
    case, _tracking_key = feedback_submit(
        municipality=client.municipality, data=data, source=Case.Source.OPEN311, open311_client=client
    )
    if media_url:
        # The note is for the municipality's staff: in the municipality's language, whatever the app's is.
        with translation.override(settings.LANGUAGE_CODE):
            text = _("The app sent a link to a picture or other media (not opened by Brobygget): %(url)s") % {
                "url": media_url
            }
        case_note(actor=None, case=case, text=text)
    return case


def _require_superuser(actor: SystemOrActor) -> None:
    # The rule of services.open311_client_create: only a superuser issues and changes app keys.
    if actor is not None and not (isinstance(actor, User) and actor.is_superuser):
        raise PermissionDenied(ERROR_NOT_YOUR_CASE)


@transaction.atomic
def open311_client_update(*, actor: SystemOrActor, client: Open311Client, name: str, is_active: bool) -> Open311Client:
    """Rename an app or switch its key off (or on again); the key itself never changes."""
    _require_superuser(actor)
    current = Open311Client.objects.select_for_update().select_related("municipality").get(pk=client.pk)
    fields = []
    if current.name != name:
        current.name = name
        fields.append("name")
    if current.is_active != is_active:
        current.is_active = is_active
        fields.append("is_active")
    if not fields:
        return current
    current.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="open311.client_updated",
        target=current,
        municipality=current.municipality,
        fields=fields,
        extra={"is_active": current.is_active},
    )
    return current
