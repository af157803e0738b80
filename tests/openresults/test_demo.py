"""The demo's "Du sa – vi gjorde": its summaries for residents published through the service, by who wrote them."""

import pytest

from brobygget.core.models import AuditEvent
from brobygget.demo.municipality import demo_municipality_load
from brobygget.improvement.models import ResidentSummary
from brobygget.openresults.models import Publication

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_each_summary_for_residents_as_its_writer_after_writing_it(client):
    made = demo_municipality_load()

    summaries = list(ResidentSummary.objects.select_related("written_by"))
    publications = list(Publication.objects.select_related("published_by"))
    assert made["publications"] == len(publications) == len(summaries) >= 1
    for summary, publication in zip(summaries, publications, strict=True):
        assert publication.improvement_id == summary.improvement_id
        assert publication.published_by == summary.written_by
        assert publication.published_at > summary.written_at
        assert publication.you_said == summary.you_said  # nothing to mask in the demo's texts
        assert publication.categories.exists()
    assert AuditEvent.objects.filter(action="openresults.published", actor__isnull=False).count() == len(publications)
    page = client.get("/resultat/du-sa-vi-gjorde/").content.decode()
    assert all(publication.title in page for publication in publications)
