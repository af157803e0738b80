"""A fresh database for the benchmark: PostgreSQL `<name>_bench` when DATABASE_URL is set, else a SQLite file."""

import fcntl
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = PROJECT_DIR / "var" / "bench"
BENCH_SUFFIX = "_bench"


@dataclass(frozen=True)
class BenchDatabase:
    backend: str  # "sqlite" or "postgresql"
    url: str  # what DATABASE_URL is set to for the benchmark and its gunicorn
    label: str  # shown in the report, without a password


def _with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password:
        netloc = netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def bench_database(*, database_url: str, size: str) -> BenchDatabase:
    """Where the benchmark's data goes; never the database DATABASE_URL names itself."""
    if database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        name = urlsplit(database_url).path.lstrip("/") or "brobygget"
        if not name.endswith(BENCH_SUFFIX):
            name += BENCH_SUFFIX
        url = _with_database_name(database_url, name)
        return BenchDatabase("postgresql", url, _without_password(url))
    if database_url and not database_url.startswith("sqlite:"):
        raise SystemExit(f"The benchmark knows PostgreSQL and SQLite, not {urlsplit(database_url).scheme}.")
    path = VAR_DIR / f"bench-{size}.sqlite3"
    return BenchDatabase("sqlite", f"sqlite:///{path}", str(path.relative_to(PROJECT_DIR)))


@contextmanager
def _file_lock(name: str, waiting_for: str) -> Iterator[None]:
    """An exclusive lock on var/bench/<name>.lock, held by one run at a time (another run prints and waits)."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with (VAR_DIR / f"{name}.lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"[bench] waiting for another run that {waiting_for}", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def database_lock(database: BenchDatabase) -> AbstractContextManager[None]:
    """Held while a run makes or migrates its database: another run of the same database waits for it."""
    name = urlsplit(database.url).path.rsplit("/", 1)[-1]
    return _file_lock(name, f"prepares {database.label}")


def static_lock() -> AbstractContextManager[None]:
    """Held while a run collects the static files, which every run shares (var/bench/static): two runs of different
    databases copying into it at once made one of them fail on a file the other had just replaced."""
    return _file_lock("static", "collects the static files")


def database_recreate(database: BenchDatabase) -> None:
    """Drop and create the benchmark database (before Django connects to it)."""
    if database.backend == "sqlite":
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path = Path(urlsplit(database.url).path)
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = urlsplit(database.url).path.lstrip("/")
    url = database.url.replace("postgres://", "postgresql://", 1).replace("pgsql://", "postgresql://", 1)
    errors = []
    for maintenance in ("postgres", "template1"):
        try:
            connection = psycopg.connect(_with_database_name(url, maintenance), autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            errors.append(str(error).strip())
            continue
        with connection:
            identifier = sql.Identifier(name)
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(identifier))
        return
    raise SystemExit(f"Cannot reach PostgreSQL to create {name}: {'; '.join(errors)}")


def schema_and_static_update() -> None:
    """migrate and collectstatic: what a reused database and the static files need after the code changed."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    with static_lock():
        call_command("collectstatic", interactive=False, verbosity=0)


def data_load(*, size: str, seed: int | None) -> float:
    """migrate, collectstatic and demo_scale; returns the seconds demo_scale took."""
    from django.core.management import call_command

    schema_and_static_update()
    options: dict[str, object] = {"size": size, "force": True, "verbosity": 1}
    if seed is not None:
        options["seed"] = seed
    started = time.perf_counter()
    call_command("demo_scale", **options)
    return time.perf_counter() - started
