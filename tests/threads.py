"""Run work in parallel threads that start together, for tests of limits and numbering under concurrency."""

import threading
from collections.abc import Callable

from django.db import connections


def in_parallel[T](count: int, work: Callable[[int], T], *, join_seconds: float = 120) -> list[T]:
    """`work(number)` for number 0 … count-1, each in its own thread, released at the same moment by a barrier;
    their results in the order they finished. An exception in any thread fails the calling test."""
    barrier = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work(number))
        except BaseException as error:  # reported below; a thread must not swallow it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=join_seconds)
    assert not errors, errors
    return results
