"""The Jinja2 environment of every page (the admin keeps Django templates)."""

import datetime
import functools
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import formats, translation
from jinja2 import Environment
from markupsafe import Markup

from brobygget.core.calendar import date_text


def url(name: str, *args: Any, **kwargs: Any) -> str:
    if args or kwargs:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    return _url_plain(name, get_script_prefix(), get_urlconf())  # the layout's links, on every page


@functools.lru_cache(maxsize=256)
def _url_plain(name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(name)  # the same for the same prefix and URLconf, which are part of the key


@functools.lru_cache(maxsize=256)
def static_url(path: str) -> str:
    """`static()`, looked up once per path and process: the manifest of hashed names is read when the process
    starts and does not change under it (in development the address is STATIC_URL + path, also fixed)."""
    return static(path)


def date(value: Any, format_name: str = "DATE_FORMAT") -> str:
    if not value:
        return ""
    if type(value) is datetime.date:  # a list shows the same few dates again and again
        return date_text(value, format_name)
    return formats.date_format(value, format_name)


def translate(message: str, /, **variables: Any) -> Markup:
    """`_()` in the templates: what Jinja2's new-style gettext does with autoescape on (the message is markup, the
    variables are escaped into it), without its two layers of `Context.call`, which cost six times the translation
    itself (18 µs a message against 2.6; a staff page has about twenty-five)."""
    text = Markup(translation.gettext(message))  # noqa: S704 - our own message; its variables are escaped by %
    return text % variables if "%" in text else text


def environment(**options: Any) -> Environment:
    env = Environment(**options)  # noqa: S701 - autoescape is set in settings.TEMPLATES
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    if not options.get("autoescape"):
        raise ImproperlyConfigured("The Jinja2 pages need autoescape on: `_()` returns markup (core/jinja2.translate).")
    env.globals["_"] = translate
    env.globals.update(
        {
            "url": url,
            "static": static_url,
            "LANGUAGES": settings.LANGUAGES,
            "get_language": translation.get_language,
            "get_messages": get_messages,
        }
    )
    env.filters["date"] = date
    return env
