"""Parts of a case's staff page contributed by apps above the dialog (the improvements raised from the case), so
that the page shows them without the dialog importing those apps; as `organisation.workspace` does for Min sida."""

from collections.abc import Callable

from brobygget.dialog.models import Case
from brobygget.organisation.models import Person
from brobygget.organisation.workspace import Section

CaseSectionProvider = Callable[[Case, Person | None], Section | None]

_providers: list[tuple[int, CaseSectionProvider]] = []


def register_case_section(order: int) -> Callable[[CaseSectionProvider], CaseSectionProvider]:
    """Decorator for an app's provider, called from its AppConfig.ready(); lower order comes first. A provider reads
    what it shows in a fixed number of queries, whatever the case's history."""

    def register(provider: CaseSectionProvider) -> CaseSectionProvider:
        if provider not in [p for _, p in _providers]:
            _providers.append((order, provider))
            _providers.sort(key=lambda item: item[0])
        return provider

    return register


def case_sections(*, case: Case, person: Person | None) -> list[Section]:
    """The sections every registered app has for this case and person (each provider decides what they may see)."""
    sections = [provider(case, person) for _, provider in _providers]
    return [section for section in sections if section is not None]
