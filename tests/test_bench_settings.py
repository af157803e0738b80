"""The bare view of the benchmarks exists only in bench settings; the wrk output is read correctly; the targets
are judged as docs/benchmarks.md says."""

import datetime
from collections import Counter

import pytest
import time_machine
from django.test import override_settings

from bench.measure import wrk_parse
from tests.factories import CategoryFactory, submit_case

pytestmark = pytest.mark.django_db

# Real wrk output; wrk pads some values with a trailing space (the \x20).
WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:40123/bench/bare/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     7.88ms    2.10ms  30.12ms   80.00%
    Req/Sec   507.00     40.00   600.00     70.00%
  Latency Distribution
     50%  750.00us
     75%    8.50ms
     90%    9.90ms
     99%    1.20s\x20
  5050 requests in 5.00s, 1.51MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1010.07
Transfer/sec:    309.00KB
"""


def test_the_bare_view_is_not_routed_in_the_normal_settings(client):
    assert client.get("/bench/bare/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bare_view_answers_in_the_bench_urls_next_to_the_project_pages(client):
    response = client.get("/bench/bare/")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.get("/healthz").status_code == 200


def test_wrk_output_is_read_in_milliseconds():
    result = wrk_parse(WRK_OUTPUT)

    assert result.p50_ms == pytest.approx(0.75)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests_per_second == pytest.approx(1010.07)
    assert result.requests == 5050
    assert result.non_2xx_3xx == 4
    assert result.socket_errors == 3


def test_errors_count_the_timed_passes_failures_and_the_check_pass_wrong_statuses():
    from bench.measure import Http, WrkPass

    timed = WrkPass(p50_ms=1.0, p99_ms=2.0, requests_per_second=100.0, requests=500, non_2xx_3xx=1, socket_errors=2)
    http = Http(passes=[timed, timed])
    assert http.errors == 6  # no check pass (yet): what wrk itself counts
    http.check = WrkPass(p50_ms=1.0, p99_ms=2.0, requests_per_second=100.0, requests=90, unexpected_status=90)
    assert http.errors == 96  # e.g. every answer of the check was a redirect to the login
    assert http.p50_ms == 1.0  # the check pass is not timed


def test_the_parallel_check_wants_distinct_consecutive_numbers_and_the_receipts_to_name_them(municipality):
    from bench.submissions import Sent, numbers_check

    category = CategoryFactory(municipality=municipality)
    with time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC), tick=False):
        run = [submit_case(category, text="Bänk [bench-a]")[0].number for _ in range(3)]
        gapped = [submit_case(category, text=text)[0].number for text in ("Bänk [bench-b]", "Annat", "Bänk [bench-b]")]

    found = numbers_check("bench-a", Sent(submissions=3, seconds=1.0, numbers=list(reversed(run))))
    assert (found.cases, found.distinct, found.consecutive, found.receipts_match) == (3, 3, True, True)
    assert not numbers_check("bench-a", Sent(submissions=3, seconds=1.0, numbers=run[:2])).receipts_match
    assert not numbers_check("bench-b", Sent(submissions=2, seconds=1.0, numbers=gapped[::2])).consecutive
    assert numbers_check("bench-c", Sent(submissions=0, seconds=1.0)).consecutive is False  # nothing arrived


def test_the_form_post_is_judged_by_throughput_and_by_what_parallel_posts_leave():
    from bench.submissions import Numbers, Sent, Submissions

    def sent(accepted: int, seconds: float, failed: int = 0) -> Sent:
        return Sent(submissions=accepted + failed, seconds=seconds, statuses=Counter({302: accepted, 0: failed}))

    sound = Numbers(cases=1000, distinct=1000, consecutive=True, receipts_match=True)
    fast = Submissions(throughput=sent(400, 8.0), parallel=sent(1000, 30.0), parallel_numbers=sound)
    assert fast.throughput.per_second == 50 and fast.throughput_ok and fast.parallel_ok and fast.missed() == []
    slow = Submissions(throughput=sent(400, 8.1), parallel=sent(1000, 30.0), parallel_numbers=sound)
    assert not slow.throughput_ok and "throughput" in slow.missed()[0]
    lost = Submissions(throughput=sent(400, 8.0), parallel=sent(999, 30.0, failed=1), parallel_numbers=sound)
    assert not lost.parallel_ok
    twice = Numbers(cases=1000, distinct=999, consecutive=True, receipts_match=True)
    assert not Submissions(throughput=sent(400, 8.0), parallel=sent(1000, 30.0), parallel_numbers=twice).parallel_ok
    uncounted = Numbers(cases=1000, distinct=1000, consecutive=True, receipts_match=True, tallied=999)
    assert not Submissions(throughput=sent(400, 8.0), parallel=sent(1000, 30.0), parallel_numbers=uncounted).parallel_ok


def test_a_page_asking_more_queries_than_its_budget_misses_whatever_its_time():
    from bench.measure import InProcess
    from bench.pages import Page
    from bench.report import PageResult

    page = Page("statistics", "/arenden/statistik/", "registrar", queries=10)
    result = PageResult(page, page.path, "bare", InProcess(requests=1, mean_ms=1, p50_ms=1, p99_ms=1, queries=11))
    result.http_ratio = 1.5
    assert not result.ok
    result.in_process.queries = 10
    assert result.ok
    result.http_ratio = 4.1
    assert not result.ok


def test_the_parallel_check_reads_how_many_cases_the_statistics_counted(municipality):
    from types import SimpleNamespace

    from bench.submissions import tallied

    category = CategoryFactory(municipality=municipality)
    fixture = SimpleNamespace(municipality_id=municipality.pk)
    assert tallied(fixture) == 0  # type: ignore[arg-type]
    for _ in range(3):
        submit_case(category)
    assert tallied(fixture) == 3  # type: ignore[arg-type]
