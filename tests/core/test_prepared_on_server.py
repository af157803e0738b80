"""PostgreSQL plans a query the connection runs again and again once (settings: DATABASE_PREPARE_THRESHOLD)."""

import pytest
from django.db import connection

from brobygget.organisation.models import Unit
from tests.factories import UnitFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements on the server are PostgreSQL's"),
]


def _prepared_on_server() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_a_query_run_a_sixth_time_is_prepared_and_keeps_its_answers(municipality):
    unit = UnitFactory(municipality=municipality, name="Förskolan Ekorren")
    for run in range(1, 7):
        assert list(Unit.objects.filter(name="Förskolan Ekorren").values_list("pk", flat=True)) == [unit.pk]
        prepared = [sql for sql in _prepared_on_server() if '"organisation_unit"."name" = $1' in sql]
        assert bool(prepared) == (run >= 6), run
    # Another value in the same query: the prepared statement answers for it too.
    assert list(Unit.objects.filter(name="Förskolan Björnen").values_list("pk", flat=True)) == []
