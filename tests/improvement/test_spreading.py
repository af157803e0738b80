"""Spreading: another unit adopts a completed improvement; a linked copy goes on its board, shown both ways."""

import pytest

from brobygget.core.models import AuditEvent
from brobygget.improvement import services
from brobygget.improvement.models import Improvement, Outcome, Spread, Stage
from brobygget.improvement.views_spread import ERROR_CHOOSE_UNIT
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db


def finished(org, raise_improvement, outcome=Outcome.ADOPTED):
    user = org["member"].user
    improvement = raise_improvement(title="Plogkarta på webben")
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "Hälften."), (Stage.STUDY, "Karta."), (Stage.ACT, "Halverat.")):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    lesson = "Invånarna ringer om annat." if outcome == Outcome.ABANDONED else ""
    return services.improvement_finish(actor=user, improvement=improvement, outcome=outcome, lesson=lesson)


def test_another_unit_adopts_a_completed_improvement_as_a_linked_copy_on_its_board(
    org, raise_improvement, login_client, street
):
    original = finished(org, raise_improvement)
    client = login_client(street["person"])
    shared = client.get(f"/forbattringar/klara/{original.pk}/").content.decode()
    assert "Ingen annan enhet har infört den än." in shared
    assert f'<option value="{street["unit"].pk}">Gatuenheten</option>' in shared

    response = client.post(f"/forbattringar/klara/{original.pk}/sprid/", {"unit": street["unit"].pk})

    copy = Improvement.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{copy.pk}/"
    assert (copy.unit, copy.stage, copy.owner, copy.title) == (
        street["unit"],
        Stage.IDEA,
        street["person"],
        original.title,
    )
    assert copy.problem == original.problem and copy.baseline == "" and copy.rounds.count() == 1
    assert Spread.objects.get().original == original
    assert AuditEvent.objects.get(action="improvement.spread").payload["original"] == original.pk
    assert "Spridd från Parkenheten:" in client.get(response["Location"]).content.decode()
    assert "Spridd till 1 enhet: Gatuenheten" in client.get(f"/forbattringar/klara/{original.pk}/").content.decode()
    # Once per unit.
    again = client.post(f"/forbattringar/klara/{original.pk}/sprid/", {"unit": street["unit"].pk}, follow=True)
    assert "Förbättringen finns redan på den enhetens tavla." in again.content.decode()
    assert Spread.objects.count() == 1


def test_only_an_adopted_improvement_spreads_and_only_to_a_unit_of_ones_own(
    org, raise_improvement, login_client, street
):
    ended = finished(org, raise_improvement, outcome=Outcome.ABANDONED)
    client = login_client(street["person"])
    assert "Inför hos oss" not in client.get(f"/forbattringar/klara/{ended.pk}/").content.decode()
    refused = client.post(f"/forbattringar/klara/{ended.pk}/sprid/", {"unit": street["unit"].pk}, follow=True)
    assert "Bara en förbättring som har införts kan spridas" in refused.content.decode()

    adopted = finished(org, raise_improvement)
    not_mine = client.post(f"/forbattringar/klara/{adopted.pk}/sprid/", {"unit": org["team"].pk}, follow=True)
    assert sv(ERROR_CHOOSE_UNIT) in not_mine.content.decode()
    assert not Spread.objects.exists()


def test_another_municipality_gets_404(org, raise_improvement, login_client):
    original = finished(org, raise_improvement)
    elsewhere = UnitFactory(municipality=MunicipalityFactory(code="9994"))
    outsider = PersonFactory(municipality=elsewhere.municipality)
    MembershipFactory(person=outsider, unit=elsewhere)

    response = login_client(outsider).post(f"/forbattringar/klara/{original.pk}/sprid/", {"unit": elsewhere.pk})

    assert response.status_code == 404 and not Spread.objects.exists()


def test_the_improvement_pages_show_both_directions_of_spreading_read_in_one_query(
    org, raise_improvement, login_client, street, assert_max_queries
):
    original = finished(org, raise_improvement)
    client = login_client(street["person"])
    client.post(f"/forbattringar/klara/{original.pk}/sprid/", {"unit": street["unit"].pk})
    copy = Improvement.objects.exclude(pk=original.pk).get()
    leader = login_client(org["member"])

    original_page = leader.get(f"/forbattringar/{original.pk}/").content.decode()
    copy_page = client.get(f"/forbattringar/{copy.pk}/").content.decode()
    with assert_max_queries(30) as reads:
        client.get(f"/forbattringar/{copy.pk}/")
    spread_reads = [query["sql"] for query in reads if "improvement_spread" in query["sql"]]

    assert "Spridd till 1 enhet: Gatuenheten" in original_page and "Spridd från" not in original_page
    assert "Spridd från Parkenheten:" in copy_page and f'href="/forbattringar/klara/{original.pk}/"' in copy_page
    assert "Ingen annan enhet har infört den än." not in copy_page
    # The copy is in Idea: where it spread to is not asked for, only where it came from.
    assert len(spread_reads) == 1
