"""Parts of a case's staff page contributed by apps above the dialog (the improvements raised from the case), so
that the page shows them without the dialog importing those apps (`core.sections`)."""

from brobygget.core.sections import Section, Sections
from brobygget.dialog.models import Case
from brobygget.organisation.models import Person

__all__ = ["CASE_PAGE", "Section"]

# A provider gets the case and the person reading it, and reads what it shows in a fixed number of queries.
CASE_PAGE: Sections[[Case, Person | None]] = Sections()
