"""The Jinja2 environment of every page (the admin keeps Django templates).

`_()` is Jinja2's i18n extension with new-style gettext: with autoescape on, the message is markup and the
variables given to it are escaped into it. Dates are written by the `date` filter in the active language, an
administrator's plain text by `paragraphs`; `municipality_face()` is the municipality's face (core/face.py)."""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, translation
from jinja2 import Environment
from markupsafe import Markup, escape

from brobygget.core.face import municipality_face
from brobygget.core.sections import FOOTER_LINKS


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value: Any, format_name: str = "DATE_FORMAT") -> str:
    """A date as the active language writes it (a format name of Django's, e.g. SHORT_DATE_FORMAT); "" for none."""
    return formats.date_format(value, format_name) if value else ""


def coordinate(value: Any) -> str:
    """A coordinate in decimal degrees as the active language writes numbers ("59,3793" in Swedish), with the
    trailing zeros of its six stored places left out but at least four places kept; "" for none."""
    if value is None:
        return ""
    text = f"{float(value):.6f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}{formats.get_format('DECIMAL_SEPARATOR')}{decimals.ljust(4, '0')}"


@dataclass(frozen=True)
class MapSettings:
    """Where a page's map takes its tiles from, and where it starts (MAP_* settings, README)."""

    tile_url: str
    attribution: str
    center: tuple[float, float]
    zoom: int


def map_settings() -> MapSettings:
    return MapSettings(
        tile_url=settings.MAP_TILE_URL,
        attribution=settings.MAP_TILE_ATTRIBUTION,
        center=(settings.MAP_CENTER[0], settings.MAP_CENTER[1]),
        zoom=settings.MAP_ZOOM,
    )


def paragraphs(value: str | None) -> Markup:
    """Plain text as paragraphs: a blank line starts a new one, a single line break stays one; all of it escaped
    (the texts an administrator writes for the public pages are never read as HTML)."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", (value or "").replace("\r\n", "\n"))]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in block.split("\n")))
        for block in blocks
        if block
    )


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
            "municipality_face": municipality_face,
            "map_settings": map_settings,
            "footer_links": FOOTER_LINKS,
            "decimal_separator": lambda: formats.get_format("DECIMAL_SEPARATOR"),
        }
    )
    env.filters["date"] = date
    env.filters["paragraphs"] = paragraphs
    env.filters["coordinate"] = coordinate
    return env
