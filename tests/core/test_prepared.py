"""Prepared queries: compiled once, run with new values, and always the rows the plain ORM gives; what cannot be
prepared safely is refused when compiling; the cache of compiled forms is bounded."""

import datetime
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count, Exists, Lookup, OuterRef, Q, QuerySet
from django.db.models.expressions import BaseExpression
from django.db.models.functions import ExtractHour, Lower, TruncDate, TruncMonth
from django.db.models.functions.datetime import TimezoneMixin
from django.db.models.query import FlatValuesListIterable, ModelIterable, NamedValuesListIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.where import WhereNode
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brobygget.core import prepared as prepared_module
from brobygget.core.prepared import PreparedQuery, PreparedQueryError, ShapeCache, prepared, registered, shape_cache
from brobygget.organisation.models import Routine, Unit
from tests.factories import PersonFactory, RoutineFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

calls: list[dict[str, object]] = []


@prepared
def _units(*, municipality_id: int, below: str | None, ids: list[int] | None, leaf_only: bool) -> QuerySet[Unit, Any]:
    calls.append({"municipality_id": municipality_id})
    units = Unit.objects.filter(municipality_id=municipality_id)
    if below is not None:
        units = units.filter(path__below=below)
    if ids is not None:
        units = units.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    if leaf_only:
        units = units.filter(children__isnull=True)
    return units.order_by("name").values_list("pk", "name")


def _plain(**arguments: object) -> list[tuple[int, str]]:
    return list(_units.build(**arguments))


@pytest.fixture
def tree(org):
    UnitFactory(municipality=org["root"].municipality, name="50%_rabatt", parent=org["admin_unit"])
    UnitFactory(municipality=org["root"].municipality, name="Parkförvaltningen", parent=org["root"])
    return org


@pytest.fixture
def fresh_cache() -> ShapeCache:
    cache = shape_cache(connections[DEFAULT_DB_ALIAS])
    cache.clear()
    return cache


def test_the_rows_are_those_of_the_plain_orm_for_every_shape_of_arguments(tree):
    municipality_id = tree["root"].municipality_id
    all_ids = list(Unit.objects.values_list("pk", flat=True))
    for arguments in (
        {"below": None, "ids": None, "leaf_only": False},
        {"below": tree["admin_unit"].path, "ids": None, "leaf_only": False},
        {"below": tree["admin_unit"].path, "ids": None, "leaf_only": True},
        {"below": tree["team"].path, "ids": None, "leaf_only": False},
        {"below": "/", "ids": None, "leaf_only": False},
        {"below": None, "ids": [tree["root"].pk], "leaf_only": False},
        {"below": None, "ids": all_ids, "leaf_only": True},
        {"below": None, "ids": all_ids[:3], "leaf_only": False},  # padded to four with the last id
        {"below": None, "ids": [], "leaf_only": False},
    ):
        expected = _plain(municipality_id=municipality_id, **arguments)
        assert _units(municipality_id=municipality_id, **arguments) == expected, arguments
    assert _units(municipality_id=municipality_id, below=tree["team"].path, ids=None, leaf_only=False) == [
        (tree["team"].pk, "Parkenheten")
    ]


def test_a_query_is_compiled_once_and_then_run_with_new_values(tree):
    municipality_id = tree["root"].municipality_id
    _units(municipality_id=municipality_id, below=tree["root"].path, ids=None, leaf_only=False)
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        other = _units(municipality_id=municipality_id + 1000, below=tree["team"].path, ids=None, leaf_only=False)
        again = _units(municipality_id=municipality_id, below=tree["team"].path, ids=None, leaf_only=False)
    assert calls == []  # the builder did not run again
    assert len(queries) == 2  # each call is one query, seen by query counting like any other
    assert other == []
    assert again == [(tree["team"].pk, "Parkenheten")]


def test_the_path_lookup_makes_its_pattern_again_from_each_value_with_its_own_escaping(tree):
    """`below` escapes LIKE's characters on PostgreSQL and refuses GLOB's on SQLite, for each new value as for the
    first: a prepared call answers as the plain ORM does, or fails as it does."""
    municipality_id = tree["root"].municipality_id
    _units(municipality_id=municipality_id, below=tree["team"].path, ids=None, leaf_only=False)  # compiled
    awkward = ("/%/", "/_", "%", "\\", "*", "/1?/", "/[0-9]/", "/ö'\"/", tree["root"].path)
    for below in awkward * 2:  # the second time, what the lookup made of a value is remembered (or refused again)
        arguments = {"municipality_id": municipality_id, "below": below, "ids": None, "leaf_only": False}
        try:
            expected: object = _plain(**arguments)
        except ValueError as error:  # SQLite: a path holds ids and slashes only
            expected = type(error)
        try:
            got: object = _units(**arguments)
        except ValueError as error:
            got = type(error)
        assert got == expected, below
        if connection.vendor != "sqlite" and below != tree["root"].path:
            assert got == [], below  # matched literally, not as a pattern


def test_a_value_its_own_lookup_refuses_is_refused_even_when_an_empty_list_means_no_query_is_run(tree):
    @prepared
    def below_among(*, path: str, ids: list[int]) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(path__below=path, pk__in=ids).values_list("pk", flat=True)

    with CaptureQueriesContext(connection) as queries:
        assert below_among(path=tree["team"].path, ids=[]) == []
        if connection.vendor == "sqlite":  # GLOB's characters are refused, as the plain ORM refuses them
            with pytest.raises(ValueError, match="ids and slashes"):
                list(below_among.build(path="/*/", ids=[]))
            with pytest.raises(ValueError, match="ids and slashes"):
                below_among(path="/*/", ids=[])
        else:
            assert below_among(path="/%/", ids=[]) == []
    assert len(queries) == 0


def test_an_empty_list_runs_no_query_when_nothing_can_match(tree):
    @prepared
    def by_ids(*, ids: list[int]) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk__in=ids).values_list("pk", flat=True)

    with CaptureQueriesContext(connection) as queries:
        assert by_ids(ids=[]) == []
    assert len(queries) == 0
    assert by_ids(ids=[tree["team"].pk]) == [tree["team"].pk]  # flat values come back as values, not tuples


def test_lists_are_padded_to_a_few_lengths_so_that_their_lengths_do_not_multiply_the_compiled_forms(tree, fresh_cache):
    @prepared
    def by_ids(*, ids: list[int], names: list[str]) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(Q(pk__in=ids) | Q(name__in=names)).order_by("pk").values_list("pk", flat=True)

    units = list(Unit.objects.order_by("pk"))
    for length in range(1, len(units) + 1):
        ids = [u.pk for u in units[:length]]
        assert by_ids(ids=ids, names=["Parkenheten"]) == sorted({*ids, tree["team"].pk}), length
        assert by_ids(ids=ids[-1:], names=[u.name for u in units[:length]]) == ids, length
    assert len(units) == 5
    # 1, 2, 4 and 8 ids with 1 name; 1 id with 1, 2, 4 and 8 names.
    assert sorted(shape for query, shape in fresh_cache.entries if query is by_ids) == sorted(
        (("ids", "ints", i), ("names", "strs", n)) for i, n in ((1, 1), (2, 1), (4, 1), (8, 1), (1, 2), (1, 4), (1, 8))
    )
    assert prepared_module._bucket(0) == 0
    assert [prepared_module._bucket(n) for n in (1, 2, 3, 4, 5, 9, 100, 129)] == [1, 2, 4, 4, 8, 16, 128, 256]


def test_dates_are_compared_as_the_orm_compares_them(tree):
    owner = PersonFactory(municipality=tree["root"].municipality)
    today = datetime.date(2026, 6, 18)
    for days in (-3, 0, 1, 40):
        RoutineFactory(unit=tree["team"], owner=owner, review_date=today + datetime.timedelta(days=days))

    @prepared
    def due(*, by: datetime.date) -> QuerySet[Routine, Any]:
        return Routine.objects.filter(review_date__lte=by).order_by("review_date").values_list("review_date", flat=True)

    for by in (today, today + datetime.timedelta(days=1), today - datetime.timedelta(days=10)):
        assert due(by=by) == list(due.build(by=by))
    assert due(by=today) == [today - datetime.timedelta(days=3), today]


def test_aware_datetimes_are_compared_as_the_orm_compares_them_in_a_local_time_zone():
    midsummer = datetime.datetime(2026, 6, 19, 23, 30, tzinfo=timezone.get_current_timezone())  # 21:30 UTC
    for minutes in (-1, 0, 1):
        UserFactory(date_joined=midsummer + datetime.timedelta(minutes=minutes))

    @prepared
    def joined_since(*, since: datetime.datetime) -> QuerySet[User, Any]:
        return User.objects.filter(date_joined__gte=since).order_by("date_joined").values_list("date_joined", flat=True)

    since = joined_since(since=midsummer)
    assert since == list(joined_since.build(since=midsummer))
    assert since == [midsummer, midsummer + datetime.timedelta(minutes=1)]
    assert all(timezone.is_aware(moment) for moment in since)  # converted as values_list converts them
    with timezone.override("America/New_York"):  # another zone changes no row: the value is an instant
        assert joined_since(since=midsummer) == since
    with pytest.raises(TypeError, match="aware"):
        joined_since(since=midsummer.replace(tzinfo=None))


def test_an_argument_that_does_not_reach_the_sql_is_refused_at_once(tree):
    @prepared
    def shifted(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk=unit_id + 1).values_list("pk")  # a value made from the argument: baked in

    with pytest.raises(PreparedQueryError, match="unit_id"):
        shifted(unit_id=tree["team"].pk)


def test_an_argument_that_reaches_the_sql_changed_or_written_into_it_is_refused(tree):
    @prepared
    def next_to(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(Q(pk=unit_id) | Q(pk=unit_id + 1)).values_list("pk")

    @prepared
    def first(*, unit_id: int, count: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk__gte=unit_id, parent_id__gte=count).values_list("pk")[:count]

    @prepared
    def lowered(*, name: str) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(Q(name=name) | Q(name=name.lower())).values_list("pk")

    with pytest.raises(PreparedQueryError, match="made from unit_id reached the SQL changed"):
        next_to(unit_id=tree["team"].pk)
    with pytest.raises(PreparedQueryError, match="made from name reached the SQL changed"):
        lowered(name="Parkenheten")
    with pytest.raises(PreparedQueryError, match="written into the SQL"):
        first(unit_id=tree["team"].pk, count=2)


def test_only_values_list_queries_and_known_kinds_of_argument_are_accepted(tree):
    @prepared
    def instances(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk=unit_id)

    @prepared
    def named(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk=unit_id).values_list("pk", named=True)

    for query in (instances, named):
        with pytest.raises(PreparedQueryError, match="values_list"):
            query(unit_id=tree["team"].pk)
    with pytest.raises(TypeError):
        _units(municipality_id=1.5, below=None, ids=None, leaf_only=False)
    with pytest.raises(TypeError):
        _units(municipality_id=1, below=None, ids=[datetime.date(2026, 1, 1)], leaf_only=False)


def _users(build: Callable[[str], QuerySet[Any, Any]]) -> PreparedQuery:
    @prepared
    def query(*, text: str) -> QuerySet[Any, Any]:
        return build(text)

    return query


_MONTH = datetime.date(2026, 3, 1)

# What a prepared query refuses when compiling, and the name its message gives.
REFUSED: dict[str, Callable[[str], QuerySet[Any, Any]]] = {
    "iexact": lambda t: User.objects.filter(username__iexact=t).values_list("pk"),
    "contains": lambda t: User.objects.filter(username__contains=t).values_list("pk"),
    "icontains": lambda t: User.objects.filter(username__icontains=t).values_list("pk"),
    "startswith": lambda t: User.objects.filter(username__startswith=t).values_list("pk"),
    "istartswith": lambda t: User.objects.filter(username__istartswith=t).values_list("pk"),
    "endswith": lambda t: User.objects.filter(username__endswith=t).values_list("pk"),
    "iendswith": lambda t: User.objects.filter(username__iendswith=t).values_list("pk"),
    "regex": lambda t: User.objects.filter(username__regex=t).values_list("pk"),
    "iregex": lambda t: User.objects.filter(username__iregex=t).values_list("pk"),
    # Refused even on a constant, and inside an OR, a subquery, an EXISTS or an aggregate's filter.
    "'icontains'": lambda t: User.objects.filter(username=t, email__icontains="x").values_list("pk"),
    "'startswith'": lambda t: User.objects.filter(Q(username=t) | Q(email__startswith="a_")).values_list("pk"),
    "'iexact'": lambda t: User.objects.filter(pk__in=User.objects.filter(email__iexact=t).values("pk")).values_list(
        "pk"
    ),
    "'endswith'": lambda t: User.objects.filter(
        Exists(User.objects.filter(pk=OuterRef("pk"), email__endswith=t))
    ).values_list("pk"),
    "'contains'": lambda t: User.objects.annotate(n=Count("groups", filter=Q(groups__name__contains=t))).values_list(
        "n"
    ),
    # Year lookups compare with bounds made from the value, on a DateField too.
    "year__exact": lambda t: Routine.objects.filter(title=t, review_date__year=2026).values_list("pk"),
    "year__gte": lambda t: User.objects.filter(username=t, date_joined__year__gte=2026).values_list("pk"),
    # Transforms that depend on the time zone: in a filter, a value, an annotation and an ordering.
    "'date'": lambda t: User.objects.filter(username=t, date_joined__date=_MONTH).values_list("pk"),
    "'month'": lambda t: User.objects.filter(username=t, date_joined__month=3).values_list("pk"),
    "'hour'": lambda t: User.objects.filter(username=t).values_list(ExtractHour("date_joined")),
    "'date' ": lambda t: User.objects.filter(username=t).values_list("date_joined__date"),
    "'month' ": lambda t: User.objects.filter(username=t).annotate(m=TruncMonth("date_joined")).values_list("m"),
    "'date'  ": lambda t: User.objects.filter(username=t).order_by(TruncDate("date_joined")).values_list("pk"),
    "depends on the time zone": lambda t: (
        User.objects.filter(username=t).order_by("date_joined__date").values_list("pk")
    ),  # a string the walk does not read: the second compile finds it
}


@pytest.mark.parametrize("named", REFUSED)
def test_lookups_and_transforms_that_change_the_value_or_follow_the_time_zone_are_refused(named):
    query = _users(REFUSED[named])
    with pytest.raises(PreparedQueryError) as refused:
        query(text="anna")
    assert named.strip() in str(refused.value)
    assert "tests.core.test_prepared" in str(refused.value)  # names the builder


def test_what_keeps_its_value_is_accepted_transforms_that_ignore_the_time_zone_too(tree):
    owner = PersonFactory(municipality=tree["root"].municipality)
    RoutineFactory(unit=tree["team"], owner=owner, title="Snöröjning", review_date=datetime.date(2026, 3, 9))

    @prepared
    def routines(*, title: str, low: datetime.date, high: datetime.date) -> QuerySet[Routine, Any]:
        return (
            Routine.objects.annotate(month=TruncMonth("review_date"))  # a DateField: no time zone
            .filter(Q(title__exact=title) | Q(title__in=[title]), review_date__range=(low, high))
            .filter(description__isnull=False, month__gt=low, pk__lt=10**9)
            .alias(lower=Lower("title"))
            .filter(lower__in=["snöröjning", "x"])
            .values_list("title", "month")
        )

    arguments = {"title": "Snöröjning", "low": datetime.date(2026, 1, 1), "high": datetime.date(2026, 12, 31)}
    assert routines(**arguments) == list(routines.build(**arguments)) == [("Snöröjning", datetime.date(2026, 3, 1))]
    arguments["low"] = datetime.date(2026, 3, 10)
    assert routines(**arguments) == [] == list(routines.build(**arguments))


def test_the_cache_keeps_the_least_recently_used_out_first_within_its_bounds():
    a, b = _units, object()
    cache = ShapeCache(limit=3, per_query=2)
    sentinel: Any = object()
    cache.put((a, (1,)), sentinel)  # type: ignore[arg-type]
    cache.put((b, (1,)), sentinel)  # type: ignore[arg-type]
    cache.put((a, (2,)), sentinel)  # type: ignore[arg-type]
    assert cache.get((a, (1,))) is sentinel  # used: now the newest
    cache.put((b, (2,)), sentinel)  # type: ignore[arg-type] # over the limit: the oldest, (b, 1), goes
    assert list(cache.entries) == [(a, (2,)), (a, (1,)), (b, (2,))]
    cache.put((a, (3,)), sentinel)  # type: ignore[arg-type] # a has two already: a's oldest, (a, 2), goes
    assert list(cache.entries) == [(a, (1,)), (b, (2,)), (a, (3,))]
    assert cache.get((a, (2,))) is None
    assert dict(cache.counts) == {a: 2, b: 1}
    assert prepared_module.MAX_SHAPES == 256 and prepared_module.MAX_SHAPES_PER_QUERY == 64
    assert ShapeCache().limit == 256


def test_a_connection_keeps_a_bounded_number_of_compiled_forms_and_stays_correct_past_it(tree, monkeypatch):
    small = ShapeCache(limit=3, per_query=3)
    monkeypatch.setitem(connections[DEFAULT_DB_ALIAS].__dict__, "brobygget_prepared", small)
    municipality_id = tree["root"].municipality_id
    shapes = [
        {"below": None, "ids": None, "leaf_only": False},
        {"below": tree["admin_unit"].path, "ids": None, "leaf_only": False},
        {"below": None, "ids": [tree["team"].pk], "leaf_only": False},
        {"below": None, "ids": None, "leaf_only": True},
        {"below": tree["root"].path, "ids": [tree["root"].pk, tree["team"].pk], "leaf_only": True},
    ]
    for _round in range(2):
        for arguments in shapes:
            calls.clear()
            assert _units(municipality_id=municipality_id, **arguments) == _plain(
                municipality_id=municipality_id, **arguments
            )
            assert len(small) <= 3
    assert len(small) == 3
    calls.clear()
    _units(municipality_id=municipality_id, **shapes[-1])  # among the three newest: not compiled again
    assert calls == []
    _units(municipality_id=municipality_id, **shapes[0])  # evicted long ago: compiled again
    assert len(calls) == 1


def test_every_prepared_query_registers_itself_by_module_and_name():
    assert registered()["tests.core.test_prepared._units"] is _units
    assert _units.__name__ == "_units"  # still looks like the builder it wraps
    assert "tests.core.test_prepared._units" in repr(_units)


def test_the_orm_internals_prepared_queries_use_are_still_there(tree):
    """The undocumented parts of Django that core.prepared relies on (see its docstring). When Django changes one,
    this test says which, before a page goes wrong."""
    assert Unit.objects.values_list("pk")._iterable_class is ValuesListIterable
    assert Unit.objects.values_list("pk", flat=True)._iterable_class is FlatValuesListIterable
    assert Unit.objects.values_list("pk", named=True)._iterable_class is NamedValuesListIterable
    assert Unit.objects.all()._iterable_class is ModelIterable
    queryset = Unit.objects.filter(pk=tree["team"].pk).order_by("name").values_list("pk", "name")
    compiler = queryset.query.get_compiler(connection=connection)
    assert isinstance(compiler, SQLCompiler)
    sql, params = compiler.as_sql()
    assert list(params) == [tree["team"].pk]
    signature = inspect.signature(SQLCompiler.results_iter)
    assert {"results", "tuple_expected"} <= set(signature.parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    assert compiler.has_extra_select is False
    assert compiler.col_count == 2
    assert list(compiler.results_iter(results=[rows], tuple_expected=True)) == [(tree["team"].pk, "Parkenheten")]
    query = Unit.objects.filter(Q(path__below="/1/") | Q(pk__in=[1])).annotate(n=Count("children")).query
    assert isinstance(query.where, WhereNode) and isinstance(query.where.children[0], WhereNode)
    lookup = query.where.children[0].children[0]
    assert isinstance(lookup, Lookup) and lookup.lookup_name == "below" and lookup.rhs == "/1/"
    assert isinstance(lookup.lhs, BaseExpression)
    assert isinstance(query.annotations, dict) and isinstance(query.select, tuple)
    assert isinstance(query.order_by, tuple) and isinstance(query.combined_queries, tuple)
    assert query.group_by is None or isinstance(query.group_by, tuple | bool)
    assert issubclass(TruncDate, TimezoneMixin) and issubclass(ExtractHour, TimezoneMixin)
    _sql, made = compiler.compile(type(lookup)(lookup.lhs, "/2/"))
    assert made[-1] in ("/2/%", "/2/*")  # the lookup makes its pattern from a new value
