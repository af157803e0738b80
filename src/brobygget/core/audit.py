"""The audit log: every service records what it changed, in the same transaction as the change.

Payloads name fields and carry ids and codes only, never personal data.
"""

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

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


# What each action means, as a sentence in the active language: each app registers its own in its AppConfig.ready()
# (core imports no domain app). The admin's audit log shows these, never the codes.
_ACTION_TEXTS: dict[str, Any] = {}
_ADMIN_VERBS = {
    "created_in_admin": _("%(thing)s was created in the admin."),
    "updated_in_admin": _("%(thing)s was changed in the admin."),
    "deleted_in_admin": _("%(thing)s was deleted in the admin."),
}


def audit_texts_register(texts: Mapping[str, Any]) -> None:
    """Give actions their sentences: {"case.answered": _("The case was answered."), …}."""
    _ACTION_TEXTS.update(texts)


def audit_text(action: str) -> str:
    """The action as a sentence ("Ärendet besvarades."); an admin edit names the kind of thing from its model; an
    action no app has described shows as its code."""
    if action in _ACTION_TEXTS:
        return str(_ACTION_TEXTS[action])
    model_name, _dot, verb = action.partition(".")
    if verb in _ADMIN_VERBS:
        for model in apps.get_models():
            if model._meta.model_name == model_name:
                thing = str(model._meta.verbose_name)
                return str(_ADMIN_VERBS[verb]) % {"thing": thing[:1].upper() + thing[1:]}
    return action


def audit_actions_described() -> set[str]:
    return set(_ACTION_TEXTS)
