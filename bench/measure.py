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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench.pages import PERSONAS, Fixture, Page, page_path

HOST = "127.0.0.1"  # the benchmark never listens anywhere else
GUNICORN_WORKERS = 2


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

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def clients_for(pages: list[Page], fixture: Fixture) -> dict[str | None, Any]:
    """One logged-in test client per persona (None: anonymous)."""
    from django.test import Client

    clients: dict[str | None, Any] = {}
    for page in pages:
        if page.login_as not in clients:
            client = Client(HTTP_HOST=HOST)
            if page.login_as is not None:
                client.force_login(PERSONAS[page.login_as](fixture))
            clients[page.login_as] = client
    return clients


def in_process_measure(page: Page, fixture: Fixture, client: Any, *, requests: int, warmup: int) -> InProcess:
    """Time `requests` GETs through the whole middleware stack, after a warm-up; count one request's queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = page_path(page, fixture)
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: GET {path} answered {response.status_code}, not 200")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: the next request empties the log again
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return InProcess(
        requests=requests,
        mean_ms=statistics.fmean(timings),
        p50_ms=percentile(timings, 50),
        p99_ms=percentile(timings, 99),
        queries=queries,
    )


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


def http_get(port: int, path: str, cookie: str | None) -> tuple[int, SimpleCookie]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        cookies: SimpleCookie = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.status, cookies
    finally:
        connection.close()


def http_warm_up(port: int, page: Page, path: str, cookie: str | None, *, requests: int) -> str | None:
    """GET the page until each worker has served it; returns the cookie with the CSRF cookie added.

    A browser sends back the csrftoken cookie a page sets, so the measured requests do too.
    """
    from django.conf import settings

    jar = SimpleCookie(cookie or "")
    for _ in range(requests):
        status, cookies = http_get(port, path, cookie)
        if status != 200:
            raise RuntimeError(f"{page.name}: GET {path} answered {status} over HTTP, not 200 (login lost?)")
        if settings.CSRF_COOKIE_NAME in cookies and settings.CSRF_COOKIE_NAME not in jar:
            jar[settings.CSRF_COOKIE_NAME] = cookies[settings.CSRF_COOKIE_NAME].value
            cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items())
    return cookie


@dataclass
class WrkPass:
    p50_ms: float
    p99_ms: float
    requests_per_second: float
    requests: int
    non_2xx_3xx: int = 0
    socket_errors: int = 0

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class Http:
    passes: list[WrkPass] = field(default_factory=list)

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
        return sum(p.non_2xx_3xx + p.socket_errors for p in self.passes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "requests_per_second": self.requests_per_second,
            "errors": self.errors,
            "passes": [p.as_dict() for p in self.passes],
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
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkPass(
        p50_ms=_duration_ms(latency["50"]),
        p99_ms=_duration_ms(latency["99"]),
        requests_per_second=float(rps.group(1)),
        requests=int(total.group(1)),
        non_2xx_3xx=int(non_2xx.group(1)) if non_2xx else 0,
        socket_errors=sum(int(n) for n in socket.groups()) if socket else 0,
    )


def wrk_run(
    port: int, path: str, cookie: str | None, *, seconds: int, threads: int = 2, connections: int = 8
) -> WrkPass:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{HOST}:{port}{path}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr.strip()}")
    return wrk_parse(result.stdout)
