"""Writing rows in bulk as they are: the helpers the cases and the improvement work share."""

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, models


def rows_insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows as they are: COPY on PostgreSQL, one prepared INSERT for all rows on SQLite.

    A column of the model the rows do not name (one added after this generator was written) gets its field's
    default, as the ORM would have given it."""
    if not rows:
        return
    others = [f for f in model._meta.concrete_fields if f.column not in columns]
    if others:
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        columns = [*columns, *(str(f.column) for f in others)]
        rows = [(*row, *defaults) for row in rows]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            insert = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - quoted names of ours
            cursor.executemany(insert, rows)


@contextmanager
def sqlite_cache(*, megabytes: int) -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes of a million cases while they are written (default 2 MB).

    The connection's own setting comes back afterwards, so that what is measured later runs as configured."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def datetime_adapter() -> Callable[[datetime.datetime | None], Any]:
    """What the backend stores for an aware datetime; on SQLite the same text as Django's, made in a tenth of the time."""
    adapt: Callable[[datetime.datetime | None], Any] = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or connection.timezone_name != "UTC":
        return adapt

    def as_text(value: datetime.datetime | None) -> str | None:
        return None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))

    return as_text


def next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0) + 1


@contextmanager
def foreign_keys_checked_afterwards(models_written: list[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, check the foreign keys of these tables once after the rows are written, not row by row.

    Django makes them deferrable, checked at the commit one row at a time, each check locking the row it names
    (millions of checks at size L, some 30 s). Inside the transaction they are dropped and added again afterwards
    with their own definitions (`pg_get_constraintdef`), which checks every row in one query per key. Other
    databases check as they always do. The tables are locked until the transaction ends, as the whole generation is
    one transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    found: list[tuple[str, str, str]] = []
    with connection.cursor() as cursor:
        # A table (or one its keys name) with checks pending cannot be altered: the checks due at the commit for the
        # rows written so far are made now instead, as they would be then, and later ones deferred again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in models_written:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                [table],
            )
            found += [(table, name, definition) for name, definition in cursor.fetchall()]
        for table, name, _definition in found:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in found:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
