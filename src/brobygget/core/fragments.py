"""Pieces of a page that many requests show alike, rendered once per process and kept by what they show.

A fragment's key must name everything it depends on (the language, the choices it offers, the values it shows),
so that two requests with the same key get the same fragment whoever makes them. What the key holds is what the
person may see, read for each request as before; a permission is never kept here, only the work of rendering.
The store is small and per process; when it is full it starts again.
"""

from collections.abc import Callable, Hashable
from typing import Any

FRAGMENT_LIMIT = 512
_fragments: dict[Hashable, Any] = {}


def fragment[T](key: Hashable, render: Callable[[], T]) -> T:
    """What `render` makes for `key` (HTML, or HTML with what was read from the same input), made the first time
    the key is asked for. What it makes must not be changed by its users."""
    made: T | None = _fragments.get(key)
    if made is None:
        if len(_fragments) >= FRAGMENT_LIMIT:
            _fragments.clear()
        made = _fragments[key] = render()
    return made


def fragments_clear() -> None:
    """Forget every fragment (tests)."""
    _fragments.clear()
