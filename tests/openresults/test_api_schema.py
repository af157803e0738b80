"""The open-data API fuzzed against its own OpenAPI schema (schemathesis): for every operation, generated requests get
no 5xx and every answer (its status, content type, headers and body) matches the schema. Bounded (a dozen examples an
operation), so CI stays quick."""

import pytest
import schemathesis
import time_machine
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from brobygget.wsgi import application
from tests.openresults import numbers_data
from tests.openresults.numbers_data import TODAY

numbers = numbers_data.numbers  # the fixture

# Read from the app itself: the schema view asks nothing of the database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def connection_kept():
    """Called as a WSGI app, Django closes the database connection when a request ends, as it would in production;
    the test's transaction must outlive the request, as Django's test client arranges."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_its_schema_says(case, numbers, settings, connection_kept):
    settings.API_REQUESTS_PER_MINUTE = 100_000  # the limit has its own test; here every request reaches its view
    with time_machine.travel(TODAY, tick=False):
        # Accepting every schema-valid request is not asked: a filter may name a unit that does not exist, or put
        # the first month after the last, which no schema can say, and the API refuses those with 422 and why.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
