"""Queries written with the ORM, compiled to SQL once per database connection and then run with new values.

On our hardware Django spends 0.5–1 ms of Python building and compiling a query that the database answers in
0.03 ms; a staff page with six queries paid more for compiling them than for everything else it does. A
`PreparedQuery` keeps the ORM as the way a query is written, and pays for the compiling once:

    @prepared
    def unit_members(*, unit_id: int) -> QuerySet:
        return Membership.objects.filter(unit_id=unit_id).values_list("person__first_name", "role")

    rows = unit_members(unit_id=unit.pk)  # a list of tuples, converted exactly as values_list converts them

How: the first call builds the queryset with stand-in values (a sentinel for each argument), compiles it, and
notes where each sentinel landed among the SQL parameters. Later calls put the real values there and run the
SQL through the connection's cursor (so query logging and counting see it as any other query), then apply
the ORM's own converters to the rows.

The rule that keeps this correct: **every value that can differ between calls must be an argument**. A
builder must not read the clock, settings or anything else of its own; whatever it bakes in stays baked in.
Arguments are of two sorts:

- *parameters*: int, str, date, datetime, or a list/tuple of ints or of str (one compiled form per length).
  They must reach the SQL as they are (or as the backend adapts a date, or LIKE-escaped for `startswith`);
  compiling fails loudly when one does not (unless an empty list made the ORM drop the part that used it).
- *variants*: True, False and None. They are passed to the builder unchanged and pick a compiled form of
  their own, so a builder may branch on them (`if overdue: qs = qs.filter(...)`); it must not branch on a
  parameter.

`tests/core/test_prepared.py` checks each prepared query of the project against the plain ORM.
"""

import datetime
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.query import FlatValuesListIterable, ValuesListIterable

_INT_BASE = 1_900_000_000  # inside a 32-bit integer: Django drops lookups with out-of-range values
_DATE_BASE = datetime.date(1111, 1, 1)
_DATETIME_BASE = datetime.datetime(1111, 1, 1, tzinfo=datetime.UTC)

# How a sentinel was found among the SQL parameters, and so how a real value is put in its place.
_AS_IS = "as_is"
_ADAPTED = "adapted"  # as the backend adapts a date or datetime
_LIKE = "like"  # inside a LIKE pattern: escaped, between a prefix and a suffix


class PreparedQueryError(Exception):
    """A builder that cannot be prepared: an argument did not reach the SQL as a parameter."""


@dataclass(frozen=True, slots=True)
class _Slot:
    index: int  # position in the SQL parameters
    name: str  # the argument
    item: int | None  # position in a list argument, else None
    how: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]
    compiler: Any  # the SQLCompiler that compiled it: its converters turn database values into Python ones
    flat: bool
    empty: bool  # the ORM found that no row can match (e.g. an empty IN): no query is run


class Builder(Protocol):
    def __call__(self, **kwargs: Any) -> QuerySet[Any]: ...


def _is_variant(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _kind(name: str, value: object) -> tuple[str, int]:
    if isinstance(value, datetime.datetime):
        return ("datetime", 0)
    if isinstance(value, datetime.date):
        return ("date", 0)
    if isinstance(value, int):
        return ("int", 0)
    if isinstance(value, str):
        return ("str", 0)
    if isinstance(value, list | tuple):
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return ("ints", len(value))
        if all(isinstance(v, str) for v in value):
            return ("strs", len(value))
    raise TypeError(f"Prepared query argument {name}={value!r}: int, str, date, datetime, list, bool or None only.")


class _Sentinels:
    """Distinct stand-in values, and how each looks once the backend has prepared it."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.counter = 0
        self.found: dict[Any, tuple[str, int | None, str]] = {}  # value as it reaches the SQL → (name, item, how)
        self.strings: dict[str, tuple[str, int | None]] = {}

    def make(self, name: str, kind: str, item: int | None = None) -> Any:
        self.counter += 1
        n = self.counter
        ops = self.connection.ops
        if kind in ("int", "ints"):
            value: Any = _INT_BASE + n
            self.found[value] = (name, item, _AS_IS)
        elif kind in ("str", "strs"):
            value = f"prepared{n:04d}sentinel"
            self.found[value] = (name, item, _AS_IS)
            self.strings[value] = (name, item)
        elif kind == "date":
            value = _DATE_BASE + datetime.timedelta(days=n)
            self.found[value] = (name, item, _AS_IS)
            self.found.setdefault(ops.adapt_datefield_value(value), (name, item, _ADAPTED))
        else:
            value = _DATETIME_BASE + datetime.timedelta(minutes=n)
            self.found[value] = (name, item, _AS_IS)
            self.found.setdefault(ops.adapt_datetimefield_value(value), (name, item, _ADAPTED))
        return value

    def slot(self, index: int, param: Any) -> _Slot | None:
        try:
            hit = self.found.get(param)
        except TypeError:  # an unhashable parameter is never a sentinel
            hit = None
        if hit is not None:
            return _Slot(index, *hit)
        if isinstance(param, str):
            for sentinel, (name, item) in self.strings.items():
                prefix, found, suffix = param.partition(sentinel)
                if found:
                    return _Slot(index, name, item, _LIKE, prefix, suffix)
        return None


class PreparedQuery:
    """A values_list query built by `build(**arguments)`, compiled once per connection and shape of its arguments."""

    def __init__(self, build: Builder, using: str = DEFAULT_DB_ALIAS) -> None:
        self.build = build
        self.using = using
        self.name: str = getattr(build, "__qualname__", repr(build))
        functools.update_wrapper(self, build)  # type: ignore[arg-type]

    def __call__(self, **arguments: Any) -> list[Any]:
        connection = connections[self.using]
        shape = tuple(
            (name, value) if _is_variant(value) else (name, *_kind(name, value))
            for name, value in sorted(arguments.items())
        )
        cache: dict[tuple[Any, ...], _Compiled] = connection.__dict__.setdefault("brobygget_prepared", {})
        key = (id(self), shape)
        compiled = cache.get(key)
        if compiled is None:
            compiled = cache[key] = self._compile(connection, arguments)
        if compiled.empty:
            return []
        params = list(compiled.params)
        ops = connection.ops
        for slot in compiled.slots:
            value = arguments[slot.name]
            if slot.item is not None:
                value = value[slot.item]
            if slot.how == _ADAPTED:
                value = (
                    ops.adapt_datetimefield_value(value)
                    if isinstance(value, datetime.datetime)
                    else ops.adapt_datefield_value(value)
                )
            elif slot.how == _LIKE:
                value = f"{slot.prefix}{ops.prep_for_like_query(value)}{slot.suffix}"
            params[slot.index] = value
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Sequence[Any] = cursor.fetchall()
        compiler = compiled.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        results = compiler.results_iter(results=[rows], tuple_expected=True)
        return [row[0] for row in results] if compiled.flat else list(results)

    def _compile(self, connection: BaseDatabaseWrapper, arguments: dict[str, Any]) -> _Compiled:
        sentinels = _Sentinels(connection)
        stand_ins: dict[str, Any] = {}
        for name, value in arguments.items():
            if _is_variant(value):
                stand_ins[name] = value
                continue
            kind, length = _kind(name, value)
            if kind in ("ints", "strs"):
                stand_ins[name] = [sentinels.make(name, kind, item) for item in range(length)]
            else:
                stand_ins[name] = sentinels.make(name, kind)
        queryset = self.build(**stand_ins)
        if queryset._iterable_class not in (ValuesListIterable, FlatValuesListIterable):
            raise PreparedQueryError(f"{self.name} must return a values_list() queryset.")
        flat = queryset._iterable_class is FlatValuesListIterable
        compiler = queryset.query.get_compiler(using=self.using, connection=connection)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled("", (), (), compiler, flat, empty=True)
        slots = [slot for index, param in enumerate(params) if (slot := sentinels.slot(index, param)) is not None]
        expected = {
            (name, item)
            for name, value in stand_ins.items()
            if not _is_variant(value)
            for item in (range(len(value)) if isinstance(value, list) else [None])
        }
        missing = expected - {(slot.name, slot.item) for slot in slots}
        # An empty IN makes the ORM drop the part of the query it stands in, with the values that part used.
        pruned = any(isinstance(value, list) and not value for value in stand_ins.values())
        if missing and not pruned:
            names = ", ".join(sorted({name for name, _item in missing}))
            raise PreparedQueryError(
                f"{self.name}: {names} did not reach the SQL as a parameter; "
                "pass a value the builder branches on as True/False/None, or do not prepare this query."
            )
        return _Compiled(sql, tuple(params), tuple(slots), compiler, flat, empty=False)


def prepared(build: Callable[..., QuerySet[Any]]) -> PreparedQuery:
    """Decorator: the builder of a values_list query becomes a `PreparedQuery` (see the module's docstring)."""
    return PreparedQuery(build)
