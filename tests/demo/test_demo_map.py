"""The demo shows the residents' map: some of its fault reports carry the place the resident marked, and their
tracking pages draw it (issue 13: the demo shows every item)."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from brobygget.dialog.models import Case, Kind
from brobygget.dialog.tracking import tracking_path

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)  # demo_load refuses a database that does not look like a demo's otherwise
def test_the_demo_has_fault_reports_with_a_place_on_the_map(client):
    call_command("demo_load", verbosity=0)

    placed = Case.objects.filter(kind=Kind.FAULT_REPORT, latitude__isnull=False, longitude__isnull=False)
    assert placed.count() >= 2
    html = client.get(tracking_path(placed.first())).content.decode()
    assert 'id="place-map-show"' in html and "Latitud 59," in html
