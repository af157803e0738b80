"""`/healthz` checks what production needs: a database that takes a write, and a worker that takes the queue."""

import datetime
import time
from unittest import mock

import pytest
from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from brobygget.core.health import REASON_DATABASE_REFUSES_WRITES, REASON_OK, WRITE_TIMEOUT_MS
from brobygget.core.models import HealthCheck
from tests.faults import database_locked, database_read_only

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_healthz_answers_ok_and_writes_its_row(client, settings, assert_max_queries):
    settings.TASKS = DB_TASKS
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content.decode() == REASON_OK
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    first = HealthCheck.objects.get().checked_at
    # Then: the lock wait set and reset, the row written (one statement, committed on its own), one look at the queue.
    with assert_max_queries(4):
        assert client.get("/healthz").status_code == 200
    assert HealthCheck.objects.get().checked_at > first  # the same row, written again


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not_answer(client):
    # A database that is down cannot be made inside the test's own database: this edge is patched.
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content.decode() == REASON_DATABASE_REFUSES_WRITES


@pytest.mark.django_db(transaction=True)
def test_healthz_commits_its_write_before_it_answers(client):
    def seen_by_another_connection() -> object:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT checked_at FROM core_healthcheck WHERE id = 1")
                return cursor.fetchone()[0]
        finally:
            other.close()

    assert client.get("/healthz").status_code == 200
    before = seen_by_another_connection()
    assert client.get("/healthz").status_code == 200
    assert seen_by_another_connection() > before  # type: ignore[operator]


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_another_connection_holds_the_write_lock(client):
    with database_locked():
        started = time.monotonic()
        response = client.get("/healthz")
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response.content.decode() == REASON_DATABASE_REFUSES_WRITES
    # It waits a little for the lock, not the whole busy timeout of a page's write.
    assert WRITE_TIMEOUT_MS / 1000 - 0.2 < waited < WRITE_TIMEOUT_MS / 1000 + 2
    # And once the lock is gone, it is healthy again, on the same connection.
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_is_read_only(client):
    assert client.get("/healthz").status_code == 200

    with database_read_only():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content.decode() == REASON_DATABASE_REFUSES_WRITES
    assert client.get("/healthz").status_code == 200


def _queued(run_after: datetime.datetime | None = None, **fields: object) -> DBTaskResult:
    return DBTaskResult.objects.create(
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="brobygget.dialog.tasks.send_receipt",
        backend_name="default",
        run_after=run_after or get_date_max(),
        **fields,
    )


@pytest.mark.django_db
def test_healthz_answers_503_when_a_task_has_waited_too_long_for_a_worker(client, settings):
    settings.TASKS = DB_TASKS
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 300
    task = _queued()
    assert client.get("/healthz").status_code == 200  # just queued

    DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=timezone.now() - datetime.timedelta(seconds=301))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "a queued task has waited 30" in response.content.decode()


@pytest.mark.django_db
def test_healthz_counts_a_delayed_task_from_when_it_was_due_not_from_when_it_was_queued(client, settings):
    settings.TASKS = DB_TASKS
    now = timezone.now()
    # A retry queued an hour ago to run in an hour is not waiting yet.
    later = _queued(run_after=now + datetime.timedelta(hours=1))
    DBTaskResult.objects.filter(pk=later.pk).update(enqueued_at=now - datetime.timedelta(hours=1))
    assert client.get("/healthz").status_code == 200

    # One that was due ten minutes ago and nobody took is.
    _queued(run_after=now - datetime.timedelta(minutes=10))
    assert client.get("/healthz").status_code == 503


@pytest.mark.django_db
def test_healthz_ignores_tasks_that_ran_or_run(client, settings):
    settings.TASKS = DB_TASKS
    old = timezone.now() - datetime.timedelta(hours=1)
    for status in ("SUCCESSFUL", "FAILED", "RUNNING"):
        task = _queued(status=status)
        DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=old)

    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_healthz_answers_503_when_a_task_is_left_running_past_its_recovery(client, settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_STALE_AFTER_SECONDS = 600
    settings.HEALTH_MAX_TASK_WAIT_SECONDS = 300
    now = timezone.now()
    task = _queued(status="RUNNING")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=now - datetime.timedelta(seconds=800))
    assert client.get("/healthz").status_code == 200  # a worker may still recover it

    DBTaskResult.objects.filter(pk=task.pk).update(started_at=now - datetime.timedelta(seconds=1000))
    response = client.get("/healthz")

    assert response.status_code == 503
    assert "a task has been running for 1000 s" in response.content.decode()
