"""The task worker: django-tasks-db's worker, made to survive database faults and to recover dead workers' tasks.

django-tasks-db's `db_worker` stops with a traceback on the first database error it does not expect (a lock it
meets outside its claim, a dropped PostgreSQL connection, a failure to record a result), and a worker killed in
the middle of a task leaves that task RUNNING for ever. This worker (`manage.py tasks_worker`):

- waits and tries again, with a growing pause, when the database refuses it, instead of stopping;
- puts a task back in the queue when the task itself met a database fault, instead of marking it failed;
- takes a task that has been RUNNING longer than `TASKS_STALE_AFTER_SECONDS` as dead (its worker was killed) and
  queues it again, before it looks for work and then now and again. The tasks are written for this: mail is sent
  at least once, at worst twice, never lost (dialog/tasks.py). A task that has been started `MAX_RUNS` times
  without finishing is marked failed, so that one that kills its worker every time does not loop for ever.

Supervision (a process that restarts the worker when it exits anyway) is still needed: docs/operations.md.
"""

import contextlib
import datetime
import logging
import random
import time

from django.db import Error, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker as DbWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("brobygget.worker")

# Faults that pass: locks, timeouts, a dropped connection. Others (an integrity error…) fail the task as usual.
TRANSIENT = (OperationalError, InterfaceError)
MAX_RUNS = 5
MAX_PAUSE_SECONDS = 60.0
STALE_EXCEPTION = "brobygget.core.worker.StaleTask"


def pause_after(failures: int) -> float:
    """1, 2, 4 … seconds after consecutive database faults, at most a minute."""
    return float(min(2 ** (failures - 1), MAX_PAUSE_SECONDS))


def requeue_stale(*, backend_name: str, stale_after: float, now: datetime.datetime | None = None) -> int:
    """Queue again every task RUNNING longer than `stale_after` seconds; returns how many were queued again.

    Each row is changed only if it is still the run that was found (status and start unchanged), so workers
    doing this at the same time, or a slow worker finishing meanwhile, are not overwritten.
    """
    now = now or timezone.now()
    stale = DBTaskResult.objects.filter(
        backend_name=backend_name,
        status=TaskResultStatus.RUNNING,
        started_at__lt=now - datetime.timedelta(seconds=stale_after),
    ).only("id", "started_at", "worker_ids", "task_path")
    requeued = 0
    for task in stale:
        same_run = DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at)
        if len(task.worker_ids) >= MAX_RUNS:
            same_run.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=STALE_EXCEPTION,
                traceback=f"Started {len(task.worker_ids)} times, never finished: given up.",
            )
            logger.error("Task id=%s (%s) never finished in %s runs: marked failed", task.pk, task.task_path, MAX_RUNS)
        elif same_run.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning(
                "Task id=%s (%s) was running since %s: taken as dead, queued again",
                task.pk,
                task.task_path,
                task.started_at,
            )
    return requeued


class Worker(DbWorker):
    """django-tasks-db's worker loop with the recoveries above; the same options."""

    def __init__(self, *, stale_after: float, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.stale_after = stale_after
        self.stale_check_every = max(1.0, min(stale_after / 4, 60.0))
        self.stale_checked_at = 0.0
        self.failures = 0

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads workers started together
        while self.running:
            close_old_connections()
            try:
                self.requeue_stale_when_due()
                task_result = self.claim()
            except Error as error:
                self.database_fault(error, "taking work")
                continue
            self.failures = 0
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.", self._run_tasks, self.worker_id
                )
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)

    def requeue_stale_when_due(self) -> None:
        if time.monotonic() - self.stale_checked_at >= self.stale_check_every:
            requeue_stale(backend_name=self.backend_name, stale_after=self.stale_after)
            self.stale_checked_at = time.monotonic()

    def claim(self) -> DBTaskResult | None:
        """The next ready task, marked RUNNING by this worker in the same transaction (as db_worker does)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run the task and record how it went; a database fault puts it back in the queue instead."""
        try:
            self.running_task = True
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
                else:
                    value = task.call(*task_result.args, **task_result.kwargs)
                db_task_result.set_successful(value)
                task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
            except TRANSIENT as error:
                # A lock, a timeout, a dropped connection: the task is run again after a pause, not failed.
                self.database_fault(error, f"task id={db_task_result.pk}")
                self.queue_again(db_task_result)
            except Exception as error:  # the task failed: recorded, as db_worker does
                db_task_result.set_failed(error)
                task_finished.send(
                    sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                )
        except Error as error:
            # Recording the outcome failed too: the task stays RUNNING and is queued again once it is stale.
            self.database_fault(error, f"recording task id={db_task_result.pk}")
        finally:
            self.running_task = False
            self._run_tasks += 1

    def queue_again(self, db_task_result: DBTaskResult) -> None:
        DBTaskResult.objects.filter(pk=db_task_result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now() + datetime.timedelta(seconds=pause_after(self.failures)),
        )

    def database_fault(self, error: Error, doing: str) -> None:
        """Log the fault, drop the connection (a new one is opened), and pause longer each time in a row."""
        self.failures += 1
        pause = pause_after(self.failures)
        # The driver's message is about locks and connections (and names tables), never about a person.
        message = str(error).splitlines()[0] if str(error) else ""
        logger.warning("Database fault while %s (%s: %s); again in %.0f s", doing, type(error).__name__, message, pause)
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(Error):
                connection.close()
        if self.running:
            time.sleep(pause)
