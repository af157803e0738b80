"""Open311 refuses control characters in every parameter with a 400, and removes direction overrides."""

import pytest

from brobygget.dialog.models import Case
from brobygget.dialog.open311 import errors
from tests.dialog.open311.client import GeoReportError
from tests.dialog.open311.conftest import API_KEY

pytestmark = pytest.mark.django_db

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_open311_refuses_a_control_character_in_a_post_with_a_400(georeport, streetlights, app_client, character):
    with pytest.raises(GeoReportError) as caught:
        georeport.post_request(
            api_key=API_KEY,
            service_code="gatubelysning",
            lat="59.370312",
            long="17.033901",
            description=f"Lampan är släckt.{character}",
        )

    assert caught.value.status == 400
    assert caught.value.errors == [
        {"code": 400, "description": errors.ERROR_CONTROL_CHARACTERS % {"name": "description"}}
    ]
    assert not Case.objects.exists()


def test_open311_refuses_a_control_character_in_a_filter_with_a_400(georeport, streetlights):
    with pytest.raises(GeoReportError) as caught:
        georeport.requests(service_code="gatubelysning\x00")

    assert caught.value.status == 400
    assert caught.value.errors == [
        {"code": 400, "description": errors.ERROR_CONTROL_CHARACTERS % {"name": "service_code"}}
    ]


def test_open311_removes_a_direction_override(georeport, streetlights, app_client):
    georeport.post_request(
        api_key=API_KEY,
        service_code="gatubelysning",
        lat="59.370312",
        long="17.033901",
        description=f"Lampan vid {RLO}kcabmo är släckt.",
    )

    assert Case.objects.get().text == "Lampan vid kcabmo är släckt."
