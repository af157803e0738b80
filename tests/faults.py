"""Real database faults for tests: a database locked by another connection, one opened read-only, short waits.

Use them in `django_db(transaction=True)` tests: the test's own connection must not hold a transaction open,
or it would hold the lock itself (SQLite) or never see the other connection's lock (PostgreSQL).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, connections

# The tables every write of the application touches: each service writes an audit event, /healthz its row, and
# the worker claims its tasks.
LOCKED_TABLES = ("core_auditevent", "core_healthcheck", "django_tasks_database_dbtaskresult")


@contextmanager
def database_locked(*, release_after: float | None = None, tables: tuple[str, ...] = LOCKED_TABLES) -> Iterator[None]:
    """Another connection holds the write lock: SQLite `BEGIN EXCLUSIVE` (the whole file, readers still read),
    PostgreSQL `LOCK TABLE … IN EXCLUSIVE MODE` on the tables every write touches (readers still read).
    With `release_after`, a timer lets go after that many seconds (for code that should wait the lock out);
    `tables` names other tables to lock on PostgreSQL."""
    other = connections.create_connection("default")
    other.inc_thread_sharing()  # the timer releases it from its own thread
    guard = threading.Lock()

    def release() -> None:
        with guard:
            if other.connection is None:
                return
            with other.cursor() as cursor:
                if other.vendor == "sqlite":
                    cursor.execute("ROLLBACK")
                else:
                    other.rollback()
            other.close()

    with other.cursor() as cursor:
        if other.vendor == "sqlite":
            cursor.execute("BEGIN EXCLUSIVE")
        else:
            other.set_autocommit(False)
            cursor.execute(f"LOCK TABLE {', '.join(tables)} IN EXCLUSIVE MODE")
    timer = threading.Timer(release_after, release) if release_after is not None else None
    if timer:
        timer.start()
    try:
        yield
    finally:
        if timer:
            timer.cancel()
        release()


@contextmanager
def short_lock_wait(milliseconds: int = 300) -> Iterator[None]:
    """Every new connection (of this thread or the live server's) waits at most this long for a lock."""
    options: dict[str, Any] = connection.settings_dict.setdefault("OPTIONS", {})
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["init_command"] = f"{options.get('init_command', '')} PRAGMA busy_timeout={milliseconds};"
    else:
        # The live server's threads may connect otherwise than through these options: the database's own default.
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" SET lock_timeout = {milliseconds}')
        options["options"] = f"-c lock_timeout={milliseconds}"
    connection.close()
    try:
        yield
    finally:
        options.clear()
        options.update(saved)
        connection.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER DATABASE "{connection.settings_dict["NAME"]}" RESET lock_timeout')
            connection.close()


@contextmanager
def database_read_only() -> Iterator[None]:
    """The database opened read-only: SQLite's file opened with `mode=ro`, a PostgreSQL database whose
    transactions are read-only (as on a standby after a failover)."""
    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.close()
        settings_dict["NAME"] = f"file:{name}?mode=ro"
        try:
            yield
        finally:
            connection.close()
            settings_dict["NAME"] = name
        return
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    connection.close()
    try:
        yield
    finally:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = off")
            cursor.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
        connection.close()
