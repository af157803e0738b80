"""Pages that every anonymous visitor sees alike, but for the hidden fields of their forms.

The resident form is the same page for every visitor in a language, except its CSRF token and the signed moment
it was shown (`started`); rendering its dozen fields and thirty categories costs several times what serving it
does. `render_shared` renders such a page once per language and address, keeps it in the cache with those hidden
values taken out, and writes fresh ones into each answer. A logged-in visitor, or one with a message waiting,
gets the page rendered for them alone.
"""

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from markupsafe import escape

CSRF_FIELD = "csrfmiddlewaretoken"
_HIDDEN = re.compile(r'(<input type="hidden" name="([a-z_]+)" value=")[^"]*(")')


def _hole(name: str) -> str:
    return f"\x00{name}\x00"  # cannot occur in an HTML page


def render_shared(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    key: str,
    timeout: int,
    fresh: Mapping[str, Callable[[], str]],
) -> HttpResponse:
    """The page, from the cache when this language and address have been rendered within `timeout` seconds.

    `key` names the page and whatever it shows (change it when the content changes); `fresh` gives the value of each
    hidden field that differs per visit (the CSRF token is always fresh)."""
    if request.user.is_authenticated or len(get_messages(request)):
        return render(request, template_name, context)
    cache_key = f"shared-page:{key}:{get_language()}:{request.get_full_path()}"
    page: str | None = cache.get(cache_key)
    if page is None:
        holes = {CSRF_FIELD, *fresh}

        def punch(match: re.Match[str]) -> str:
            name = match.group(2)
            return match.group(1) + _hole(name) + match.group(3) if name in holes else match.group(0)

        page = _HIDDEN.sub(punch, render_to_string(template_name, context, request))
        cache.set(cache_key, page, timeout)
    page = page.replace(_hole(CSRF_FIELD), escape(get_token(request)))
    for name, value in fresh.items():
        page = page.replace(_hole(name), escape(value()))
    return HttpResponse(page)
