"""Sections of "Min sida" contributed by apps above the organisation (the dialog's cases due, later
improvements and goals), so that the page shows everything without `organisation` importing them."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brobygget.organisation.models import Person


@dataclass(frozen=True)
class Viewer:
    """Whose "Min sida" is shown, and what the page has read about them already (so a section need not again)."""

    person: Person
    today: datetime.date
    led_unit_ids: tuple[int, ...]


@dataclass(frozen=True)
class Section:
    """A part of "Min sida": a Jinja2 template and the context it is rendered with (as `section`)."""

    template: str
    context: dict[str, Any]


SectionProvider = Callable[[Viewer], Section | None]

_providers: list[tuple[int, SectionProvider]] = []


def register_my_page_section(order: int) -> Callable[[SectionProvider], SectionProvider]:
    """Decorator for an app's provider, called from its AppConfig.ready(); lower order comes first."""

    def register(provider: SectionProvider) -> SectionProvider:
        if provider not in [p for _, p in _providers]:
            _providers.append((order, provider))
            _providers.sort(key=lambda item: item[0])
        return provider

    return register


def my_page_sections(*, viewer: Viewer) -> list[Section]:
    """The sections every registered app has for this person today (each provider decides its own scope)."""
    sections = [provider(viewer) for _, provider in _providers]
    return [section for section in sections if section is not None]
