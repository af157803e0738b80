"""Connecting a Kolada KPI and the sync, against a local HTTP server shaped like the API: the municipality's values
with Riket and the chosen group, null as "no value", isdeleted rows dropped, incremental fetches by from_date, a changed
title flagged and confirmed, failures that leave stored values unchanged (a transaction per KPI), the command, the
search page and "Källa: Kolada" on the indicator's page."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from brobygget.core.models import AuditEvent
from brobygget.goals.kolada.client import KoladaClient
from brobygget.goals.kolada.sync import ERROR_KPI_REMOVED, kolada_connect, kolada_sync, kolada_title_confirm
from brobygget.goals.models import GoalChange, Indicator, KoladaSetup, Measurement
from tests.goals.conftest import TODAY, sv
from tests.goals.kolada_fake import FakeKolada, Trouble

pytestmark = pytest.mark.django_db

KPI = "N01951"


@pytest.fixture
def kolada(settings, municipality):
    """A Kolada with one KPI for our municipality (8001), Riket and a neighbour (8002), our municipality's group."""
    fake = FakeKolada().start()
    settings.KOLADA_BASE_URL = fake.url
    settings.KOLADA_REQUESTS_PER_SECOND = 0
    settings.KOLADA_RETRIES = 0
    settings.KOLADA_TIMEOUT_SECONDS = 2
    KoladaSetup.objects.create(municipality=municipality, group_name="Liknande kommuner", group_ids="8002, 0000")
    fake.kpi(KPI, "Invånare totalt, antal", description="Antal invånare den 31/12.")
    fake.row(KPI, "8001", 2024, T=35000.0, K=17400.0, M=17600.0)
    fake.row(KPI, "8001", "2025", T=35500.5, K=None, M=None)  # the period as a string; suppressed genders
    fake.row(KPI, "8001", 2023, T=("deleted", 34000.0))
    fake.row(KPI, "0000", 2024, T=10_500_000.0)
    fake.row(KPI, "8002", 2024, T=42000.0)
    fake.row(KPI, "9999", 2024, T=1.0)  # not asked for
    yield fake
    fake.stop()


def client() -> KoladaClient:
    return KoladaClient(retries=0, requests_per_second=0)


def values(indicator: Indicator) -> dict[tuple[str, int, str], Decimal | None]:
    return {
        (m.area, m.year, m.gender): m.value
        for m in Measurement.objects.filter(indicator=indicator).order_by("area", "year", "gender")
    }


@pytest.fixture
def connected(kolada, goals_org, tree):
    with time_machine.travel(TODAY, tick=False):
        return kolada_connect(actor=goals_org["leader"].user, goal=tree["park"], kpi=KPI, client=client())


def test_connecting_a_kpi_fills_an_indicator_with_the_municipality_riket_and_the_group(connected, tree, goals_org):
    stored = values(connected)

    assert connected.source == Indicator.Source.KOLADA
    assert connected.name == connected.kolada_title == "Invånare totalt, antal"
    assert connected.owner_id == tree["park"].responsible_id
    assert stored == {
        ("", 2024, "T"): Decimal("35000"),
        ("", 2024, "K"): Decimal("17400"),
        ("", 2024, "M"): Decimal("17600"),
        ("", 2025, "T"): Decimal("35500.5"),
        ("", 2025, "K"): None,  # null is "no value", never 0
        ("", 2025, "M"): None,
        ("0000", 2024, "T"): Decimal("10500000"),
        ("8002", 2024, "T"): Decimal("42000"),
    }
    assert ("", 2023, "T") not in stored  # isdeleted is dropped
    assert set(Measurement.objects.filter(indicator=connected).values_list("source", flat=True)) == {"kolada"}
    assert AuditEvent.objects.filter(action="indicator.created").count() == 1
    assert GoalChange.objects.filter(goal=tree["park"], changes__has_key="indicator").exists()


def test_a_kpi_is_connected_to_a_goal_once(kolada, connected, goals_org, tree):
    kolada.requests.clear()
    with pytest.raises(ValidationError) as raised:
        kolada_connect(actor=goals_org["leader"].user, goal=tree["park"], kpi=KPI, client=client())
    assert sv(raised.value.error_dict["kpi"][0].messages[0]) == "Nyckeltalet är redan kopplat till det här målet."
    assert Indicator.objects.count() == 1 and kolada.requests == []


def test_only_the_goals_editors_may_connect(kolada, goals_org, tree):
    with pytest.raises(PermissionDenied):
        kolada_connect(actor=goals_org["member"].user, goal=tree["park"], kpi=KPI, client=client())
    assert not Indicator.objects.exists()
    assert kolada.requests == []


def test_the_sync_fetches_only_what_changed_since_the_day_before_the_last_fetch(kolada, connected):
    kolada.requests.clear()
    kolada.row(KPI, "8001", 2026, updated="2027-06-01", T=36000.0)
    kolada.row(KPI, "8001", 2024, updated="2027-06-01", T=("deleted", 35000.0))

    with time_machine.travel(TODAY + datetime.timedelta(days=30), tick=False):
        result = kolada_sync(client=client())

    stored = values(connected)
    assert result.synced == 1 and not result.failed
    assert f"from_date={(TODAY.date() - datetime.timedelta(days=1)).isoformat()}" in kolada.requests[-1]
    assert stored[("", 2026, "T")] == Decimal("36000")
    assert ("", 2024, "T") not in stored  # a value Kolada withdrew is removed
    assert stored[("", 2024, "K")] == Decimal("17400")
    connected.refresh_from_db()
    assert connected.kolada_synced_at == TODAY + datetime.timedelta(days=30)


def test_a_full_sync_fetches_everything(kolada, connected):
    kolada.requests.clear()
    kolada_sync(client=client(), full=True)
    assert "from_date" not in kolada.requests[-1]


def test_a_changed_title_is_flagged_until_a_person_confirms_it(kolada, connected, goals_org, tree, login_client):
    kolada.kpi(KPI, "Invånare totalt (folkbokförda), antal")

    result = kolada_sync(client=client())

    connected.refresh_from_db()
    assert result.flagged == 1
    assert connected.kolada_title_changed_to == "Invånare totalt (folkbokförda), antal"
    assert connected.name == "Invånare totalt, antal"
    page = login_client(goals_org["leader"]).get(reverse("goals:indicator", args=[connected.pk])).content.decode()
    assert "Bekräfta den nya titeln" in page
    goal_page = login_client(goals_org["leader"]).get(reverse("goals:detail", args=[tree["park"].pk]))
    assert "Ny titel i Kolada" in goal_page.content.decode()

    with pytest.raises(PermissionDenied):
        kolada_title_confirm(actor=goals_org["member"].user, indicator=connected)
    response = login_client(goals_org["leader"]).post(reverse("goals:kolada_title_confirm", args=[connected.pk]))

    assert response.status_code == 302
    connected.refresh_from_db()
    assert connected.kolada_title == connected.name == "Invånare totalt (folkbokförda), antal"
    assert connected.kolada_title_changed_to == ""


@pytest.mark.parametrize(
    "trouble",
    [
        Trouble(status=500, path_contains="/data/"),
        Trouble(body=b"<html>oops</html>", path_contains="/data/"),
        Trouble(body=b'{"values": [{"kpi": "N01951", "municipality": "8001", "period": "x", "values": []}]}'),
        Trouble(
            body=b'{"values": [{"municipality": "8001", "period": 2024, "values": [{"gender": "T", "value": "a"}]}]}'
        ),
    ],
    ids=["server-error", "not-json", "no-year", "not-a-number"],
)
def test_a_failure_leaves_the_stored_values_unchanged_and_says_why(kolada, connected, trouble, caplog):
    before = values(connected)
    kolada.row(KPI, "8001", 2026, updated="2099-01-01", T=99.0)
    trouble.path_contains = trouble.path_contains or "/data/"
    kolada.troubles.append(trouble)

    result = kolada_sync(client=client(), full=True)

    connected.refresh_from_db()
    assert values(connected) == before
    assert result.failed and connected.kolada_error
    assert "Kolada sync of indicator" in caplog.text


def test_a_timeout_leaves_the_values_unchanged(kolada, connected, settings):
    before = values(connected)
    kolada.troubles.append(Trouble(delay=1.5, body=b"{}", path_contains="/data/"))

    result = kolada_sync(client=KoladaClient(retries=0, requests_per_second=0, timeout=0.3), full=True)

    connected.refresh_from_db()
    assert values(connected) == before
    assert "timeout" in connected.kolada_error and result.failed


def test_a_removed_kpi_is_reported_and_its_values_kept(kolada, connected):
    before = values(connected)
    del kolada.kpis[KPI]

    result = kolada_sync(client=client())

    connected.refresh_from_db()
    assert values(connected) == before
    assert connected.kolada_error == sv(ERROR_KPI_REMOVED) % {"kpi": KPI}
    assert result.failed == [(connected.pk, connected.kolada_error)]


def test_each_kpi_is_synced_in_its_own_transaction(kolada, connected, goals_org, tree):
    kolada.kpi("N00945", "Nöjd medborgar-index, helhet")
    kolada.row("N00945", "8001", 2024, T=55.0)
    other = kolada_connect(actor=goals_org["leader"].user, goal=tree["park"], kpi="N00945", client=client())
    kolada.row("N00945", "8001", 2025, updated="2099-01-01", T=57.0)
    kolada.troubles.append(Trouble(status=500, path_contains=f"/data/kpi/{KPI}/"))

    result = kolada_sync(client=client(), full=True)

    assert [pk for pk, _message in result.failed] == [connected.pk]
    assert values(other)[("", 2025, "T")] == Decimal("57")


def test_a_later_success_clears_the_error(kolada, connected):
    kolada.troubles.append(Trouble(status=503, path_contains="/kpi/"))
    kolada_sync(client=client())
    connected.refresh_from_db()
    assert connected.kolada_error

    kolada_sync(client=client())

    connected.refresh_from_db()
    assert connected.kolada_error == ""


def test_the_command_syncs_what_is_connected(kolada, connected, capsys):
    kolada.row(KPI, "8001", 2026, updated="2099-01-01", T=36100.0)

    call_command("kolada_sync")

    assert values(connected)[("", 2026, "T")] == Decimal("36100")
    assert "1" in capsys.readouterr().out


def test_the_command_reports_failures(kolada, connected):
    kolada.troubles.append(Trouble(status=500, path_contains="/kpi/"))
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("kolada_sync")


def test_archived_indicators_are_not_synced(kolada, connected, goals_org):
    from brobygget.goals.indicators import indicator_archive

    indicator_archive(actor=goals_org["leader"].user, indicator=connected)
    kolada.requests.clear()

    assert kolada_sync(client=client()).synced == 0
    assert kolada.requests == []


# The pages


def test_a_leader_searches_kolada_and_connects_a_kpi(kolada, goals_org, tree, login_client):
    leader = login_client(goals_org["leader"])
    url = reverse("goals:kolada_search", args=[tree["park"].pk])

    page = leader.get(url, {"q": "invånare"})

    html = page.content.decode()
    assert page.status_code == 200
    assert "Invånare totalt, antal" in html and 'name="kpi" value="N01951"' in html
    assert "Källa: Kolada" in html

    response = leader.post(reverse("goals:kolada_connect", args=[tree["park"].pk]), {"kpi": KPI})

    indicator = Indicator.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("goals:indicator", args=[indicator.pk])
    detail = leader.get(response["Location"]).content.decode()
    assert "Källa: Kolada" in detail
    assert "35\u00a0500,5" in detail and "Riket" in detail


def test_the_search_without_kolada_says_so_and_keeps_the_words(kolada, goals_org, tree, login_client):
    kolada.troubles.append(Trouble(status=500))
    page = login_client(goals_org["leader"]).get(reverse("goals:kolada_search", args=[tree["park"].pk]), {"q": "skola"})
    assert page.status_code == 503
    assert "Kolada gick inte att nå" in page.content.decode()
    assert 'value="skola"' in page.content.decode()


def test_a_short_search_is_refused_in_swedish(kolada, goals_org, tree, login_client):
    page = login_client(goals_org["leader"]).get(reverse("goals:kolada_search", args=[tree["park"].pk]), {"q": "a"})
    assert "minst två bokstäver" in page.content.decode()
    assert kolada.requests == []


def test_staff_who_may_not_edit_cannot_search_or_connect(kolada, goals_org, tree, login_client):
    member = login_client(goals_org["member"])
    assert member.get(reverse("goals:kolada_search", args=[tree["park"].pk]), {"q": "x"}).status_code == 403
    assert member.post(reverse("goals:kolada_connect", args=[tree["park"].pk]), {"kpi": KPI}).status_code == 403
    street = login_client(goals_org["street_leader"])
    assert street.get(reverse("goals:kolada_search", args=[tree["park"].pk])).status_code == 404


def test_an_unknown_kpi_is_refused_with_a_message(kolada, goals_org, tree, login_client):
    response = login_client(goals_org["leader"]).post(
        reverse("goals:kolada_connect", args=[tree["park"].pk]), {"kpi": "N99999"}
    )
    assert response.status_code == 400
    assert "Kolada har inget nyckeltal med det id:t" in response.content.decode()
    assert not Indicator.objects.exists()


def test_the_error_of_a_failed_sync_shows_on_the_indicators_page(kolada, connected, goals_org, login_client):
    kolada.troubles.append(Trouble(status=500, path_contains="/kpi/"))
    kolada_sync(client=client())
    html = login_client(goals_org["leader"]).get(reverse("goals:indicator", args=[connected.pk])).content.decode()
    assert "Den senaste hämtningen från Kolada misslyckades" in html


def test_the_search_page_asks_the_same_number_of_queries_however_many_indicators(
    kolada, connected, goals_org, tree, login_client, assert_max_queries
):
    leader = login_client(goals_org["leader"])
    url = reverse("goals:kolada_search", args=[tree["park"].pk])
    leader.get(url, {"q": "inv"})
    with assert_max_queries(20) as small:
        leader.get(url, {"q": "inv"})
    for number in range(5):
        kolada.kpi(f"N0{number}000", f"Invånare {number}")
        kolada_connect(actor=goals_org["leader"].user, goal=tree["park"], kpi=f"N0{number}000", client=client())
    with assert_max_queries(len(small)) as large:
        response = leader.get(url, {"q": "inv"})
    assert response.content.decode().count("Redan kopplat till det här målet.") == 6
    assert len(large) == len(small)


def test_the_command_can_hand_the_sync_to_the_worker(kolada, connected, capsys):
    kolada.row(KPI, "8001", 2026, updated="2099-01-01", T=36200.0)

    call_command("kolada_sync", "--enqueue")  # the tests' task backend runs it at once

    assert "köad" in capsys.readouterr().out
    assert values(connected)[("", 2026, "T")] == Decimal("36200")
