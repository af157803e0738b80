"""`manage.py tasks_worker`: runs queued tasks like django-tasks-db's `db_worker`, and survives database faults."""

import logging
import os
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from brobygget.core.worker import Worker

logger = logging.getLogger("brobygget.worker")


class Command(db_worker.Command):
    help = (
        "Run queued background tasks (django-tasks-db's db_worker, with the same options): database faults are "
        "waited out, and tasks left RUNNING by a worker that died are queued again (docs/operations.md)."
    )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        ours = logging.getLogger("brobygget.worker")
        ours.setLevel(logging.getLogger("django_tasks_db").level)
        if not ours.hasHandlers():
            ours.addHandler(logging.StreamHandler(self.stdout))

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        reload = options["reload"]
        if reload and options["batch"]:
            logger.warning("Warning: --reload and --batch cannot be specified together. Disabling autoreload.")
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            stale_after=settings.TASKS_STALE_AFTER_SECONDS,
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
