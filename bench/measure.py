"""The two measurements: in-process with Django's test client, and over HTTP with gunicorn and wrk."""

import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.pages import PERSONAS, Fixture, Page, form_fields, page_path

HOST = "127.0.0.1"  # the benchmark never listens anywhere else
GUNICORN_WORKERS = 2
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk.lua"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], p: int) -> float:
    """The p-th percentile (inclusive method): p50 is the median."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# --- In-process -------------------------------------------------------------------------------


@dataclass
class InProcess:
    requests: int
    mean_ms: float
    p50_ms: float
    p99_ms: float
    queries: int
    # The same request with the cache emptied before each: what the pages that keep something (the resident
    # pages, Open311 lists) cost on a miss, once a minute per process and query. No target; printed for those.
    cold_p50_ms: float = 0.0
    cold_queries: int = 0

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def clients_for(pages: list[Page], fixture: Fixture) -> dict[str | None, Any]:
    """One logged-in test client per persona (None: anonymous), checking CSRF tokens as production does."""
    from django.test import Client

    clients: dict[str | None, Any] = {}
    for page in pages:
        if page.login_as not in clients:
            client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
            if page.login_as is not None:
                client.force_login(PERSONAS[page.login_as](fixture))
            clients[page.login_as] = client
    return clients


def _in_process_request(page: Page, fixture: Fixture, client: Any) -> Callable[[], Any]:
    """The request of the page as a function; a form is read once first, as a browser shows it before posting."""
    path = page_path(page, fixture)
    if page.form is None:
        return lambda: client.get(path)
    shown = client.get(path)
    if shown.status_code != 200:
        raise RuntimeError(f"{page.name}: GET {path} answered {shown.status_code}, not 200")
    body = urlencode(form_fields(page, fixture, shown.content.decode()))
    return lambda: client.post(path, data=body, content_type=FORM_CONTENT_TYPE)


def in_process_measure(page: Page, fixture: Fixture, client: Any, *, requests: int, warmup: int) -> InProcess:
    """Time `requests` requests through the whole middleware stack, after a warm-up; count one request's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = _in_process_request(page, fixture, client)
    for _ in range(warmup):
        response = request()
        if response.status_code != page.expect:
            raise RuntimeError(
                f"{page.name}: {page.method} {page_path(page, fixture)} answered {response.status_code}, "
                f"not {page.expect}"
            )
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # now: the next request empties the log again
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    cold, cold_queries = _cold_timings(request, max(requests // 6, 10))
    return InProcess(
        requests=requests,
        mean_ms=statistics.fmean(timings),
        p50_ms=percentile(timings, 50),
        p99_ms=percentile(timings, 99),
        queries=queries,
        cold_p50_ms=percentile(cold, 50),
        cold_queries=cold_queries,
    )


def _cold_timings(request: Callable[[], Any], count: int) -> tuple[list[float], int]:
    """Timings of the request with this process's cache emptied before each, and the queries of one such request."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        request()
    queries = len(captured)  # now: the next request empties the log again
    timings = []
    for _ in range(count):
        cache.clear()
        started = time.perf_counter()
        request()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, queries


# --- Gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    def worker_pids(self) -> list[int]:
        """The workers are the master's children: read their parent pid from /proc."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            match = re.search(r"^PPid:\s+(\d+)$", status, re.MULTILINE)
            if match and int(match.group(1)) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmRSS:\s+(\d+) kB$", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


@contextmanager
def gunicorn(*, env: dict[str, str], cwd: Path, log_path: Path, startup_seconds: float = 60) -> Iterator[Server]:
    """Run `gunicorn brobygget.wsgi` with 2 workers on 127.0.0.1; always stopped when the block ends."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "brobygget.wsgi:application",
        "--workers",
        str(GUNICORN_WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--log-level",
        "warning",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log_file:
        # A session of its own: a Ctrl-C in the terminal reaches us, and we stop gunicorn in order.
        process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_terminate_with_parent,  # the benchmark is single-threaded, so this is safe
        )
    server = Server(process, port, log_path)
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            if len(server.worker_pids()) >= GUNICORN_WORKERS and _answers(port):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {startup_seconds:.0f} s; see {log_path}")
            time.sleep(0.2)
        yield server
    finally:
        _stop(process)
        log(f"gunicorn stopped (exit status {process.returncode})")


def _terminate_with_parent() -> None:
    """In the child before exec: SIGTERM it when the benchmark dies, even by SIGKILL (Linux only)."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the master (a graceful stop of its workers), then SIGKILL to its process group."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
        return
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # the group started with the master: only our processes
    except ProcessLookupError:
        return
    process.wait(timeout=10)


# --- HTTP requests and wrk --------------------------------------------------------------------


def session_cookie(user: Any) -> str:
    """A logged-in session of the user, as the value of a Cookie header."""
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@dataclass(frozen=True)
class HttpRequest:
    """What wrk sends for a page: the same request every time."""

    method: str
    path: str
    cookie: str | None
    body: str = ""
    expect: int = 200

    def headers(self) -> dict[str, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if self.body:
            headers["Content-Type"] = FORM_CONTENT_TYPE
        return headers


def http_send(port: int, request: HttpRequest) -> tuple[int, SimpleCookie, str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        body = request.body.encode() if request.body else None
        connection.request(request.method, request.path, body=body, headers=request.headers())
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, cookies, content
    finally:
        connection.close()


def http_warm_up(
    port: int, page: Page, fixture: Fixture, cookie: str | None, *, requests: int
) -> tuple[HttpRequest, str | None]:
    """Send the page's request until each worker has served it; returns it, and the cookie with the CSRF cookie.

    A browser sends back the csrftoken cookie a page sets, so the measured requests do too. A form is shown
    (GET) once before it is posted, and its hidden fields go into the body, as a browser sends them.
    """
    from django.conf import settings

    path = page_path(page, fixture)
    jar = SimpleCookie(cookie or "")
    request = HttpRequest("GET", path, cookie)
    if page.form is not None:
        status, cookies, content = http_send(port, request)
        if status != 200:
            raise RuntimeError(f"{page.name}: GET {path} answered {status} over HTTP, not 200")
        cookie = _cookie_kept(jar, cookies, settings.CSRF_COOKIE_NAME) or cookie
        body = urlencode(form_fields(page, fixture, content))
        request = HttpRequest("POST", path, cookie, body, page.expect)
    for _ in range(requests):
        status, cookies, _content = http_send(port, request)
        if status != page.expect:
            raise RuntimeError(
                f"{page.name}: {request.method} {path} answered {status} over HTTP, not {page.expect} (login lost?)"
            )
        if kept := _cookie_kept(jar, cookies, settings.CSRF_COOKIE_NAME):
            cookie = kept
            request = HttpRequest(request.method, path, cookie, request.body, request.expect)
    return request, cookie


def _cookie_kept(jar: SimpleCookie, cookies: SimpleCookie, name: str) -> str | None:
    """Add the cookie `name` to the jar when the answer set it for the first time; the new Cookie header, if so."""
    if name not in cookies or name in jar:
        return None
    jar[name] = cookies[name].value
    return "; ".join(f"{key}={morsel.value}" for key, morsel in jar.items())


@dataclass
class WrkPass:
    p50_ms: float
    p99_ms: float
    requests_per_second: float
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    unexpected_status: int | None = None  # answers whose status was not the page's `expect` (bench/wrk.lua)

    @property
    def errors(self) -> int:
        wrong = self.unexpected_status if self.unexpected_status is not None else self.non_2xx_3xx
        return wrong + self.socket_errors

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Http:
    passes: list[WrkPass] = field(default_factory=list)  # timed
    check: WrkPass | None = None  # the short pass that counts unexpected statuses (not timed)

    @property
    def p50_ms(self) -> float:
        return statistics.median(p.p50_ms for p in self.passes)

    @property
    def p99_ms(self) -> float:
        return statistics.median(p.p99_ms for p in self.passes)

    @property
    def requests_per_second(self) -> float:
        return statistics.median(p.requests_per_second for p in self.passes)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.passes) + (self.check.errors if self.check is not None else 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "requests_per_second": self.requests_per_second,
            "errors": self.errors,
            "passes": [p.as_dict() for p in self.passes],
            "check": self.check.as_dict() if self.check is not None else None,
        }


_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNIT_MS[match.group(2)]


def wrk_parse(output: str) -> WrkPass:
    """Read p50, p99, requests/s and the errors from `wrk --latency` output."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if "50" not in latency or "99" not in latency or not rps or not total:
        raise RuntimeError(f"Could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    unexpected = re.search(r"^Unexpected status:\s+(\d+)", output, re.MULTILINE)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkPass(
        p50_ms=_duration_ms(latency["50"]),
        p99_ms=_duration_ms(latency["99"]),
        requests_per_second=float(rps.group(1)),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
        unexpected_status=int(unexpected.group(1)) if unexpected else None,
    )


def wrk_run(
    port: int, request: HttpRequest, *, seconds: int, threads: int = 2, connections: int = 8, check: bool = False
) -> WrkPass:
    """One wrk pass through bench/wrk.lua, which sends the method and body; with `check`, it also counts every
    answer whose status is not the page's (a short pass after the timed ones: checking copies each body)."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(WRK_SCRIPT)]
    for name, value in request.headers().items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{request.path}")
    env = {
        **os.environ,
        "BENCH_METHOD": request.method,
        "BENCH_BODY": request.body,
        "BENCH_EXPECT_STATUS": str(request.expect),
    }
    if check:
        env["BENCH_CHECK_STATUS"] = "1"
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    return wrk_parse(result.stdout)
