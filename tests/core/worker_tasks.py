"""Tasks the worker tests queue (a task must be importable by its path)."""

from django.db import OperationalError
from django.tasks import task

# Each item makes the next run of `locked_once` meet a locked database.
FAULTS: list[str] = []


@task()
def echo(value: str) -> str:
    return value


@task()
def locked_once(value: str) -> str:
    if FAULTS:
        raise OperationalError(FAULTS.pop())
    return value
