"""The bare view of the benchmarks exists only in bench settings; the wrk output is read correctly."""

import pytest
from django.test import override_settings

from bench.measure import wrk_parse

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
    assert client.get("/bench/bare-write/").status_code == 404


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


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_bare_audited_write_checks_csrf_writes_one_event_and_redirects(municipality):
    import re

    from django.test import Client

    from brobygget.core.models import AuditEvent

    client = Client(enforce_csrf_checks=True)
    page = client.get("/bench/bare-write/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    assert fields["municipality"] == str(municipality.pk)

    assert client.post("/bench/bare-write/", {"municipality": municipality.pk}).status_code == 403  # no token
    response = client.post("/bench/bare-write/", fields)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="bench.write")
    assert event.municipality_id == municipality.pk
