"""What open results adds to the pages of the apps below it (core/sections.py): the link to Publicera on an
improvement's written summary for residents, and on the resident's tracking page the link to the publication of the
improvement raised from their case."""

from brobygget.core.sections import Section
from brobygget.dialog.models import Case
from brobygget.improvement.models import Improvement
from brobygget.openresults.models import Publication
from brobygget.openresults.selectors import publication_for_case
from brobygget.organisation.models import Person


def summary_page_section(improvement: Improvement, person: Person | None) -> Section:
    """Publicera (or: published, with a link to it) on the summary's page; one query."""
    live = (
        Publication.objects.filter(improvement=improvement, withdrawn_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )
    return Section("openresults/summary_section.html", {"improvement_id": improvement.pk, "live_id": live})


def tracking_page_section(case: Case) -> Section | None:
    """On the resident's tracking page: what we did, published in "Du sa – vi gjorde"; one query."""
    publication_id = publication_for_case(case=case)
    if publication_id is None:
        return None
    return Section("openresults/tracking_section.html", {"publication_id": publication_id})
