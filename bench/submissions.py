"""The resident form's POST, judged by what residents need rather than by its time against the bare view.

A showing of the form gives one case (the signed time it was shown is kept with the case), so a POST cannot be
replayed as wrk replays a page. Each submission here is made as a browser makes it: the form is shown (GET), and
its hidden fields and the resident's answers are posted. All showings are fetched first; then only the POSTs are
sent and timed.

* Throughput: THROUGHPUT_SUBMISSIONS posts over THROUGHPUT_CONNECTIONS connections to one gunicorn with two
  workers. Target: at least SUBMISSIONS_PER_SECOND_MIN accepted submissions a second.
* Parallel: PARALLEL_SUBMISSIONS posts at once, one connection each, alternating between two gunicorn servers on
  the same database. Target: every one accepted (302 to its receipt), and the cases hold as many distinct case
  numbers, consecutive within their year, as there were posts: nothing lost, nothing given twice; and the
  statistics rollup (`CaseTally`, kept in each submission's transaction) counted every one of them.

The cases are found again by a marker in their text, unique to the run.
"""

import http.client
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from bench.measure import HOST, log, percentile
from bench.pages import FEEDBACK_FORM, FORM_PATH, Fixture, Page, form_fields

SUBMISSIONS_PER_SECOND_MIN = 50.0
THROUGHPUT_SUBMISSIONS = 400
THROUGHPUT_CONNECTIONS = 8
PARALLEL_SUBMISSIONS = 1000
FORM_PAGE = Page("form, POST", FORM_PATH, None, form=FEEDBACK_FORM, expect=302)
_RECEIPT = re.compile(r"/arende/([^/]+)/[^/]+/kvitto/")


@dataclass(frozen=True)
class Showing:
    """One showing of the form, ready to post: the server it was shown by, the Cookie header and the body."""

    port: int
    cookie: str
    body: str


@dataclass
class Sent:
    """What a batch of posts came to."""

    submissions: int
    seconds: float
    statuses: Counter[int] = field(default_factory=Counter)
    numbers: list[str] = field(default_factory=list)  # from the receipts the answers redirect to
    latencies_ms: list[float] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.statuses[302]

    @property
    def per_second(self) -> float:
        return self.accepted / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "submissions": self.submissions,
            "accepted": self.accepted,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "seconds": round(self.seconds, 3),
            "per_second": round(self.per_second, 1),
            "p50_ms": round(percentile(self.latencies_ms, 50), 2) if self.latencies_ms else None,
            "p99_ms": round(percentile(self.latencies_ms, 99), 2) if self.latencies_ms else None,
        }


@dataclass
class Numbers:
    """The cases the posts made, read back from the database."""

    cases: int
    distinct: int
    consecutive: bool  # within each year, the sequences are one run without gaps
    receipts_match: bool  # the numbers the receipts named are exactly those of the cases
    tallied: int | None = None  # how many the statistics rollup counted meanwhile (None: not read)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Submissions:
    throughput: Sent
    parallel: Sent
    parallel_numbers: Numbers
    servers: int = 2

    @property
    def throughput_ok(self) -> bool:
        return (
            self.throughput.accepted == self.throughput.submissions
            and self.throughput.per_second >= SUBMISSIONS_PER_SECOND_MIN
        )

    @property
    def parallel_ok(self) -> bool:
        numbers = self.parallel_numbers
        return (
            self.parallel.accepted == self.parallel.submissions
            and numbers.cases == numbers.distinct == self.parallel.submissions
            and numbers.consecutive
            and numbers.receipts_match
            and numbers.tallied in (None, self.parallel.submissions)
        )

    def missed(self) -> list[str]:
        missed = []
        if not self.throughput_ok:
            t = self.throughput
            missed.append(
                f"form POST throughput: {t.per_second:.0f} submissions/s, {t.accepted} of {t.submissions} accepted "
                f"(target ≥ {SUBMISSIONS_PER_SECOND_MIN:g}/s, all accepted)"
            )
        if not self.parallel_ok:
            p, n = self.parallel, self.parallel_numbers
            missed.append(
                f"{p.submissions} parallel submissions: {p.accepted} accepted ({dict(p.statuses)}), {n.cases} cases, "
                f"{n.distinct} distinct numbers, consecutive {n.consecutive}, receipts match {n.receipts_match}, "
                f"counted in the statistics {n.tallied}"
            )
        return missed

    def lines(self) -> list[str]:
        t, p, n = self.throughput, self.parallel, self.parallel_numbers
        return [
            f"Resident form POST, throughput (one gunicorn, {THROUGHPUT_CONNECTIONS} connections): "
            f"{t.accepted}/{t.submissions} accepted in {t.seconds:.1f} s = {t.per_second:.0f} submissions/s, "
            f"p50 {percentile(t.latencies_ms, 50):.1f} ms (target ≥ {SUBMISSIONS_PER_SECOND_MIN:g}/s)  "
            f"{'ok' if self.throughput_ok else 'MISSED'}",
            f"Resident form POST, {p.submissions} at once through two gunicorn servers: {p.accepted} accepted in "
            f"{p.seconds:.1f} s; {n.cases} cases, {n.distinct} distinct numbers, "
            f"{'consecutive' if n.consecutive else 'NOT consecutive'}, "
            f"receipts {'match' if n.receipts_match else 'do NOT match'}, {n.tallied} counted in the statistics  "
            f"{'ok' if self.parallel_ok else 'MISSED'}",
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "throughput": {
                **self.throughput.as_dict(),
                "connections": THROUGHPUT_CONNECTIONS,
                "target_per_second": SUBMISSIONS_PER_SECOND_MIN,
                "ok": self.throughput_ok,
            },
            "parallel": {
                **self.parallel.as_dict(),
                "servers": self.servers,
                **self.parallel_numbers.as_dict(),
                "ok": self.parallel_ok,
            },
        }


def marker_new() -> str:
    return f"bench-{uuid.uuid4().hex[:12]}"


def showings_fetch(ports: list[int], count: int, fixture: Fixture, marker: str) -> list[Showing]:
    """Show the form `count` times, alternating between the servers, and fill it in with the marker in the text."""
    from django.conf import settings

    connections = {port: http.client.HTTPConnection(HOST, port, timeout=60) for port in ports}
    cookie = ""
    showings = []
    try:
        for n in range(count):
            port = ports[n % len(ports)]
            connections[port].request("GET", FORM_PATH, headers={"Cookie": cookie} if cookie else {})
            response = connections[port].getresponse()
            content = response.read().decode(errors="replace")
            if response.status != 200:
                raise RuntimeError(f"GET {FORM_PATH} answered {response.status}, not 200")
            if not cookie:
                jar: SimpleCookie = SimpleCookie()
                for header in response.headers.get_all("Set-Cookie") or []:
                    jar.load(header)
                cookie = f"{settings.CSRF_COOKIE_NAME}={jar[settings.CSRF_COOKIE_NAME].value}"
            fields = form_fields(FORM_PAGE, fixture, content)
            fields["text"] = f"{fields['text']} [{marker}]"
            showings.append(Showing(port, cookie, urlencode(fields)))
    finally:
        for connection in connections.values():
            connection.close()
    return showings


def submissions_send(showings: list[Showing], *, connections: int) -> Sent:
    """Post the showings over `connections` connections at once (each keeps its own), started together."""
    sent = Sent(submissions=len(showings), seconds=0.0)
    lock = threading.Lock()
    start = threading.Barrier(connections + 1)
    shares = [showings[n::connections] for n in range(connections)]

    def post(share: list[Showing]) -> None:
        open_connections: dict[int, http.client.HTTPConnection] = {}
        start.wait()
        for showing in share:
            connection = open_connections.get(showing.port)
            if connection is None:
                connection = open_connections[showing.port] = http.client.HTTPConnection(
                    HOST, showing.port, timeout=300
                )
            headers = {"Cookie": showing.cookie, "Content-Type": "application/x-www-form-urlencoded"}
            began = time.perf_counter()
            try:
                connection.request("POST", FORM_PATH, body=showing.body, headers=headers)
                response = connection.getresponse()
                response.read()
                status, location = response.status, response.headers.get("Location", "")
            except OSError:
                status, location = 0, ""  # 0: the connection failed
                connection.close()
                open_connections.pop(showing.port)
            elapsed = (time.perf_counter() - began) * 1000
            number = _RECEIPT.search(location)
            with lock:
                sent.statuses[status] += 1
                sent.latencies_ms.append(elapsed)
                if number:
                    sent.numbers.append(number.group(1))
        for connection in open_connections.values():
            connection.close()

    threads = [threading.Thread(target=post, args=(share,), daemon=True) for share in shares]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    sent.seconds = time.perf_counter() - began
    return sent


def numbers_check(marker: str, sent: Sent) -> Numbers:
    """The cases of the marker: how many, whether their numbers are distinct and consecutive, and the receipts'."""
    from brobygget.dialog.models import Case

    rows = list(Case.objects.filter(text__endswith=f"[{marker}]").values_list("number", "year", "sequence"))
    by_year: dict[int, list[int]] = {}
    for _number, year, sequence in rows:
        by_year.setdefault(year, []).append(sequence)
    consecutive = all(sorted(s) == list(range(min(s), min(s) + len(s))) for s in by_year.values())
    numbers = [number for number, _year, _sequence in rows]
    return Numbers(
        cases=len(rows),
        distinct=len(set(numbers)),
        consecutive=bool(rows) and consecutive,
        receipts_match=sorted(numbers) == sorted(sent.numbers),
    )


def tallied(fixture: Fixture) -> int:
    """The cases the statistics rollup counts for the municipality (bench/submissions posts in one category)."""
    from django.db.models import Sum

    from brobygget.dialog.models import CaseTally

    counted = CaseTally.objects.filter(municipality_id=fixture.municipality_id).aggregate(n=Sum("received"))["n"]
    return int(counted or 0)


def throughput_measure(port: int, fixture: Fixture) -> Sent:
    marker = marker_new()
    log(f"form POST throughput: showing the form {THROUGHPUT_SUBMISSIONS} times")
    showings = showings_fetch([port], THROUGHPUT_SUBMISSIONS, fixture, marker)
    log(f"form POST throughput: {THROUGHPUT_SUBMISSIONS} submissions over {THROUGHPUT_CONNECTIONS} connections")
    sent = submissions_send(showings, connections=THROUGHPUT_CONNECTIONS)
    log(f"  {sent.accepted} accepted, {sent.per_second:.0f}/s, p50 {statistics.median(sent.latencies_ms):.1f} ms")
    return sent


def parallel_measure(ports: list[int], fixture: Fixture) -> tuple[Sent, Numbers]:
    marker = marker_new()
    log(f"parallel submissions: showing the form {PARALLEL_SUBMISSIONS} times on {len(ports)} servers")
    showings = showings_fetch(ports, PARALLEL_SUBMISSIONS, fixture, marker)
    from django.db import connections

    before = tallied(fixture)
    connections.close_all()
    log(f"parallel submissions: {PARALLEL_SUBMISSIONS} at once")
    sent = submissions_send(showings, connections=PARALLEL_SUBMISSIONS)
    connections.close_all()  # the gunicorns wrote the cases: read them afresh
    numbers = numbers_check(marker, sent)
    numbers.tallied = tallied(fixture) - before
    log(f"  {sent.accepted} accepted in {sent.seconds:.1f} s; {numbers}")
    return sent, numbers
