"""The audit log: every service records what it changed, in the same transaction as the change.

Payloads name fields and carry ids and codes only, never personal data.
"""

from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models

from brobygget.core.actors import SystemOrActor
from brobygget.core.models import AuditEvent, Municipality


def _event(
    *,
    actor: SystemOrActor,
    action: str,
    target_type: ContentType,
    target_id: object,
    municipality: Municipality | None,
    fields: list[str] | None,
    extra: dict[str, Any] | None,
) -> AuditEvent:
    payload: dict[str, Any] = {"fields": sorted(fields)} if fields else {}
    payload.update(extra or {})
    return AuditEvent(
        municipality=municipality,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        payload=payload,
    )


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
    event = _event(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        municipality=municipality,
        fields=fields,
        extra=extra,
    )
    event.save()
    return event


class AuditBatch:
    """Events of a bulk operation (an import, a generator), written with one bulk insert at the end."""

    def __init__(self, *, actor: SystemOrActor, municipality: Municipality, **common: Any) -> None:
        self.actor = actor
        self.municipality = municipality
        self.common = common
        self.events: list[AuditEvent] = []
        self._types: dict[type[models.Model], ContentType] = {}

    def add(
        self, action: str, model: type[models.Model], pk: int, fields: list[str] | None = None, **extra: Any
    ) -> None:
        if model not in self._types:
            # get_for_models filters, where get_for_model would .get() once per model.
            self._types.update(ContentType.objects.get_for_models(model))
        self.events.append(
            _event(
                actor=self.actor,
                action=action,
                target_type=self._types[model],
                target_id=pk,
                municipality=self.municipality,
                fields=fields,
                extra={**extra, **self.common},
            )
        )

    def save(self, batch_size: int = 1000) -> None:
        AuditEvent.objects.bulk_create(self.events, batch_size=batch_size)
