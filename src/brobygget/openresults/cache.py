"""The public results pages' cache: one generation for everything public, moved on when something is published or
withdrawn, so that every kept page, feed and download is stale at once, in every app server sharing the cache.

The API (for "Du sa – vi gjorde" and for the numbers pages alike):

- `public_key(name, *parts)`: a cache key for a public page or answer. It names the page, each part it depends on
  (filters, page number, format) and the current generation. Keep the page under it with Django's cache (or
  `core.shared_pages.render_shared(key=...)`, which adds the language and the municipality's face).
- `public_cached(name, *parts, build=...)`: the value kept under `public_key(name, *parts)`, built by `build()` and
  kept for `PUBLIC_RESULTS_CACHE_SECONDS` when it is not there.
- `public_changed()`: call it when what is public changes (a service does so with `transaction.on_commit`, so a
  rolled-back change moves nothing). The generation moves on; old entries are never read again and expire.

The generation lives in the shared cache (Django's cache: Redis when `CACHE_URL`/`REDIS_URL` is set, so several app
servers agree; one process's memory otherwise, where another process sees a change within
`PUBLIC_RESULTS_CACHE_SECONDS`). When it is missing (a restarted Redis, an evicted key) it starts again from the
clock in nanoseconds, never from a number an old entry may still carry.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "openresults:generation"


def public_generation() -> int:
    """The current generation of what is public (one cache read)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return int(generation) if generation is not None else time.time_ns()


def public_changed() -> None:
    """Move the generation on: every public page is built anew at its next visit, in every app server."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # missing: a new start, from the clock
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def public_key(name: str, *parts: object) -> str:
    """The cache key of a public page or answer: its name, what it depends on, and the generation."""
    return ":".join(["openresults", name, str(public_generation()), *(str(part) for part in parts)])


def public_cached[T](name: str, *parts: object, build: Callable[[], T]) -> T:
    """The value kept for this page and these parts in this generation, built and kept when it is missing."""
    key = public_key(name, *parts)
    value: T | None = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, settings.PUBLIC_RESULTS_CACHE_SECONDS)
    return value
