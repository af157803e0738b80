"""Pieces of a page that many requests show alike, rendered once per process and kept by what they show.

A fragment's key must name everything its HTML depends on (the language, the choices it offers, the values it
shows), so that two requests with the same key get the same HTML whoever makes them. Keep only what the person
may see in the key's own data, never a permission: the choices are read for each request as before, only their
rendering is saved. The store is small and per process; when it is full it starts again.
"""

from collections.abc import Callable, Hashable

from markupsafe import Markup

FRAGMENT_LIMIT = 512
_fragments: dict[Hashable, Markup] = {}


def fragment(key: Hashable, render: Callable[[], str]) -> Markup:
    """The HTML `render` writes for `key`, rendered the first time the key is asked for."""
    html = _fragments.get(key)
    if html is None:
        if len(_fragments) >= FRAGMENT_LIMIT:
            _fragments.clear()
        html = _fragments[key] = Markup(render())  # noqa: S704 - a template's output, escaped by Jinja2
    return html


def fragments_clear() -> None:
    """Forget every fragment (tests)."""
    _fragments.clear()
