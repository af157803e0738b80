"""Prepared queries: compiled once, run with new values, and always the rows the plain ORM gives."""

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from brobygget.core.prepared import PreparedQueryError, prepared
from brobygget.organisation.models import Routine, Unit
from tests.factories import PersonFactory, RoutineFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

calls: list[dict[str, object]] = []


@prepared
def _units(
    *, municipality_id: int, name_start: str | None, ids: list[int] | None, leaf_only: bool
) -> QuerySet[Unit, Any]:
    calls.append({"municipality_id": municipality_id})
    units = Unit.objects.filter(municipality_id=municipality_id)
    if name_start is not None:
        units = units.filter(name__startswith=name_start)
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


def test_the_rows_are_those_of_the_plain_orm_for_every_shape_of_arguments(tree):
    municipality_id = tree["root"].municipality_id
    all_ids = list(Unit.objects.values_list("pk", flat=True))
    for arguments in (
        {"name_start": None, "ids": None, "leaf_only": False},
        {"name_start": "Park", "ids": None, "leaf_only": False},
        {"name_start": "Samhälls", "ids": None, "leaf_only": True},
        {"name_start": "50%_", "ids": None, "leaf_only": False},  # LIKE's own characters are matched literally
        {"name_start": "50%", "ids": None, "leaf_only": False},
        {"name_start": None, "ids": [tree["root"].pk], "leaf_only": False},
        {"name_start": None, "ids": all_ids, "leaf_only": True},
        {"name_start": None, "ids": [], "leaf_only": False},
    ):
        expected = _plain(municipality_id=municipality_id, **arguments)
        assert _units(municipality_id=municipality_id, **arguments) == expected, arguments
    assert _units(municipality_id=municipality_id, name_start="50%_", ids=None, leaf_only=False) == [
        (Unit.objects.get(name="50%_rabatt").pk, "50%_rabatt")
    ]


def test_a_query_is_compiled_once_and_then_run_with_new_values(tree):
    municipality_id = tree["root"].municipality_id
    _units(municipality_id=municipality_id, name_start="Park", ids=None, leaf_only=False)
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        other = _units(municipality_id=municipality_id + 1000, name_start="Samhälls", ids=None, leaf_only=False)
        again = _units(municipality_id=municipality_id, name_start="Samhälls", ids=None, leaf_only=False)
    assert calls == []  # the builder did not run again
    assert len(queries) == 2  # each call is one query, seen by query counting like any other
    assert other == []
    assert again == [(tree["admin_unit"].pk, "Samhällsbyggnad")]


def test_an_empty_list_runs_no_query_when_nothing_can_match(tree):
    @prepared
    def by_ids(*, ids: list[int]) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk__in=ids).values_list("pk", flat=True)

    with CaptureQueriesContext(connection) as queries:
        assert by_ids(ids=[]) == []
    assert len(queries) == 0
    assert by_ids(ids=[tree["team"].pk]) == [tree["team"].pk]  # flat values come back as values, not tuples


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


def test_an_argument_that_does_not_reach_the_sql_is_refused_at_once(tree):
    @prepared
    def shifted(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk=unit_id + 1).values_list("pk")  # a value made from the argument: baked in

    with pytest.raises(PreparedQueryError, match="unit_id"):
        shifted(unit_id=tree["team"].pk)


def test_only_values_list_queries_and_known_kinds_of_argument_are_accepted(tree):
    @prepared
    def instances(*, unit_id: int) -> QuerySet[Unit, Any]:
        return Unit.objects.filter(pk=unit_id)

    with pytest.raises(PreparedQueryError, match="values_list"):
        instances(unit_id=tree["team"].pk)
    with pytest.raises(TypeError):
        _units(municipality_id=1.5, name_start=None, ids=None, leaf_only=False)
