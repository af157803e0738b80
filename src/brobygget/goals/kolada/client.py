"""A client for the Kolada API v3 (shared/design/INTEROP.md): KPI metadata and data, page by page through `next_url`,
at most 25 ids per comma-separated segment and `per_page` at most 5000, at a polite rate, trying again with a growing
pause after a timeout, a 429 (as long as its Retry-After says, within reason) or a 5xx.

The HTTP call itself is a `Transport` (urllib by default), so the demo can replay recorded answers through the very
same code (`FileTransport`); tests run a real local HTTP server."""

import json
import logging
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

logger = logging.getLogger("brobygget.kolada")

MAX_IDS_PER_SEGMENT = 25
MAX_PER_PAGE = 5000
# A Retry-After longer than this is not waited for in a request: the sync fails and tries again next night.
MAX_RETRY_AFTER_SECONDS = 120.0
MAX_PAGES = 1000
USER_AGENT = "Brobygget (a municipality's goals and results; Python urllib)"


class KoladaError(Exception):
    """Kolada could not be asked, or answered with something we cannot use; `message` is safe to show and log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class KoladaUnavailable(KoladaError):
    """No usable answer after every try: timeouts, refused connections, 429 or 5xx."""


class KoladaMalformed(KoladaError):
    """An answer that is not the JSON envelope the API promises."""


class KoladaNotFound(KoladaError):
    """The API answered 404, or 4xx: a KPI or municipality it does not know."""


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class Transport(Protocol):
    def __call__(self, url: str, timeout: float) -> Response: ...


def urllib_transport(url: str, timeout: float) -> Response:
    """GET the URL with urllib; an HTTP error status is a Response too, a network fault raises OSError."""
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - the base URL is a setting
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read() or b"")


class FileTransport:
    """Answers from recorded files: `<directory>/<name>.json`, where the name is made from the request's path and
    query (`recorded_name`). A request with no recording answers 404."""

    def __init__(self, directory: Path, base_url: str) -> None:
        self.directory = directory
        self.base_url = base_url.rstrip("/")

    def __call__(self, url: str, timeout: float) -> Response:
        path = self.directory / f"{recorded_name(url, self.base_url)}.json"
        if not path.is_file():
            return Response(404, {}, b'{"error": "not recorded"}')
        return Response(200, {"content-type": "application/json"}, path.read_bytes())


def recorded_name(url: str, base_url: str) -> str:
    """A file name for a request: its path below the base URL and its sorted query, with unsafe characters made
    safe ("data/kpi/N01951/municipality/0486,0000" + "from_date=…" → "data_kpi_N01951_municipality_0486-0000")."""
    parts = urllib.parse.urlsplit(url)
    base = urllib.parse.urlsplit(base_url).path.rstrip("/")
    path = parts.path[len(base) :] if parts.path.startswith(base) else parts.path
    query = "&".join(sorted(part for part in parts.query.split("&") if part and not part.startswith("per_page=")))
    name = path.strip("/") + (f"?{query}" if query else "")
    return "".join(c if c.isalnum() or c in "._" else "-" if c == "," else "_" for c in name)


def segments(ids: list[str]) -> Iterator[str]:
    """The ids, at most 25 per comma-separated segment, without repeats, in order."""
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), MAX_IDS_PER_SEGMENT):
        yield ",".join(unique[start : start + MAX_IDS_PER_SEGMENT])


class KoladaClient:
    """Asks Kolada. One client keeps the pace of its requests (`requests_per_second`), across threads."""

    def __init__(
        self,
        *,
        base_url: str | None = None,
        timeout: float | None = None,
        retries: int | None = None,
        requests_per_second: float | None = None,
        transport: Transport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        per_page: int = MAX_PER_PAGE,
    ) -> None:
        self.base_url = (base_url or settings.KOLADA_BASE_URL).rstrip("/")
        self.timeout = float(timeout if timeout is not None else settings.KOLADA_TIMEOUT_SECONDS)
        self.retries = retries if retries is not None else settings.KOLADA_RETRIES
        rate = requests_per_second if requests_per_second is not None else settings.KOLADA_REQUESTS_PER_SECOND
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.transport: Transport = transport or urllib_transport
        self.sleep = sleep
        self.per_page = min(per_page, MAX_PER_PAGE)
        self._lock = threading.Lock()
        self._last = 0.0
        self.requests = 0

    # The calls of the API

    def kpi_search(self, title: str) -> list[dict[str, Any]]:
        """KPIs whose title contains the words (Kolada's own search), as the metadata rows it gives."""
        return list(self._rows("kpi", {"title": title}))

    def kpis(self, ids: list[str]) -> list[dict[str, Any]]:
        """The metadata of these KPIs (those Kolada still has; a removed KPI is simply not among them)."""
        rows: list[dict[str, Any]] = []
        for segment in segments(ids):
            rows.extend(self._rows(f"kpi/{segment}", {}))
        return rows

    def data(self, *, kpi: str, municipalities: list[str], from_date: str | None = None) -> Iterator[dict[str, Any]]:
        """The data rows of one KPI for these municipalities, every year (only those updated since `from_date`,
        YYYY-MM-DD, when given)."""
        query = {"from_date": from_date} if from_date else {}
        for segment in segments(municipalities):
            yield from self._rows(f"data/kpi/{kpi}/municipality/{segment}", query)

    # Paging, pace and retries

    def url(self, path: str, query: dict[str, str]) -> str:
        query = {**query, "per_page": str(self.per_page)}
        return f"{self.base_url}/{path}?{urllib.parse.urlencode(query, safe=',')}"

    def _rows(self, path: str, query: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every row of `values`, following `next_url` until it is empty."""
        url: str | None = self.url(path, query)
        pages = 0
        while url:
            envelope = self._get_json(url)
            values = envelope.get("values")
            if not isinstance(values, list) or not all(isinstance(row, dict) for row in values):
                raise KoladaMalformed(f"Kolada answered {path} without a list of values.")
            yield from values
            next_url = envelope.get("next_url")
            if next_url is not None and not isinstance(next_url, str):
                raise KoladaMalformed(f"Kolada answered {path} with a next_url that is not a link.")
            url = urllib.parse.urljoin(url, next_url) if next_url else None
            pages += 1
            if pages >= MAX_PAGES:
                raise KoladaMalformed(f"Kolada answered {path} with more than {MAX_PAGES} pages.")

    def _wait_turn(self) -> None:
        with self._lock:
            pause = self._last + self.interval - time.monotonic()
            if pause > 0:
                self.sleep(pause)
            self._last = time.monotonic()

    def _get_json(self, url: str) -> dict[str, Any]:
        last_problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._backoff(attempt, last_problem))
            self._wait_turn()
            self.requests += 1
            try:
                response = self.transport(url, self.timeout)
            except TimeoutError:
                last_problem = "timeout"
                logger.warning("Kolada did not answer within %.0f s (try %s): %s", self.timeout, attempt + 1, url)
                continue
            except OSError as error:
                last_problem = "network"
                logger.warning("Kolada could not be reached (try %s, %s): %s", attempt + 1, type(error).__name__, url)
                continue
            if response.status == 429 or response.status >= 500:
                last_problem = f"status:{response.status}:{response.headers.get('retry-after', '')}"
                logger.warning("Kolada answered %s (try %s): %s", response.status, attempt + 1, url)
                continue
            if response.status >= 400:
                raise KoladaNotFound(f"Kolada answered {response.status} for {url}.")
            try:
                envelope = json.loads(response.body)
            except (ValueError, UnicodeDecodeError):
                raise KoladaMalformed(f"Kolada's answer to {url} is not JSON.") from None
            if not isinstance(envelope, dict):
                raise KoladaMalformed(f"Kolada's answer to {url} is not a JSON object.")
            return envelope
        raise KoladaUnavailable(f"Kolada gave no usable answer after {self.retries + 1} tries ({last_problem}).")

    def _backoff(self, attempt: int, problem: str) -> float:
        """1, 2, 4 … seconds; or what a 429's or 503's Retry-After asks (seconds), if that is longer."""
        pause = float(2 ** (attempt - 1))
        if problem.startswith("status:"):
            retry_after = problem.split(":", 2)[2].strip()
            if retry_after.isdigit():
                asked = float(retry_after)
                if asked > MAX_RETRY_AFTER_SECONDS:
                    raise KoladaUnavailable(f"Kolada asked us to wait {asked:.0f} s before trying again.")
                pause = max(pause, asked)
        return pause
