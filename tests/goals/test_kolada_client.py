"""The Kolada client against a local HTTP server shaped like the API: paging through next_url, at most 25 ids a
segment and 5000 a page, retries with backoff on 429 (honouring Retry-After) and 5xx, timeouts, malformed answers."""

import pytest

from brobygget.goals.kolada.client import (
    MAX_PER_PAGE,
    FileTransport,
    KoladaClient,
    KoladaMalformed,
    KoladaNotFound,
    KoladaUnavailable,
    Response,
    recorded_name,
    segments,
)
from tests.goals.kolada_fake import FakeKolada, Trouble


@pytest.fixture
def kolada():
    fake = FakeKolada().start()
    yield fake
    fake.stop()


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client_for(fake: FakeKolada, **options) -> tuple[KoladaClient, Sleeps]:
    sleeps = Sleeps()
    values = {"timeout": 2, "retries": 3, "requests_per_second": 0, "sleep": sleeps, **options}
    return KoladaClient(base_url=fake.url, **values), sleeps


def test_data_is_read_page_by_page_following_next_url(kolada):
    for year in range(2015, 2026):
        kolada.row("N01951", "0486", year, T=1000 + year)
    client, _ = client_for(kolada, per_page=4)

    rows = list(client.data(kpi="N01951", municipalities=["0486"]))

    assert [row["period"] for row in rows] == list(range(2015, 2026))
    assert len(kolada.requests) == 3
    assert "page=2" in kolada.requests[1] and "page=3" in kolada.requests[2]


def test_ids_are_sent_at_most_25_per_segment_and_per_page_at_most_5000(kolada):
    ids = [f"N{number:05d}" for number in range(30)]
    for kpi in ids:
        kolada.kpi(kpi, f"Nyckeltal {kpi}")
    client, _ = client_for(kolada, per_page=10_000)

    rows = client.kpis(ids)

    assert len(rows) == 30
    assert len(kolada.requests) == 2
    first, second = (request.split("?")[0].rsplit("/", 1)[1] for request in kolada.requests)
    assert len(first.split(",")) == 25 and len(second.split(",")) == 5
    assert all(f"per_page={MAX_PER_PAGE}" in request for request in kolada.requests)
    assert list(segments(["a", "b", "a"])) == ["a,b"]


def test_a_429_is_tried_again_after_the_time_retry_after_asks(kolada):
    kolada.kpi("N01951", "Invånare totalt, antal")
    kolada.troubles.append(Trouble(status=429, headers={"Retry-After": "7"}))
    client, sleeps = client_for(kolada)

    rows = client.kpis(["N01951"])

    assert rows[0]["title"] == "Invånare totalt, antal"
    assert sleeps == [7.0]
    assert len(kolada.requests) == 2


def test_5xx_answers_are_tried_again_with_a_growing_pause(kolada):
    kolada.kpi("N01951", "Invånare totalt, antal")
    kolada.troubles += [Trouble(status=500), Trouble(status=502), Trouble(status=503)]
    client, sleeps = client_for(kolada)

    assert client.kpis(["N01951"])[0]["id"] == "N01951"
    assert sleeps == [1.0, 2.0, 4.0]


def test_kolada_that_keeps_failing_is_given_up_after_the_retries(kolada):
    kolada.troubles += [Trouble(status=500) for _ in range(5)]
    client, _ = client_for(kolada, retries=2)

    with pytest.raises(KoladaUnavailable) as raised:
        client.kpis(["N01951"])

    assert len(kolada.requests) == 3
    assert "3 tries" in raised.value.message


def test_a_retry_after_longer_than_two_minutes_is_not_waited_for(kolada):
    kolada.troubles.append(Trouble(status=429, headers={"Retry-After": "3600"}))
    client, sleeps = client_for(kolada)

    with pytest.raises(KoladaUnavailable):
        client.kpis(["N01951"])

    assert sleeps == []


def test_an_answer_slower_than_the_timeout_counts_as_a_failure_and_is_tried_again(kolada):
    kolada.kpi("N01951", "Invånare totalt, antal")
    kolada.troubles.append(Trouble(delay=1.0, body=b'{"values": [], "next_url": null}'))
    client, _ = client_for(kolada, timeout=0.3, retries=1)

    assert client.kpis(["N01951"])[0]["id"] == "N01951"
    assert len(kolada.requests) == 2


def test_only_slow_answers_give_up(kolada):
    kolada.troubles += [Trouble(delay=1.0, body=b"{}") for _ in range(2)]
    client, _ = client_for(kolada, timeout=0.3, retries=1)

    with pytest.raises(KoladaUnavailable) as raised:
        client.kpis(["N01951"])

    assert "timeout" in raised.value.message


@pytest.mark.parametrize(
    "body",
    [b"<html>Bad gateway</html>", b"[1, 2]", b'{"count": 3}', b'{"values": [1, 2]}', b'{"values": [], "next_url": 7}'],
)
def test_a_malformed_answer_is_refused(kolada, body):
    kolada.troubles.append(Trouble(body=body))
    client, _ = client_for(kolada)

    with pytest.raises(KoladaMalformed):
        client.kpis(["N01951"])


def test_a_404_is_not_tried_again(kolada):
    client, _ = client_for(kolada)

    with pytest.raises(KoladaNotFound):
        list(client._rows("nothing/here", {}))

    assert len(kolada.requests) == 1


def test_the_client_keeps_a_polite_pace():
    sleeps = Sleeps()
    answer = Response(200, {}, b'{"values": [], "next_url": null}')
    client = KoladaClient(
        base_url="http://kolada.invalid/v3", requests_per_second=5, sleep=sleeps, transport=lambda url, timeout: answer
    )
    client.kpis(["N01951"])
    client.kpis(["N01952"])

    assert len(sleeps) == 1 and 0.15 < sleeps[0] <= 0.2


def test_incremental_fetches_send_from_date(kolada):
    kolada.row("N01951", "0486", 2024, updated="2027-03-01", T=1)
    kolada.row("N01951", "0486", 2025, updated="2027-05-01", T=2)
    client, _ = client_for(kolada)

    rows = list(client.data(kpi="N01951", municipalities=["0486"], from_date="2027-04-01"))

    assert [row["period"] for row in rows] == [2025]
    assert "from_date=2027-04-01" in kolada.requests[0]


def test_recorded_answers_are_named_after_the_path_and_query(tmp_path):
    base = "https://api.kolada.se/v3"
    name = recorded_name(f"{base}/data/kpi/N01951/municipality/0486,0000?per_page=5000", base)
    assert name == "data_kpi_N01951_municipality_0486-0000"
    (tmp_path / f"{name}.json").write_text('{"values": [{"kpi": "N01951"}], "next_url": null}')
    client = KoladaClient(base_url=base, transport=FileTransport(tmp_path, base), requests_per_second=0)

    assert list(client.data(kpi="N01951", municipalities=["0486", "0000"])) == [{"kpi": "N01951"}]
    with pytest.raises(KoladaNotFound):
        client.kpis(["N99999"])
