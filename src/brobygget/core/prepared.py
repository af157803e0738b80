"""Queries written with the ORM, compiled to SQL once per database connection and then run with new values.

On our hardware Django spends 0.5–1 ms of Python building and compiling a query that the database answers in
0.03 ms. Measured over HTTP at size M (gunicorn, `DEBUG` off, A/B against the same code with every prepared
query run as `list(build(**arguments))`): the plain ORM took 1.54 × the time on Min sida, 1.33–1.40 × on the
inbox and 1.39 × on the unit page, some 3–4 ms a page. A `PreparedQuery` keeps the ORM as the way a query is
written, and pays for the compiling once:

    @prepared
    def unit_members(*, unit_id: int) -> QuerySet:
        return Membership.objects.filter(unit_id=unit_id).values_list("person__first_name", "role")

    rows = unit_members(unit_id=unit.pk)  # a list of tuples, converted exactly as values_list converts them

How: the first call builds the queryset with stand-in values (a sentinel for each argument), checks what it
uses, compiles it, and notes where each sentinel landed among the SQL parameters. Later calls put the real
values there and run the SQL through the connection's cursor (so query logging and counting see it as any
other query), then apply the ORM's own converters to the rows.

The rules that keep this correct, each checked when a query is compiled (`PreparedQueryError` otherwise):

- **Every value that can differ between calls is an argument.** A builder must not read the clock, settings
  or anything else of its own; whatever it bakes in stays baked in. Arguments are of two sorts:
  - *parameters*: int, str, date, aware datetime, or a list/tuple of ints or of str. Each must reach the SQL
    as a parameter, unchanged (or as the backend adapts a date): one that does not, one baked into the SQL
    text, and one that reaches it changed (`unit_id + 1`) are refused (unless an empty list made the ORM
    drop the part that used it).
  - *variants*: True, False and None. They are passed to the builder unchanged and pick a compiled form of
    their own, so a builder may branch on them (`if overdue: qs = qs.filter(...)`); it must not branch on a
    parameter.
- **Only lookups whose value reaches the SQL unchanged**: exact, in, gt, gte, lt, lte, range, isnull, and our
  path lookup `below` (`organisation.models.Below`), whose pattern the lookup itself makes again from each
  new value (its own escaping, its own refusal of wildcards on SQLite; what it made of a value is remembered
  with the compiled form). Every other lookup (iexact, contains, startswith, regex, …: Django escapes their
  value while compiling), the year lookups (they turn the value into bounds) and every transform that
  depends on the time zone (`__date`, `__year`, `Trunc…`, `Extract…` on a DateTimeField: the zone would be
  that of the first compile) are refused, in filters, subqueries, annotations, values and ordering alike. A
  second compile in another time zone catches what the walk does not name.
- **A list is a set**: it is padded to 1, 2, 4, 8, … items by repeating its last item, so that its length
  does not multiply the compiled forms. Repeating an item must not change the rows (it never does in `in`,
  or in an OR of lookups, as `units_below` makes).

The compiled forms are kept per connection, least recently used first out: at most `MAX_SHAPES` in all and
`MAX_SHAPES_PER_QUERY` per prepared query (about 17 KB each).

Every `@prepared` builder registers itself (`registered()`); `tests/core/test_prepared_builders.py` checks
each builder of the project against its plain ORM queryset with awkward values, and fails when a builder has
no case there.

Django APIs used that are not documented, each pinned by
`tests/core/test_prepared.py::test_the_orm_internals_prepared_queries_use_are_still_there`:
`QuerySet._iterable_class` (the only way to tell `values_list()` and `flat=True` from other querysets);
`Query.get_compiler()`, `SQLCompiler.as_sql()` and `SQLCompiler.compile()` (to compile once, and a `below`
lookup again); `SQLCompiler.results_iter(results=..., tuple_expected=True)`, `has_extra_select` and
`col_count` (to convert rows as the ORM does, with the ORM's own converters); and, to walk a query for what
it uses, `Query.where`/`select`/`annotations`/`order_by`/`group_by`/`combined_queries`, `WhereNode.children`,
`Lookup.lhs`/`rhs` and `TimezoneMixin`. Everything else is the ORM as documented.
"""

import datetime
import functools
import re
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateTimeField, Lookup, QuerySet
from django.db.models.expressions import BaseExpression
from django.db.models.functions.datetime import TimezoneMixin
from django.db.models.lookups import YearLookup
from django.db.models.query import FlatValuesListIterable, ValuesListIterable
from django.db.models.sql.query import Query
from django.db.models.sql.where import WhereNode
from django.utils import timezone

MAX_SHAPES = 256  # compiled forms kept per connection, in all
MAX_SHAPES_PER_QUERY = 64  # … and per prepared query
_MADE_LIMIT = 256  # values kept per compiled form and `below` lookup (see _Compiled.made)

# Lookups whose value reaches the SQL as it is (as the backend adapts it).
SAFE_LOOKUPS = frozenset({"exact", "in", "gt", "gte", "lt", "lte", "range", "isnull"})
# Lookups that make their parameter from the value themselves: made again by the lookup for every call.
SELF_ESCAPING_LOOKUPS = frozenset({"below"})

_INT_BASE = 1_900_000_000  # inside a 32-bit integer: Django drops lookups with out-of-range values
_INT_STEP = 1_000  # spaced, so that a value made from one (`x + 1`) is no other sentinel
_INT_NEAR = 100_000_000
_STR_PATTERN = re.compile(r"prepared(\d{4})sentinel", re.IGNORECASE)
_DATE_BASE = datetime.date(1111, 1, 1)
_DATETIME_BASE = datetime.datetime(1111, 1, 1, tzinfo=datetime.UTC)
_SENTINEL_YEAR = 1111

# How a sentinel was found among the SQL parameters, and so how a real value is put in its place.
_AS_IS = "as_is"
_ADAPTED = "adapted"  # as the backend adapts a date or datetime
_OWN = "own"  # made by the lookup (`below`) from the value: the lookup is compiled again with it


class PreparedQueryError(Exception):
    """A builder that cannot be prepared: an argument, a lookup or a transform breaks the module's rules."""


@dataclass(frozen=True, slots=True)
class _Slot:
    index: int  # position in the SQL parameters
    name: str  # the argument
    item: int | None  # position in a list argument, else None
    how: str
    lookup: Any = None  # for _OWN: the lookup to compile again with the value
    part: int = 0  # for _OWN: which of that lookup's parameters it is


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: tuple[_Slot, ...]  # where each argument goes (index -1: only checked, by its own lookup)
    compiler: Any  # the SQLCompiler that compiled it: its converters turn database values into Python ones
    flat: bool
    empty: bool  # the ORM found that no row can match (e.g. an empty IN): no query is run
    # What a `below` lookup made of a value, by (slot, value): a lookup is built and compiled again only for a value
    # it has not seen (some 50 µs each; a person's paths come back on every page). Emptied when full.
    made: dict[tuple[int, Any], Any] = field(default_factory=dict, compare=False)


class Builder(Protocol):
    def __call__(self, **kwargs: Any) -> QuerySet[Any]: ...


type _Key = tuple["PreparedQuery", tuple[Any, ...]]


class ShapeCache:
    """The compiled forms of one connection, least recently used evicted first: at most `limit` in all and
    `per_query` for any one prepared query."""

    def __init__(self, limit: int = MAX_SHAPES, per_query: int = MAX_SHAPES_PER_QUERY) -> None:
        self.limit = limit
        self.per_query = per_query
        self.entries: OrderedDict[_Key, _Compiled] = OrderedDict()
        self.counts: Counter[PreparedQuery] = Counter()

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, key: _Key) -> _Compiled | None:
        compiled = self.entries.get(key)
        if compiled is not None:
            self.entries.move_to_end(key)
        return compiled

    def put(self, key: _Key, compiled: _Compiled) -> None:
        if key in self.entries:
            self.entries[key] = compiled
            self.entries.move_to_end(key)
            return
        query = key[0]
        if self.counts[query] >= self.per_query:
            self._drop(next(k for k in self.entries if k[0] is query))
        elif len(self.entries) >= self.limit:
            self._drop(next(iter(self.entries)))
        self.entries[key] = compiled
        self.counts[query] += 1

    def _drop(self, key: _Key) -> None:
        del self.entries[key]
        self.counts[key[0]] -= 1
        if not self.counts[key[0]]:
            del self.counts[key[0]]

    def clear(self) -> None:
        self.entries.clear()
        self.counts.clear()


def shape_cache(connection: BaseDatabaseWrapper) -> ShapeCache:
    """The compiled forms kept on `connection` (a connection belongs to one thread: no lock needed)."""
    cache: ShapeCache | None = connection.__dict__.get("brobygget_prepared")
    if cache is None:
        cache = connection.__dict__["brobygget_prepared"] = ShapeCache()
    return cache


_REGISTRY: dict[str, "PreparedQuery"] = {}


def registered() -> dict[str, "PreparedQuery"]:
    """Every prepared query defined so far, by "module.qualname" (those of a module count once it is imported)."""
    return dict(_REGISTRY)


def _is_variant(value: object) -> bool:
    return value is None or isinstance(value, bool)


def _bucket(length: int) -> int:
    """The length a list is padded to: 0, 1, 2, 4, 8, …"""
    return 0 if length == 0 else 1 << (length - 1).bit_length()


def _kind(name: str, value: object) -> tuple[str, int]:
    if isinstance(value, datetime.datetime):
        if settings.USE_TZ and timezone.is_naive(value):
            raise TypeError(f"Prepared query argument {name}={value!r}: a datetime must be aware.")
        return ("datetime", 0)
    if isinstance(value, datetime.date):
        return ("date", 0)
    if isinstance(value, int):
        return ("int", 0)
    if isinstance(value, str):
        return ("str", 0)
    if isinstance(value, list | tuple):
        if all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return ("ints", _bucket(len(value)))
        if all(isinstance(v, str) for v in value):
            return ("strs", _bucket(len(value)))
    raise TypeError(
        f"Prepared query argument {name}={value!r}: int, str, date, aware datetime, list, bool or None only."
    )


def _shape(arguments: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        (name, value) if _is_variant(value) else (name, *_kind(name, value))
        for name, value in sorted(arguments.items())
    )


class _Sentinels:
    """Distinct stand-in values, and how each looks once the backend has prepared it."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.counter = 0
        self.found: dict[Any, tuple[str, int | None, str]] = {}  # value as it reaches the SQL → (name, item, how)
        self.own: dict[Any, tuple[str, int | None, Any, int]] = {}  # a `below` pattern → (name, item, lookup, part)
        self.names: dict[int, str] = {}  # counter → argument
        self.texts: list[str] = []  # how each sentinel would read if baked into the SQL text

    def make(self, name: str, kind: str, item: int | None = None) -> Any:
        self.counter += 1
        n = self.counter
        self.names[n] = name
        ops = self.connection.ops
        if kind in ("int", "ints"):
            value: Any = _INT_BASE + n * _INT_STEP
            self.found[value] = (name, item, _AS_IS)
            self.texts.append(str(value))
        elif kind in ("str", "strs"):
            value = f"Prepared{n:04d}Sentinel"  # of both cases: an upper() or lower() of it is no sentinel
            self.found[value] = (name, item, _AS_IS)
            self.texts.append(value)
        elif kind == "date":
            value = _DATE_BASE + datetime.timedelta(days=n)
            self.found[value] = (name, item, _AS_IS)
            self.found.setdefault(ops.adapt_datefield_value(value), (name, item, _ADAPTED))
        else:
            value = _DATETIME_BASE + datetime.timedelta(minutes=n)
            self.found[value] = (name, item, _AS_IS)
            self.found.setdefault(ops.adapt_datetimefield_value(value), (name, item, _ADAPTED))
        return value

    def note_own(self, compiler: Any, lookup: Lookup[Any]) -> None:
        """A `below` lookup on a sentinel: note the pattern it made, to make it again from each real value."""
        hit = self.found.get(lookup.rhs) if isinstance(lookup.rhs, str) else None
        if hit is None:
            return
        _sql, params = compiler.compile(lookup)
        made = [part for part, param in enumerate(params) if isinstance(param, str) and lookup.rhs in param]
        if len(made) != 1:
            raise PreparedQueryError(f"The lookup {lookup.lookup_name!r} did not make one parameter of its value.")
        self.own[params[made[0]]] = (hit[0], hit[1], lookup, made[0])

    def slot(self, index: int, param: Any) -> _Slot | None:
        try:
            hit = self.found.get(param)
            own = self.own.get(param)
        except TypeError:  # an unhashable parameter is never a sentinel
            return None
        if hit is not None:
            return _Slot(index, *hit)
        if own is not None:
            name, item, lookup, part = own
            return _Slot(index, name, item, _OWN, lookup, part)
        return None

    def made_from(self, param: Any) -> str | None:
        """For a parameter that is no sentinel but looks made from one (changed on its way to the SQL), the argument
        it seems made from; None for a parameter of the builder's own."""
        n: int | None = None
        if isinstance(param, bool):
            return None
        if isinstance(param, int) and _INT_BASE <= param < _INT_BASE + _INT_NEAR:
            n = round((param - _INT_BASE) / _INT_STEP)
        elif isinstance(param, str) and (found := _STR_PATTERN.search(param)):
            n = int(found.group(1))
        elif (isinstance(param, str) and param.startswith(f"{_SENTINEL_YEAR}-")) or (
            isinstance(param, datetime.date) and param.year == _SENTINEL_YEAR
        ):
            n = 0  # a date made from a date argument
        if n is None:
            return None
        return self.names.get(n, "an argument")


def _walk(node: Any, seen: set[int]) -> Iterator[Any]:
    """Every lookup, expression and query inside `node` (a Query, a WhereNode, an expression), once each."""
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    yield node
    if isinstance(node, Query):
        parts: list[Any] = [node.where, *node.select, *node.annotations.values(), *node.combined_queries]
        parts += [o for o in node.order_by if not isinstance(o, str)]
        if isinstance(node.group_by, tuple):
            parts += node.group_by
    elif isinstance(node, WhereNode):
        parts = list(node.children)
    elif isinstance(node, Lookup):
        parts = [node.lhs, node.rhs]
    elif isinstance(node, list | tuple):
        parts = list(node)
    elif isinstance(node, BaseExpression):
        parts = list(node.get_source_expressions())
    else:
        parts = []
    for part in parts:
        yield from _walk(part, seen)


def _refusal(node: Any) -> str | None:
    """Why `node` cannot be part of a prepared query, or None."""
    if isinstance(node, YearLookup):
        name = getattr(node.lhs, "lookup_name", "year")
        return f"the lookup '{name}__{node.lookup_name}' compares with bounds made from its value"
    if isinstance(node, Lookup) and node.lookup_name not in SAFE_LOOKUPS | SELF_ESCAPING_LOOKUPS:
        return (
            f"the lookup {node.lookup_name!r} changes its value on the way to the SQL; only "
            f"{', '.join(sorted(SAFE_LOOKUPS | SELF_ESCAPING_LOOKUPS))} may be prepared"
        )
    if isinstance(node, TimezoneMixin):
        try:
            source = node.get_source_expressions()[0].output_field  # type: ignore[attr-defined]
        except Exception:  # what cannot be told is refused
            source = None
        if source is None or isinstance(source, DateTimeField):
            name = getattr(node, "lookup_name", None) or getattr(node, "kind", None) or type(node).__name__
            return f"the transform {name!r} depends on the time zone, which would stay that of the first compile"
    return None


class PreparedQuery:
    """A values_list query built by `build(**arguments)`, compiled once per connection and shape of its arguments."""

    def __init__(self, build: Builder, using: str = DEFAULT_DB_ALIAS) -> None:
        self.build = build
        self.using = using
        self.name: str = f"{getattr(build, '__module__', '?')}.{getattr(build, '__qualname__', repr(build))}"
        functools.update_wrapper(self, build)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"<PreparedQuery {self.name}>"

    def __call__(self, **arguments: Any) -> list[Any]:
        connection = connections[self.using]
        shapes = shape_cache(connection)
        key = (self, _shape(arguments))
        compiled = shapes.get(key)
        if compiled is None:
            compiled = self._compile(connection, arguments)
            shapes.put(key, compiled)
        compiler = compiled.compiler
        ops = connection.ops
        params = list(compiled.params)
        for position, slot in enumerate(compiled.slots):
            value = arguments[slot.name]
            if slot.item is not None:
                value = value[slot.item] if slot.item < len(value) else value[-1]  # padded with the last
            if slot.how == _ADAPTED:
                value = (
                    ops.adapt_datetimefield_value(value)
                    if isinstance(value, datetime.datetime)
                    else ops.adapt_datefield_value(value)
                )
            elif slot.how == _OWN:  # the lookup makes (or refuses) its parameter from the value, as in the ORM
                made = compiled.made.get((position, value))
                if made is None:
                    if len(compiled.made) >= _MADE_LIMIT:
                        compiled.made.clear()
                    made = compiled.made[position, value] = compiler.compile(type(slot.lookup)(slot.lookup.lhs, value))[
                        1
                    ][slot.part]
                value = made
            if slot.index >= 0:
                params[slot.index] = value
        if compiled.empty:
            return []
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Sequence[Any] = cursor.fetchall()
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        results = compiler.results_iter(results=[rows], tuple_expected=True)
        return [row[0] for row in results] if compiled.flat else list(results)

    def check(self, queryset: QuerySet[Any]) -> None:
        """Refuse a queryset that uses a lookup or transform outside the module's rules (PreparedQueryError)."""
        for node in _walk(queryset.query, set()):
            reason = _refusal(node)
            if reason is not None:
                raise PreparedQueryError(f"{self.name}: {reason}.")

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
        self.check(queryset)
        compiler = queryset.query.get_compiler(using=self.using, connection=connection)
        for node in _walk(queryset.query, set()):
            if isinstance(node, Lookup) and node.lookup_name in SELF_ESCAPING_LOOKUPS:
                sentinels.note_own(compiler, node)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # No query is run, but a value its own lookup refuses (a wildcard in a path on SQLite) is refused still.
            checks = tuple(
                _Slot(-1, name, item, _OWN, lookup, part) for name, item, lookup, part in sentinels.own.values()
            )
            return _Compiled("", (), checks, compiler, flat, empty=True)
        self._refuse_time_zone(queryset, connection, sql, params)
        slots = []
        for index, param in enumerate(params):
            slot = sentinels.slot(index, param)
            if slot is not None:
                slots.append(slot)
            elif (origin := sentinels.made_from(param)) is not None:
                raise PreparedQueryError(
                    f"{self.name}: a parameter made from {origin} reached the SQL changed ({param!r}); "
                    "only values that reach it as they are may be prepared."
                )
        baked = [text for text in sentinels.texts if text in sql]
        if baked:
            raise PreparedQueryError(
                f"{self.name}: an argument was written into the SQL itself ({baked[0]}), e.g. as a slice; "
                "it would stay that of the first call."
            )
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

    def _refuse_time_zone(
        self, queryset: QuerySet[Any], connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]
    ) -> None:
        """Compile again in another time zone: SQL that differs depends on the zone (what the walk did not name)."""
        if not settings.USE_TZ:
            return
        other = "America/Santiago" if timezone.get_current_timezone_name() != "America/Santiago" else "Asia/Tokyo"
        with timezone.override(other):
            compiler = queryset.query.get_compiler(using=self.using, connection=connection)
            again = compiler.as_sql()
        if (again[0], tuple(again[1])) != (sql, tuple(params)):
            raise PreparedQueryError(
                f"{self.name}: the query depends on the time zone, which would stay that of its "
                "first compile (a __date, __year, Trunc or Extract on a DateTimeField?)."
            )


def prepared(build: Callable[..., QuerySet[Any]]) -> PreparedQuery:
    """Decorator: the builder of a values_list query becomes a `PreparedQuery` (see the module's docstring), and is
    registered (`registered()`)."""
    query = PreparedQuery(build)
    _REGISTRY[query.name] = query
    return query
