"""`/healthz`: what production needs to work, checked for real, for load balancers and monitoring.

- The database accepts a write: one row of `core_healthcheck` is updated and committed. `SELECT 1` is not enough:
  on SQLite it never touches the file, so a locked or read-only database passed. The UPDATE runs on its own, in
  autocommit: one statement is its own transaction, committed before it returns, so a BEGIN and a COMMIT around it
  added two queries and checked nothing more.
- A worker takes the queued work: the oldest task ready to run in django-tasks-db's queue has not waited longer
  than `HEALTH_MAX_TASK_WAIT_SECONDS` (a queue nobody takes from means the worker is gone, and mail waits).

The answer is plain text: `ok`, or 503 with a short reason that names no person.
"""

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import Error, connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.tasks import task_backends
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from brobygget.core.models import HealthCheck
from brobygget.core.prepared import prepared

logger = logging.getLogger(__name__)

# A write that waits longer than this for a lock counts as refused: a load balancer waits a few seconds at most.
WRITE_TIMEOUT_MS = 2000

REASON_OK = "ok"
REASON_DATABASE_REFUSES_WRITES = "database refuses writes"
REASON_TASKS_WAITING = "a queued task has waited %d s: is the worker running?"
REASON_TASK_STUCK = "a task has been running for %d s and was not queued again: is the worker running?"


def database_write_check() -> str | None:
    """None when the database accepts a write within WRITE_TIMEOUT_MS, else the reason."""
    try:
        with _short_lock_wait():
            now = timezone.now()
            # Each statement commits on its own (the row is made once, on the first check of a new database).
            if not HealthCheck.objects.filter(pk=1).update(checked_at=now):
                HealthCheck.objects.bulk_create([HealthCheck(pk=1, checked_at=now)], ignore_conflicts=True)
    except Error as error:
        logger.warning("Health check: the database refused a write (%s)", type(error).__name__)
        return REASON_DATABASE_REFUSES_WRITES
    return None


@contextmanager
def _short_lock_wait() -> Iterator[None]:
    """Wait at most WRITE_TIMEOUT_MS for a lock, on this connection, for the duration of the block."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {WRITE_TIMEOUT_MS}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"SET lock_timeout = {WRITE_TIMEOUT_MS}")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute(f"PRAGMA busy_timeout = {settings.DATABASE_LOCK_WAIT_SECONDS * 1000}")
                elif connection.vendor == "postgresql":
                    cursor.execute(f"SET lock_timeout = {settings.DATABASE_LOCK_WAIT_SECONDS * 1000}")
        except Error:
            connection.close()  # the next request opens a fresh connection with the usual settings


@prepared
def _late_tasks(
    *, backends: list[str], never: datetime.datetime, waiting_since: datetime.datetime, running_since: datetime.datetime
) -> QuerySet[Any, Any]:
    """A task of the queue that is late, if any: ready and waiting since before `waiting_since` (from when it was
    queued, or for a delayed one from when it was due), or running since before `running_since`."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    ready, running = TaskResultStatus.READY, TaskResultStatus.RUNNING
    late = (
        Q(status=ready, run_after=never, enqueued_at__lt=waiting_since)
        | Q(status=ready, run_after__lt=waiting_since)
        | Q(status=running, started_at__lt=running_since)
    )
    return (
        DBTaskResult.objects.filter(late, backend_name__in=backends, status__in=[ready, running])
        .order_by()
        .values_list("status", "enqueued_at", "run_after", "started_at")[:1]
    )


def task_wait_check(now: datetime.datetime) -> str | None:
    """None when the queue moves, else the reason: a ready task has waited longer than
    HEALTH_MAX_TASK_WAIT_SECONDS, or a task has been running so long that even the stale-task recovery
    (TASKS_STALE_AFTER_SECONDS, core/worker.py) should have queued it again: no worker is alive. One prepared query
    (core/prepared.py): building its aggregate anew cost the check 0.9 ms of Python, the database some 0.05."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import get_date_max

    names = [name for name, backend in _backends() if isinstance(backend, DatabaseBackend)]
    if not names:
        return None  # no task queue in the database (e.g. tasks run at once): nothing waits
    limit = datetime.timedelta(seconds=settings.HEALTH_MAX_TASK_WAIT_SECONDS)
    rows = _late_tasks(
        backends=names,
        never=get_date_max(),  # what django-tasks-db stores for "no run_after"
        waiting_since=now - limit,
        running_since=now - limit - datetime.timedelta(seconds=settings.TASKS_STALE_AFTER_SECONDS),
    )
    if not rows:
        return None
    status, enqueued_at, run_after, started_at = rows[0]
    if status == TaskResultStatus.RUNNING:
        return REASON_TASK_STUCK % (now - started_at).total_seconds()
    waiting_since = run_after if run_after <= now else enqueued_at  # a delayed task waits from when it was due
    return REASON_TASKS_WAITING % (now - waiting_since).total_seconds()


def _backends() -> list[tuple[str, object]]:
    return [(name, task_backends[name]) for name in settings.TASKS]


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` when the database takes a write and the worker takes the queue; 503 with the reason otherwise."""
    reason = database_write_check()
    if reason is None:
        try:
            reason = task_wait_check(timezone.now())
        except Error:
            reason = REASON_DATABASE_REFUSES_WRITES
    if reason is not None:
        return HttpResponse(reason, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(REASON_OK, content_type="text/plain; charset=utf-8")
