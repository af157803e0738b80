"""Targets, the printed table and the JSON file of a benchmark run."""

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import Http, InProcess
from bench.pages import Page
from bench.photos import PhotoMemory
from bench.submissions import Submissions

RESULTS_DIR = Path(__file__).resolve().parent / "results"

# The targets (issue 14): a page over HTTP costs at most 4 × the bare view (median p50) and asks at most its
# `Page.queries` queries at every size; a gunicorn worker stays within 150 MB; the scale data of size M loads in
# under a minute. The resident form's POST has targets of its own (bench/submissions.py).
HTTP_RATIO_MAX = 4.0
WORKER_RSS_MAX_MB = 150.0
DEMO_SCALE_MAX_SECONDS = {"S": 10.0, "M": 60.0, "L": 300.0}


@dataclass
class PageResult:
    page: Page
    path: str
    baseline: str
    in_process: InProcess
    http: Http = field(default_factory=Http)
    in_process_ratio: float = 0.0
    http_ratio: float = 0.0

    @property
    def queries_ok(self) -> bool:
        return self.page.bare or self.in_process.queries <= self.page.queries

    @property
    def ok(self) -> bool:
        return self.page.bare or (self.http_ratio <= HTTP_RATIO_MAX and self.queries_ok)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.page.name,
            "path": self.path,
            "method": self.page.method,
            "expect": self.page.expect,
            "login_as": self.page.login_as,
            "bare": self.page.bare,
            "queries_max": None if self.page.bare else self.page.queries,
            "baseline": self.baseline,
            "in_process": self.in_process.as_dict(),
            "in_process_ratio_p50": self.in_process_ratio,
            "http": self.http.as_dict(),
            "http_ratio_p50": self.http_ratio,
            "target": None if self.page.bare else f"HTTP median p50 <= {HTTP_RATIO_MAX} x bare",
            "ok": self.ok,
        }


@dataclass
class Worker:
    pid: int
    rss_mb: float | None

    @property
    def ok(self) -> bool:
        return self.rss_mb is not None and self.rss_mb <= WORKER_RSS_MAX_MB


@dataclass
class Run:
    size: str
    backend: str
    database: str
    started_utc: str
    environment: dict[str, Any]
    settings: dict[str, Any]
    demo_scale_seconds: float | None  # None: the data of an earlier run was reused
    fixture: dict[str, Any]
    pages: list[PageResult] = field(default_factory=list)
    workers: list[Worker] = field(default_factory=list)
    submissions: Submissions | None = None  # None: not measured (--page)
    photos: PhotoMemory | None = None  # None: not measured (--page, --no-submissions)

    @property
    def demo_scale_ok(self) -> bool | None:
        if self.demo_scale_seconds is None:
            return None
        return self.demo_scale_seconds < DEMO_SCALE_MAX_SECONDS[self.size]

    def missed(self) -> list[str]:
        missed = [
            f"{p.page.name}: HTTP p50 {p.http_ratio:.2f} × bare (target ≤ {HTTP_RATIO_MAX:g})"
            for p in self.pages
            if not p.page.bare and p.http_ratio > HTTP_RATIO_MAX
        ]
        missed += [
            f"{p.page.name}: {p.in_process.queries} queries (at most {p.page.queries} at every size)"
            for p in self.pages
            if not p.queries_ok
        ]
        missed += [
            f"{p.page.name}: {p.http.errors} answers over HTTP were not {p.page.expect} or failed (figures unreliable)"
            for p in self.pages
            if p.http.errors
        ]
        missed += [
            f"gunicorn worker {w.pid}: {w.rss_mb if w.rss_mb is not None else '?'} MB (target ≤ {WORKER_RSS_MAX_MB:g})"
            for w in self.workers
            if not w.ok
        ]
        if self.submissions is not None:
            missed += self.submissions.missed()
        if self.photos is not None and not self.photos.met:
            missed.append(self.photos.line())
        if self.demo_scale_ok is False:
            missed.append(
                f"demo_scale --size {self.size}: {self.demo_scale_seconds:.1f} s "
                f"(target < {DEMO_SCALE_MAX_SECONDS[self.size]:g} s)"
            )
        return missed

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "database": self.backend,
            "database_name": self.database,
            "started_utc": self.started_utc,
            "environment": self.environment,
            "settings": self.settings,
            "demo_scale_seconds": self.demo_scale_seconds,
            "demo_scale_target_seconds": DEMO_SCALE_MAX_SECONDS[self.size],
            "demo_scale_ok": self.demo_scale_ok,
            "fixture": self.fixture,
            "pages": [p.as_dict() for p in self.pages],
            "workers": [{"pid": w.pid, "rss_mb": w.rss_mb, "ok": w.ok} for w in self.workers],
            "submissions": self.submissions.as_dict() if self.submissions is not None else None,
            "photos": dataclasses.asdict(self.photos) if self.photos is not None else None,
            "worker_rss_target_mb": WORKER_RSS_MAX_MB,
            "missed": self.missed(),
        }

    def write_json(self) -> Path:
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{self.started_utc}-{self.size}-{self.backend}.json"
        path.write_text(json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n")
        return path

    def table(self) -> str:
        s = self.settings
        lines = [
            f"Brobygget benchmark: size {self.size}, {self.backend} ({self.database}), "
            f"{self.environment['cpus']} CPUs, {self.started_utc}",
        ]
        if self.demo_scale_seconds is None:
            lines.append("demo_scale: data of an earlier run reused, not timed")
        else:
            lines.append(
                f"demo_scale --size {self.size}: {self.demo_scale_seconds:.1f} s "
                f"(target < {DEMO_SCALE_MAX_SECONDS[self.size]:g} s)  {'ok' if self.demo_scale_ok else 'MISSED'}"
            )
        f = self.fixture
        lines.append(
            f"Unit {f['unit_name']!r} (id {f['unit_id']}): {f['members']} members, {f['routines']} routines, "
            f"{f['responsibilities']} responsibilities, {f['unit_cases']:,} of the {f['cases']:,} cases; "
            f"logged in as its leader {f['leader']}, and as the registrar {f['registrar']}"
        )
        start, end = self.environment["load_average_at_start"], self.environment.get("load_average_at_end", ["?"])
        lines.append(
            f"Load average (1 min) at start {start[0]}, at end {end[0]}: other work on the machine skews the figures."
        )
        lines.append(
            f"In-process: Django test client, {s['warmup']} warm-up + {s['requests']} requests per page. "
            f"HTTP: gunicorn {s['workers']} sync workers, wrk -t{s['wrk_threads']} -c{s['wrk_connections']} "
            f"-d{s['wrk_seconds']}s, median of {s['passes']} passes."
        )
        lines.append("")
        head = (
            f"{'page':<22}{'mean ms':>9}{'p50 ms':>9}{'p99 ms':>9}{'queries':>9}{'×bare':>8}  |"
            f"{'p50 ms':>9}{'p99 ms':>9}{'req/s':>9}{'×bare':>8}{'errors':>8}  target ≤ {HTTP_RATIO_MAX:g}×"
        )
        lines.append(f"{'':<22}{'in-process':-^52}  |{'HTTP':-^43}")
        lines.append(head)
        for p in self.pages:
            ip, h = p.in_process, p.http
            verdict = "(baseline)" if p.page.bare else "ok" if p.ok else "MISSED"
            lines.append(
                f"{p.page.name:<22}{ip.mean_ms:>9.2f}{ip.p50_ms:>9.2f}{ip.p99_ms:>9.2f}{ip.queries:>9}"
                f"{p.in_process_ratio:>8.2f}  |{h.p50_ms:>9.2f}{h.p99_ms:>9.2f}{h.requests_per_second:>9.0f}"
                f"{p.http_ratio:>8.2f}{h.errors:>8}  {verdict}"
            )
        cached = [p for p in self.pages if p.in_process.cold_queries != p.in_process.queries]
        if cached:
            lines.append("")
            lines.append(
                "Pages served from the cache, on a miss (cache emptied before each request; in-process, no target):"
            )
            for p in cached:
                ip = p.in_process
                lines.append(f"  {p.page.name:<22}p50 {ip.cold_p50_ms:.2f} ms, {ip.cold_queries} queries")
        lines.append("")
        workers = ", ".join(
            f"pid {w.pid} {w.rss_mb:.1f} MB {'ok' if w.ok else 'MISSED'}"
            if w.rss_mb is not None
            else f"pid {w.pid} ? MB MISSED"
            for w in self.workers
        )
        lines.append(f"gunicorn worker RSS after the run (target ≤ {WORKER_RSS_MAX_MB:g} MB): {workers}")
        if self.submissions is not None:
            lines += self.submissions.lines()
        if self.photos is not None:
            lines.append(self.photos.line())
        missed = self.missed()
        lines.append("")
        lines.append("All targets met." if not missed else "MISSED:\n  " + "\n  ".join(missed))
        return "\n".join(lines)
