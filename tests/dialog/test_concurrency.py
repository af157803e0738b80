"""Case numbers under concurrency: two app servers taking submissions at the same moment."""

import pytest
from django.db import connection

from brobygget.dialog.models import Case
from tests.factories import CategoryFactory, submit_case
from tests.threads import in_parallel

SUBMITTERS = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_consecutive_numbers():
    category = CategoryFactory()
    in_parallel(SUBMITTERS, lambda _n: submit_case(category, text="Samtidigt inskickat."), join_seconds=60)
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, SUBMITTERS + 1))
    numbers = set(Case.objects.values_list("number", flat=True))
    assert len(numbers) == SUBMITTERS
    assert connection.vendor in ("postgresql", "sqlite")
