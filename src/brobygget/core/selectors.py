"""Reads of cross-cutting data: the principles and what is tagged with them."""

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch

from brobygget.core.actors import Actor
from brobygget.core.models import Principle, PrincipleTag


@dataclass
class PrincipleWithTagged:
    principle: Principle
    tagged: list[Model] = field(default_factory=list)


def principle_list(*, actor: Actor, municipality_id: int | None) -> list[PrincipleWithTagged]:
    """Every principle with the objects of the actor's municipality tagged with it (none for the public)."""
    principles = Principle.objects.order_by("order")
    if actor.is_authenticated and municipality_id is not None:
        tags = PrincipleTag.objects.filter(municipality_id=municipality_id).prefetch_related("content_object")
        principles = principles.prefetch_related(Prefetch("tags", queryset=tags))
        return [
            PrincipleWithTagged(p, [t.content_object for t in p.tags.all() if t.content_object is not None])
            for p in principles
        ]
    return [PrincipleWithTagged(p) for p in principles]
