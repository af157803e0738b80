"""Case numbers under concurrency: two app servers taking submissions at the same moment."""

import threading

import pytest
from django.db import connection, connections

from brobygget.dialog.models import Case
from tests.factories import CategoryFactory, submit_case

SUBMITTERS = 8


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_consecutive_numbers():
    category = CategoryFactory()
    barrier = threading.Barrier(SUBMITTERS)
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait(timeout=10)
            submit_case(category, text="Samtidigt inskickat.")
        except BaseException as error:  # reported below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    sequences = sorted(Case.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, SUBMITTERS + 1))
    numbers = set(Case.objects.values_list("number", flat=True))
    assert len(numbers) == SUBMITTERS
    assert connection.vendor in ("postgresql", "sqlite")
