"""Parts of a page contributed by the apps above the app that owns the page: Min sida (organisation) shows the
dialog's cases due and the improvements, a unit's page its board and thanks, a case's page (dialog) the improvements
raised from it. The page's app keeps a `Sections` registry; each app above registers a provider from its
AppConfig.ready(), so the page shows everything without importing the apps above it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


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


@dataclass(frozen=True)
class Link:
    label: Any  # a lazy text, read in the visitor's language
    url_name: str


class Links:
    """Links that apps above core add to every page (the public results in the footer): core names no app's address.
    An app registers its links from its AppConfig.ready()."""

    def __init__(self) -> None:
        self._links: list[tuple[int, Link]] = []

    def register(self, *, order: int, label: Any, url_name: str) -> None:
        link = Link(label, url_name)
        if link not in [known for _, known in self._links]:
            self._links.append((order, link))
            self._links.sort(key=lambda item: item[0])

    def __call__(self) -> list[tuple[str, str]]:
        """(label, address) of every link, in order."""
        return [(str(link.label), reverse(link.url_name)) for _, link in self._links]


# The footer's "Våra resultat": the public results pages (openresults registers them).
FOOTER_LINKS = Links()
