"""Pages that every anonymous visitor sees alike, but for a few hidden values of their forms.

The resident form is the same page for every visitor in a language, except its CSRF token, the signed moment it was
shown (`started`) and the address the language switch returns to (`next`); rendering its dozen fields and thirty
categories costs more than serving it does (an A/B over HTTP in docs/architecture.md). `render_shared` renders such
a page once per language and version of what it shows, keeps it in Django's cache with those hidden values taken
out (as UTF-8 bytes split where they go, so a visit joins the parts and neither decodes nor searches the page),
and writes fresh ones into each answer. The query string is not part of the key: nothing on the page depends
on it but `next`, which is written per request, so visitors cannot fill the cache with variants. A logged-in
visitor, or one with a message waiting, gets the page rendered for them alone. Every kept page carries the
municipality's face in its header and footer, so the face's version is part of every key: an edit in the admin
shows at once on every kept page.
"""

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from functools import cached_property
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.translation import get_language
from markupsafe import escape

from brobygget.core.face import municipality_face

CSRF_FIELD = "csrfmiddlewaretoken"
NEXT_FIELD = "next"  # the language switch's way back (base.html)
_HIDDEN = re.compile(r'(<input type="hidden" name="([a-z_]+)" value=")[^"]*(")')


class LazyContext(MutableMapping[str, Any]):
    """A page's context built when the template first reads it: for `render_shared`, so that a page kept in the
    cache reads and builds nothing (the template engine adds the request and the CSRF token to it)."""

    def __init__(self, build: Callable[[], dict[str, Any]]) -> None:
        self._build = build

    @cached_property
    def _values(self) -> dict[str, Any]:
        return self._build()

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self._values[key] = value

    def __delitem__(self, key: str) -> None:
        del self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def shared_page_key(key: str) -> str:
    """The cache key of a kept page: the page and the version of what it shows (`key`), the version of the
    municipality's face that its header and footer show (core/face.py), the language and the script prefix its
    links are written under."""
    return f"shared-page-parts:{key}:{municipality_face().version}:{get_language()}:{get_script_prefix()}"


def render_shared(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    key: str,
    timeout: int,
    fresh: Mapping[str, Callable[[], str]],
) -> HttpResponse:
    """The page, from the cache when this language and `key` have been rendered within `timeout` seconds.

    `key` names the page and the version of whatever it shows (change it when the content changes); `fresh` gives
    the value of each hidden field that differs per visit (the CSRF token and `next` are always fresh)."""
    if request.user.is_authenticated or len(get_messages(request)):
        return render(request, template_name, context)
    values = {CSRF_FIELD: lambda: get_token(request), NEXT_FIELD: request.get_full_path, **fresh}
    cache_key = shared_page_key(key)
    parts: list[bytes | str] | None = cache.get(cache_key)
    if parts is None:
        parts = _kept(render_to_string(template_name, context, request), values)
        cache.set(cache_key, parts, timeout)
    # The page is kept as UTF-8 between its holes, so a visit costs one join, not a decoding, a search per hidden
    # value and an encoding of the whole page (which grows with what a public page lists).
    return HttpResponse(
        b"".join(part if isinstance(part, bytes) else str(escape(values[part]())).encode() for part in parts)
    )


def _kept(page: str, values: Mapping[str, Callable[[], str]]) -> list[bytes | str]:
    """The rendered page as kept: its text as UTF-8 bytes, split at the value of each hidden field in `values`,
    whose name (a str) stands in the list where a fresh value goes."""
    parts: list[bytes | str] = []
    start = 0
    for match in _HIDDEN.finditer(page):
        name = match.group(2)
        if name in values:
            parts += [page[start : match.end(1)].encode(), name]
            start = match.start(3)
    parts.append(page[start:].encode())
    return parts
