"""Parts of improvement pages contributed by the apps above improvement (publishing a summary for residents in
"Du sa – vi gjorde"), so that the pages show them without improvement importing those apps (`core.sections`)."""

from brobygget.core.sections import Section, Sections
from brobygget.improvement.models import Improvement
from brobygget.organisation.models import Person

__all__ = ["SUMMARY_PAGE", "Section"]

# The page of an improvement's summary for residents, once written: a provider gets the improvement and the reader.
SUMMARY_PAGE: Sections[[Improvement, Person | None]] = Sections()
