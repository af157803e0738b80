"""The task worker (`manage.py tasks_worker`, core/worker.py): database faults are waited out, and a task left
RUNNING by a worker that died is queued again."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from brobygget.core.worker import MAX_RUNS, STALE_EXCEPTION, Worker, requeue_stale
from tests.core import worker_tasks
from tests.core.worker_tasks import echo
from tests.faults import database_locked, short_lock_wait

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS


def _worker(**options: object) -> Worker:
    defaults: dict[str, object] = {
        "stale_after": 600,
        "queue_names": ["default"],
        "interval": 0.1,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
        "excluded_queue_names": [],
    }
    return Worker(**{**defaults, **options})  # type: ignore[arg-type]


def _running(started_ago: float, runs: int = 1) -> DBTaskResult:
    result = echo.enqueue("hej")
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - datetime.timedelta(seconds=started_ago),
        worker_ids=[f"dead-{n}" for n in range(runs)],
    )
    return DBTaskResult.objects.get(pk=result.id)


@pytest.mark.django_db
def test_a_task_running_longer_than_the_stale_time_is_queued_again_and_a_recent_one_is_not(db_tasks):
    stale = _running(started_ago=601)
    recent = _running(started_ago=30)

    assert requeue_stale(backend_name="default", stale_after=600) == 1

    stale.refresh_from_db()
    recent.refresh_from_db()
    assert stale.status == TaskResultStatus.READY
    assert recent.status == TaskResultStatus.RUNNING


@pytest.mark.django_db
def test_a_task_that_never_finishes_is_given_up_after_so_many_runs(db_tasks):
    doomed = _running(started_ago=601, runs=MAX_RUNS)

    assert requeue_stale(backend_name="default", stale_after=600) == 0

    doomed.refresh_from_db()
    assert doomed.status == TaskResultStatus.FAILED
    assert doomed.exception_class_path == STALE_EXCEPTION


@pytest.mark.django_db(transaction=True)  # the worker closes old connections, as it does between requests
def test_the_worker_queues_a_dead_workers_task_again_and_runs_it(db_tasks):
    stale = _running(started_ago=601)

    _worker().run()

    stale.refresh_from_db()
    assert stale.status == TaskResultStatus.SUCCESSFUL
    assert stale.return_value == "hej"
    assert stale.worker_ids == ["dead-0", "test-worker"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database_instead_of_stopping(db_tasks):
    queued = echo.enqueue("efter låset")

    with short_lock_wait(200), database_locked(release_after=1.5):
        started = time.monotonic()
        _worker().run()  # batch: returns when the queue is empty
        took = time.monotonic() - started

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "efter låset"
    assert 1.5 < took < 10


@pytest.mark.django_db(transaction=True)
def test_a_task_that_meets_a_database_fault_is_queued_again_not_failed(db_tasks, monkeypatch):
    monkeypatch.setattr("brobygget.core.worker.time.sleep", lambda seconds: None)
    monkeypatch.setattr(worker_tasks, "FAULTS", ["database is locked"])
    queued = worker_tasks.locked_once.enqueue("hej")

    _worker(max_tasks=1).run()

    result = DBTaskResult.objects.get(pk=queued.id)
    assert result.status == TaskResultStatus.READY  # back in the queue, after a pause
    assert result.run_after > timezone.now()

    DBTaskResult.objects.filter(pk=queued.id).update(run_after=timezone.now())
    _worker().run()

    result.refresh_from_db()
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, "hej")


@pytest.mark.django_db(transaction=True)
def test_the_command_runs_the_queue(db_tasks):
    queued = echo.enqueue("från kommandot")

    call_command("tasks_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=io.StringIO())

    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL
