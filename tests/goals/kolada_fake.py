"""A local stand-in for the Kolada API v3: a real `http.server` in a thread, answering in the shapes of the real API
(the envelope with `values`, `count`, `next_url`; KPI metadata; data rows with `values` per gender), paging by
`per_page` through absolute `next_url`s, filtering data by `from_date`, and misbehaving on request: a 429 with
Retry-After, 5xx, an answer slower than the client's timeout, a body that is not JSON."""

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Trouble:
    """What the next matching request gets instead of its answer: a status (with headers), a delay or a body."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body: bytes | None = None
    path_contains: str = ""


class FakeKolada:
    def __init__(self) -> None:
        self.kpis: dict[str, dict[str, Any]] = {}
        # kpi → rows {"municipality", "period", "values": [...], "updated": "YYYY-MM-DD"}
        self.data: dict[str, list[dict[str, Any]]] = {}
        self.troubles: list[Trouble] = []
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v3"

    def start(self) -> "FakeKolada":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def kpi(self, kpi: str, title: str, **extra: Any) -> None:
        self.kpis[kpi] = {"id": kpi, "title": title, "description": extra.pop("description", ""), **extra}

    def row(self, kpi: str, municipality: str, period: int | str, updated: str = "2027-01-01", **genders: Any) -> None:
        """A data row; `genders` T=…, K=…, M=… (a value, None for null, or ("deleted", value))."""
        values = []
        for gender, value in genders.items():
            deleted = isinstance(value, tuple)
            values.append(
                {
                    "gender": gender,
                    "value": value[1] if deleted else value,
                    "count": 1,
                    "status": "",
                    "isdeleted": deleted,
                }
            )
        self.data.setdefault(kpi, []).append(
            {"kpi": kpi, "municipality": municipality, "period": period, "values": values, "updated": updated}
        )

    def answer(self, path: str, query: dict[str, str]) -> list[dict[str, Any]]:
        parts = [urllib.parse.unquote(part) for part in path.removeprefix("/v3/").split("/")]
        if parts[0] == "kpi" and len(parts) == 1:
            words = query.get("title", "").casefold()
            return [kpi for kpi in self.kpis.values() if words in kpi["title"].casefold()]
        if parts[0] == "kpi":
            return [self.kpis[kpi] for kpi in parts[1].split(",") if kpi in self.kpis]
        if parts[:2] == ["data", "kpi"] and parts[3] == "municipality":
            wanted = set(parts[4].split(","))
            since = query.get("from_date", "")
            return [
                {key: value for key, value in row.items() if key != "updated"}
                for row in self.data.get(parts[2], [])
                if row["municipality"] in wanted and row["updated"] >= since
            ]
        raise KeyError(path)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(self.path)
                parts = urllib.parse.urlsplit(self.path)
                trouble = next((t for t in fake.troubles if t.path_contains in parts.path), None)
                if trouble is not None:
                    fake.troubles.remove(trouble)
                    if trouble.delay:
                        time.sleep(trouble.delay)
                    if trouble.status != 200 or trouble.body is not None:
                        self._send(trouble.status, trouble.body or b'{"error": "trouble"}', trouble.headers)
                        return
                query = dict(urllib.parse.parse_qsl(parts.query))
                try:
                    rows = fake.answer(parts.path, query)
                except KeyError:
                    self._send(404, b'{"error": "not found"}')
                    return
                per_page = int(query.get("per_page", "5000"))
                page = int(query.get("page", "1"))
                chunk = rows[(page - 1) * per_page : page * per_page]
                next_url = None
                if page * per_page < len(rows):
                    following = urllib.parse.urlencode({**query, "page": str(page + 1)}, safe=",")
                    next_url = f"{fake.url.removesuffix('/v3')}{parts.path}?{following}"
                envelope = {"values": chunk, "count": len(chunk), "next_url": next_url, "previous_url": None}
                self._send(200, json.dumps(envelope).encode())

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

        return Handler
