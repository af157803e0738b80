"""The audit log: every service records what it changed, in the same transaction as the change."""

from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from brobygget.core.actors import SystemOrActor
from brobygget.core.models import AuditEvent, Municipality


def audit_record(
    *,
    actor: SystemOrActor,
    action: str,
    target: models.Model,
    municipality: Municipality | None,
    fields: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record one event; `fields` names what changed, `extra` holds ids and codes only."""
    payload: dict[str, Any] = {}
    if fields:
        payload["fields"] = sorted(fields)
    if extra:
        payload.update(extra)
    return AuditEvent.objects.create(
        municipality=municipality,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        payload=payload,
    )
