"""Parts of a page contributed by the apps above the app that owns the page: Min sida (organisation) shows the
dialog's cases due and the improvements, a unit's page its board and thanks, a case's page (dialog) the improvements
raised from it. The page's app keeps a `Sections` registry; each app above registers a provider from its
AppConfig.ready(), so the page shows everything without importing the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Section:
    """A part of a page: a Jinja2 template and the context it is rendered with (as `section`)."""

    template: str
    context: dict[str, Any]


class Sections[**P]:
    """The providers of one page's sections, in order. A provider takes what the page gives (the viewer, the unit,
    the case...), reads what it shows in a fixed number of queries, and returns its section or None."""

    def __init__(self) -> None:
        self._providers: list[tuple[int, Callable[P, Section | None]]] = []

    def register(self, order: int) -> Callable[[Callable[P, Section | None]], Callable[P, Section | None]]:
        """Decorator for an app's provider; lower order comes first; registering twice keeps one."""

        def register(provider: Callable[P, Section | None]) -> Callable[P, Section | None]:
            if provider not in [p for _, p in self._providers]:
                self._providers.append((order, provider))
                self._providers.sort(key=lambda item: item[0])
            return provider

        return register

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[Section]:
        """The sections every registered provider has for these arguments."""
        sections = [provider(*args, **kwargs) for _, provider in self._providers]
        return [section for section in sections if section is not None]
