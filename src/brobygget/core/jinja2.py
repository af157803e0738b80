"""The Jinja2 environment of every page (the admin keeps Django templates).

`_()` is Jinja2's i18n extension with new-style gettext: with autoescape on, the message is markup and the
variables given to it are escaped into it. Dates are written by the `date` filter in the active language."""

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from jinja2 import Environment


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value: Any, format_name: str = "DATE_FORMAT") -> str:
    """A date as the active language writes it (a format name of Django's, e.g. SHORT_DATE_FORMAT); "" for none."""
    return formats.date_format(value, format_name) if value else ""


def environment(**options: Any) -> Environment:
    if not options.get("autoescape"):
        raise ImproperlyConfigured("The Jinja2 pages need autoescape on: new-style `_()` escapes what it is given.")
    env = Environment(**options)  # noqa: S701 - autoescape is checked above
    env.install_gettext_translations(translation, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        {
            "url": url,
            "static": static,
            "LANGUAGES": settings.LANGUAGES,
            "get_language": translation.get_language,
            "get_messages": get_messages,
        }
    )
    env.filters["date"] = date
    return env
