"""Pages of the organisation that apps above it add to, without `organisation` importing them
(`core.sections`): "Min sida" (the dialog's cases due, improvements, deviations to triage) and a unit's page
(its improvement board, thanks)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from brobygget.core.sections import Section, Sections
from brobygget.organisation.models import Person, Unit

__all__ = ["MY_PAGE", "UNIT_PAGE", "Section", "Viewer", "my_page_sections", "register_my_page_section"]


@dataclass(frozen=True)
class Viewer:
    """Whose "Min sida" is shown, and what the page has read about them already (so a section need not again)."""

    person: Person
    today: datetime.date
    led_unit_ids: tuple[int, ...]


MY_PAGE: Sections[[Viewer]] = Sections()
# A unit's page is read by any staff of its municipality; a provider gets the unit and shows what all of them may see.
UNIT_PAGE: Sections[[Unit]] = Sections()


MyPageProvider = Callable[[Viewer], Section | None]


def register_my_page_section(order: int) -> Callable[[MyPageProvider], MyPageProvider]:
    """Decorator for an app's "Min sida" provider, called from its AppConfig.ready(); lower order comes first."""
    return MY_PAGE.register(order)


def my_page_sections(*, viewer: Viewer) -> list[Section]:
    """The sections every registered app has for this person today (each provider decides its own scope)."""
    return MY_PAGE(viewer)
