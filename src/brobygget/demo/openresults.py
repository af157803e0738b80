"""The demo's "Du sa – vi gjorde": the summaries for residents that the demo's improvement work wrote, published
through the service by the person who wrote each, after the masking's preview, as staff do on the Publicera page."""

import datetime

import time_machine
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.improvement.models import ResidentSummary
from brobygget.openresults.models import Publication
from brobygget.openresults.selectors import publication_preview
from brobygget.openresults.services import publication_publish
from brobygget.organisation.selectors import person_for_actor

# Published this many days after the summary was written (the demo writes only in the past).
DAYS_AFTER_WRITING = 2


def demo_openresults_load(municipality: Municipality) -> list[Publication]:
    """Publish every summary for residents of the municipality, a couple of days after it was written."""
    published = []
    summaries = ResidentSummary.objects.filter(improvement__municipality=municipality).select_related(
        "written_by__user"
    )
    for summary in summaries.order_by("written_at", "pk"):
        user = summary.written_by.user
        assert user is not None, "the demo's improvement work gave everyone who writes an account"
        person = person_for_actor(actor=user)
        moment = min(
            summary.written_at + datetime.timedelta(days=DAYS_AFTER_WRITING),
            timezone.now() - datetime.timedelta(hours=1),
        )
        with time_machine.travel(moment, tick=False):
            preview = publication_preview(person=person, improvement_id=summary.improvement_id)
            published.append(
                publication_publish(actor=user, improvement_id=summary.improvement_id, confirmed=preview.digest)
            )
    return published
