"""The public "Du sa – vi gjorde" pages: the list with its filters, one publication, the Atom feed and the downloads.

No login. Everything shown is a live publication (staff confirmed it, nobody withdrew it). Pages, feed and
downloads are kept in Django's cache under the public generation (openresults/cache.py), so a publication or a
withdrawal shows at once; a kept page asks the database nothing."""

import csv
import datetime
import io
import json
from collections.abc import Callable, MutableMapping
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import feedgenerator, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from brobygget.core.models import Municipality
from brobygget.core.shared_pages import LazyContext, render_shared
from brobygget.dialog.public import public_setup
from brobygget.openresults import selectors
from brobygget.openresults.cache import public_cached, public_key
from brobygget.openresults.forms import PublicFilterForm
from brobygget.openresults.selectors import FilterOptions, PublicFilter, PublicRow

DOWNLOAD_FORMATS = ("csv", "json")
PAGE_PARAM = "sida"
MAX_PAGE = 10_000


class _Lazy:
    """A value built when a template first reads it, so that a page kept in the cache asks the database nothing."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._build = build

    @cached_property
    def value(self) -> Any:
        return self._build()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.value, name)


def _municipality() -> Municipality:
    return public_setup().municipality


def _options(municipality: Municipality) -> FilterOptions:
    return public_cached("options", build=lambda: selectors.public_filter_options(municipality=municipality))


def page_number(request: HttpRequest) -> int:
    value = request.GET.get(PAGE_PARAM, "")
    return min(int(value), MAX_PAGE) if value.isdigit() and int(value) > 0 else 1


def _cached_render(request: HttpRequest, template: str, context: MutableMapping[str, Any], key: str) -> HttpResponse:
    return render_shared(request, template, context, key=key, timeout=settings.PUBLIC_RESULTS_CACHE_SECONDS, fresh={})


@require_http_methods(["GET", "HEAD"])
def you_said_we_did(request: HttpRequest) -> HttpResponse:
    """What residents told us and what we changed, the latest done first, filtered by unit, category, principle
    and year (a GET form), in pages."""
    number = page_number(request)

    def context() -> dict[str, Any]:
        municipality = _municipality()  # read on a miss only: a kept page needs nothing of the setup
        options = _options(municipality)
        form = PublicFilterForm(request.GET or None, options)
        chosen = form.chosen()
        return {
            "form": form,
            "data": _Lazy(
                lambda: selectors.public_page(municipality=municipality, chosen=chosen, number=number, options=options)
            ),
            "params": form.params(),
            "filtered": chosen != PublicFilter(),
            "municipality": municipality,
        }

    if not any(request.GET.get(name) for name in PublicFilterForm.base_fields):
        # Unfiltered, as most visitors see it: the key needs no form, so a kept page builds none (nor reads the
        # filters' choices from the cache).
        key = public_key("you-said-we-did", PublicFilter().key(), number)
        return _cached_render(request, "openresults/you_said_we_did.html", LazyContext(context), key)
    built = context()
    if built["form"].errors:
        return render(request, "openresults/you_said_we_did.html", built)
    key = public_key("you-said-we-did", built["form"].chosen().key(), number)
    return _cached_render(request, "openresults/you_said_we_did.html", built, key)


@require_http_methods(["GET", "HEAD"])
def publication(request: HttpRequest, publication_id: int) -> HttpResponse:
    """One publication, for a link from the feed or from the resident's own case."""
    municipality = _municipality()
    row = public_cached(
        "publication",
        publication_id,
        build=lambda: selectors.public_publication(municipality=municipality, publication_id=publication_id) or "",
    )
    if not row:
        raise Http404
    key = public_key("publication-page", publication_id)
    return _cached_render(request, "openresults/publication.html", {"row": row}, key)


class PublicationFeed(Feed):  # type: ignore[type-arg]
    """The latest publications of "Du sa – vi gjorde" as an Atom feed."""

    feed_type = feedgenerator.Atom1Feed

    def __init__(self, municipality: Municipality) -> None:
        super().__init__()
        self.municipality = municipality

    def title(self) -> str:
        return _("You said – we did: %(municipality)s") % {"municipality": self.municipality.name}

    def subtitle(self) -> str:
        return _("What residents told us, and what we changed because of it.")

    def link(self) -> str:
        return reverse("openresults:you_said_we_did")

    def items(self) -> list[PublicRow]:
        return selectors.public_latest(municipality=self.municipality)

    def item_title(self, item: PublicRow) -> str:
        return item.title

    def item_description(self, item: PublicRow) -> str:
        return f"{_('You told us')}: {item.you_said}\n\n{_('What we did')}: {item.we_did}"

    def item_link(self, item: PublicRow) -> str:
        return reverse("openresults:publication", args=[item.id])

    def item_pubdate(self, item: PublicRow) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(item.published_on, datetime.time(12)))

    def item_categories(self, item: PublicRow) -> list[str]:
        return [item.unit, *item.categories, *item.principles]


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed (Django's syndication framework), kept in the cache like the pages."""
    municipality = _municipality()
    host = request.get_host()
    body, content_type = public_cached(
        "feed",
        get_language(),
        host,
        build=lambda: (lambda response: (response.content, response["Content-Type"]))(
            PublicationFeed(municipality)(request)
        ),
    )
    return HttpResponse(body, content_type=content_type)


# The downloads' columns: the key (the CSV heading and the JSON name) and the label the page gives it.
COLUMNS = [
    ("id", _lazy("Id")),
    ("title", _lazy("Title")),
    ("you_said", _lazy("You told us")),
    ("we_did", _lazy("What we did")),
    ("done_on", _lazy("Done")),
    ("unit", _lazy("Unit")),
    ("categories", _lazy("Categories")),
    ("principles", _lazy("Principles")),
    ("published_on", _lazy("Published")),
]
# The texts are the municipality's own, published for anyone to reuse.
LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"


def _csv(rows: list[PublicRow]) -> str:
    """As the numbers pages' downloads: UTF-8 with a byte-order mark, a header row of the keys, lists joined by
    "; ", dates as YYYY-MM-DD."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([key for key, _label in COLUMNS])
    for row in rows:
        values = row.as_dict()
        writer.writerow(["; ".join(v) if isinstance(v := values[key], list) else v for key, _label in COLUMNS])
    return out.getvalue()


def _json(rows: list[PublicRow], chosen: PublicFilter) -> str:
    document = {
        "title": _("You said – we did"),
        "licence": LICENCE,
        "filters": {
            name: value
            for name, value in (
                ("unit", chosen.unit),
                ("category", chosen.category),
                ("principle", chosen.principle),
                ("year", chosen.year),
            )
            if value is not None
        },
        "columns": [{"key": key, "label": str(label)} for key, label in COLUMNS],
        "rows": [row.as_dict() for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)


@require_http_methods(["GET", "HEAD"])
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The page's rows with the same filters, every page one after the other, as CSV or JSON."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    municipality = _municipality()
    form = PublicFilterForm(request.GET or None, _options(municipality))
    chosen = form.chosen()

    def build() -> str:
        rows = selectors.public_rows(municipality=municipality, chosen=chosen)
        return _csv(rows) if fmt == "csv" else _json(rows, chosen)

    body = public_cached("download", fmt, get_language(), chosen.key(), build=build)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="du-sa-vi-gjorde.{fmt}"'
    return response
