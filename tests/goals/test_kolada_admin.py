"""The admin: a failed Kolada fetch is shown on its indicator's row (and filtered), the comparison group is a checked
list of Kolada ids."""

import pytest
from django.urls import reverse

from brobygget.goals import indicators
from brobygget.goals.indicators import IndicatorInput
from brobygget.goals.models import Indicator, KoladaSetup

pytestmark = pytest.mark.django_db


def test_the_admin_lists_indicators_whose_kolada_fetch_failed(admin_client, goals_org, tree):
    made = indicators.indicator_create(
        actor=goals_org["leader"].user,
        goal=tree["park"],
        data=IndicatorInput(name="Invånare", owner_id=goals_org["leader"].pk),
    )
    Indicator.objects.filter(pk=made.pk).update(
        source="kolada", kolada_kpi="N01951", kolada_error="Kolada gave no usable answer after 5 tries (status:500:)."
    )
    url = reverse("admin:goals_indicator_changelist")

    html = admin_client.get(url, {"kolada_error": "failed"}).content.decode()

    assert "Kolada gave no usable answer after 5 tries" in html
    assert "Invånare" not in admin_client.get(url, {"kolada_error": "ok"}).content.decode().split("<tbody>")[-1]


def test_the_comparison_group_is_a_checked_list_of_kolada_ids(admin_client, municipality):
    url = reverse("admin:goals_koladasetup_add")
    refused = admin_client.post(url, {"municipality": municipality.pk, "group_ids": "0484, Eskilstuna"})
    assert refused.status_code == 200
    assert "fyra siffror" in refused.content.decode()

    saved = admin_client.post(
        url, {"municipality": municipality.pk, "group_name": "Grannar", "group_ids": "0484;0480 ,0484"}
    )

    assert saved.status_code == 302
    assert KoladaSetup.objects.get().group_ids == "0484, 0480"
