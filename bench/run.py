"""The benchmark run: fresh data, in-process timings, HTTP timings, the report (docs/benchmarks.md)."""

import argparse
import dataclasses
import datetime
import os
import platform
import signal
import sys
from types import FrameType
from typing import Any

from bench.database import (
    PROJECT_DIR,
    VAR_DIR,
    bench_database,
    data_load,
    database_lock,
    database_recreate,
    schema_and_static_update,
)
from bench.measure import (
    GUNICORN_WORKERS,
    HttpRequest,
    clients_for,
    gunicorn,
    http_warm_up,
    in_process_measure,
    log,
    rss_mb,
    session_cookie,
    wrk_run,
)
from bench.pages import PAGES, PERSONAS, Fixture, Page, baseline_for, fixture_load, page_path
from bench.photos import PhotoMemory, photo_memory_measure
from bench.report import PageResult, Run, Worker
from bench.submissions import Submissions, parallel_measure, throughput_measure

WRK_THREADS = 2
WRK_CONNECTIONS = 8


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Brobygget benchmarks (docs/benchmarks.md).")
    parser.add_argument(
        "--size",
        default=os.environ.get("SIZE") or "M",
        type=str.upper,
        choices=["S", "M", "L"],
        help="default: $SIZE or M",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of demo_scale (default: its own)")
    parser.add_argument("--requests", type=int, default=300, help="in-process requests per page (default 300)")
    parser.add_argument("--warmup", type=int, default=20, help="warm-up requests per page (default 20)")
    parser.add_argument("--seconds", type=int, default=5, help="duration of one wrk pass (default 5)")
    parser.add_argument("--passes", type=int, default=3, help="wrk passes per page (default 3)")
    parser.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="NAME",
        help="measure only this page (and the bare views); may be repeated; for iterating only",
    )
    parser.add_argument(
        "--no-submissions",
        action="store_true",
        help="skip the resident form's throughput and parallel submissions; for iterating only",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep the data of an earlier run of this size when it is there (migrated, not timed); for iterating only",
    )
    return parser.parse_args(argv)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop gunicorn


def _has_scale_data(code: str) -> bool:
    from django.db import DatabaseError

    from brobygget.core.models import Municipality

    try:
        return Municipality.objects.filter(code=code).exists()
    except DatabaseError:
        return False


def _environment(backend: str) -> dict[str, Any]:
    import django
    from django.db import connection

    environment: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "load_average_at_start": [round(n, 2) for n in os.getloadavg()],
    }
    if backend == "sqlite":
        import sqlite3

        environment["sqlite"] = sqlite3.sqlite_version
    else:
        connection.ensure_connection()
        environment["postgresql"] = connection.pg_version  # type: ignore[attr-defined]
    return environment


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    size: str = args.size
    started_utc = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    database = bench_database(database_url=os.environ.get("DATABASE_URL", ""), size=size)
    # Everything below, and the gunicorn it starts, sees the bench settings and the bench database only.
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = database.url
    os.environ["BROBYGGET_VAR_DIR"] = str(VAR_DIR)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    signal.signal(signal.SIGTERM, _stop_on_sigterm)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from brobygget.demo.scale import SIZES

    if settings.DEBUG:
        raise SystemExit("bench.settings must run with DEBUG off")
    code = SIZES[size].municipality_code

    scale_seconds: float | None = None
    # One run at a time prepares a database: a second run waits here, then finds the first one's data (without the
    # lock it saw no data yet, inside the first one's transaction, and dropped the database under it).
    with database_lock(database):
        reused = args.reuse_database and _has_scale_data(code)
        connections.close_all()
        if reused:
            log(f"reusing size {size} in {database.label}: migrate and collectstatic only")
            schema_and_static_update()
        else:
            log(f"fresh {database.backend} database {database.label}: migrate, collectstatic, demo_scale --size {size}")
            database_recreate(database)
            scale_seconds = data_load(size=size, seed=args.seed)
            log(f"demo_scale --size {size} took {scale_seconds:.1f} s")

    fixture = fixture_load(municipality_code=code)
    run = Run(
        size=size,
        backend=database.backend,
        database=database.label,
        started_utc=started_utc,
        environment=_environment(database.backend),
        settings={
            "requests": args.requests,
            "warmup": args.warmup,
            "passes": args.passes,
            "wrk_seconds": args.seconds,
            "wrk_threads": WRK_THREADS,
            "wrk_connections": WRK_CONNECTIONS,
            "workers": GUNICORN_WORKERS,
        },
        demo_scale_seconds=scale_seconds,
        fixture=fixture.describe(),
    )
    pages: list[Page] = [p for p in PAGES if p.bare or not args.page or p.name in args.page]
    clients = clients_for(pages, fixture)
    results = {page.name: _in_process(page, pages, fixture, clients[page.login_as], args) for page in pages}
    connections.close_all()
    _over_http(pages, results, fixture, args, run)
    if not args.page and not args.no_submissions:
        run.submissions = _submissions(fixture)
        run.photos = _photos(fixture)
    for result in results.values():
        base = results[result.baseline]
        result.in_process_ratio = result.in_process.p50_ms / base.in_process.p50_ms
        result.http_ratio = result.http.p50_ms / base.http.p50_ms
    run.pages = list(results.values())
    run.environment["load_average_at_end"] = [round(n, 2) for n in os.getloadavg()]

    print(run.table())
    path = run.write_json()
    print(f"\nWritten to {path.relative_to(PROJECT_DIR)}")
    return 0  # a benchmark reports; missed targets are printed, not failed


def _in_process(page: Page, pages: list[Page], fixture: Fixture, client: Any, args: argparse.Namespace) -> PageResult:
    log(f"in-process: {page.name}")
    measured = in_process_measure(page, fixture, client, requests=args.requests, warmup=args.warmup)
    return PageResult(
        page=page, path=page_path(page, fixture), baseline=baseline_for(page, pages).name, in_process=measured
    )


def _over_http(
    pages: list[Page], results: dict[str, PageResult], fixture: Fixture, args: argparse.Namespace, run: Run
) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    log_path = VAR_DIR / "gunicorn.log"
    log(f"starting gunicorn ({GUNICORN_WORKERS} workers) on 127.0.0.1, log in {log_path.relative_to(PROJECT_DIR)}")
    with gunicorn(env=env, cwd=PROJECT_DIR, log_path=log_path) as server:
        personas = {p.login_as for p in pages}
        cookies: dict[str | None, str | None] = {
            persona: session_cookie(PERSONAS[persona](fixture)) if persona else None for persona in personas
        }
        requests: dict[str, HttpRequest] = {}
        for page in pages:
            requests[page.name], cookies[page.login_as] = http_warm_up(
                server.port, page, fixture, cookies[page.login_as], requests=args.warmup
            )
        # Every page of a persona sends the cookies its persona has collected by now (the CSRF cookie).
        for page in pages:
            requests[page.name] = dataclasses.replace(requests[page.name], cookie=cookies[page.login_as])
        for n in range(args.passes):
            # Passes interleave the pages, so that a slow moment of the machine hits all of them alike.
            for page in pages:
                log(f"wrk pass {n + 1}/{args.passes}: {page.name}")
                measured = wrk_run(
                    server.port,
                    requests[page.name],
                    seconds=args.seconds,
                    threads=WRK_THREADS,
                    connections=WRK_CONNECTIONS,
                )
                results[page.name].http.passes.append(measured)
        for page in pages:  # then one short pass each that checks every answer's status (not timed)
            log(f"wrk status check: {page.name}")
            results[page.name].http.check = wrk_run(
                server.port,
                requests[page.name],
                seconds=1,
                threads=WRK_THREADS,
                connections=WRK_CONNECTIONS,
                check=True,
            )
        run.workers = [Worker(pid, rss_mb(pid)) for pid in server.worker_pids()]


def _submissions(fixture: Fixture) -> Submissions:
    """The resident form's POST: throughput on one gunicorn, then 1,000 at once through two (bench/submissions.py)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    first, second = VAR_DIR / "gunicorn-submissions-1.log", VAR_DIR / "gunicorn-submissions-2.log"
    log(f"starting two gunicorns ({GUNICORN_WORKERS} workers each) for the resident form's POST")
    with (
        gunicorn(env=env, cwd=PROJECT_DIR, log_path=first) as one,
        gunicorn(env=env, cwd=PROJECT_DIR, log_path=second) as two,
    ):
        throughput = throughput_measure(one.port, fixture)
        parallel, numbers = parallel_measure([one.port, two.port], fixture)
    return Submissions(throughput=throughput, parallel=parallel, parallel_numbers=numbers)


def _photos(fixture: Fixture) -> PhotoMemory:
    """A worker's memory after 20 submissions of three 49-megapixel PNGs (bench/photos.py)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    log("starting a gunicorn for the photos' memory")
    return photo_memory_measure(
        env=env,
        cwd=PROJECT_DIR,
        log_path=VAR_DIR / "gunicorn-photos.log",
        category_id=int(fixture.params["category_id"]),
    )


if __name__ == "__main__":
    sys.exit(main())
