"""Writes of cross-cutting data: tagging objects with principles."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality, Principle, PrincipleTag


@transaction.atomic
def principle_tags_set(
    *,
    actor: SystemOrActor,
    target: models.Model,
    municipality: Municipality,
    principles: list[Principle],
) -> list[PrincipleTag]:
    """Make `principles` the exact set of principles the target is tagged with."""
    content_type = ContentType.objects.get_for_model(target)
    existing = PrincipleTag.objects.filter(content_type=content_type, object_id=target.pk)
    wanted = {p.pk for p in principles}
    have = set(existing.values_list("principle_id", flat=True))
    existing.exclude(principle_id__in=wanted).delete()
    PrincipleTag.objects.bulk_create(
        [
            PrincipleTag(principle_id=pk, content_type=content_type, object_id=target.pk, municipality=municipality)
            for pk in sorted(wanted - have)
        ]
    )
    if wanted != have:
        audit_record(
            actor=actor,
            action="principles.tagged",
            target=target,
            municipality=municipality,
            extra={"principles": sorted(wanted)},
        )
    return list(PrincipleTag.objects.filter(content_type=content_type, object_id=target.pk).order_by("principle_id"))
