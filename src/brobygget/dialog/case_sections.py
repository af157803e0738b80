"""Parts of a case's staff page contributed by apps above the dialog (the improvements raised from the case), so
that the page shows them without the dialog importing those apps (`core.sections`)."""

from brobygget.core.sections import Section, Sections
from brobygget.dialog.models import Case
from brobygget.organisation.models import Person

__all__ = ["CASE_PAGE", "TRACKING_PAGE", "Section"]

# A provider gets the case and the person reading it, and reads what it shows in a fixed number of queries.
CASE_PAGE: Sections[[Case, Person | None]] = Sections()

# The resident's tracking page (public, behind the case's key): a provider gets the case only, and shows nothing
# about anyone but what the municipality has made public (the publication of an improvement raised from the case).
TRACKING_PAGE: Sections[[Case]] = Sections()
