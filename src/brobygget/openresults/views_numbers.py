"""The public numbers pages and their downloads (no login): thin, over `openresults.numbers`."""

from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.shared_pages import LazyContext, render_shared
from brobygget.openresults import downloads
from brobygget.openresults.cache import public_key
from brobygget.openresults.numbers import (
    CELL_SMALLEST,
    Filters,
    NumbersFilterForm,
    NumbersPage,
    cell_text,
    figures_page,
    filters_default,
    filters_read,
    promises_page,
)

PAGES = {"loften": promises_page, "siffror": figures_page}


def _page(request: HttpRequest, name: str) -> tuple[NumbersPage, Filters, object]:
    form, filters = filters_read(request.GET)
    return PAGES[name](filters), filters, form


def _months_chart(page: NumbersPage) -> BarChart:
    table = page.tables["per-manad"]
    labels = [formats.date_format(row[0], "M") for row in table.rows]
    return bar_chart(
        labels=labels,
        series=[
            ChartSeries(str(_("Cases received")), [row[1] for row in table.rows]),
            ChartSeries(str(_("Answered within the promise")), [row[3] for row in table.rows]),
        ],
        styles=["bar-received", "bar-in-time"],
        decimals=0,
    )


def _median_chart(page: NumbersPage) -> BarChart:
    table = page.tables["per-manad"]
    return bar_chart(
        labels=[formats.date_format(row[0], "M") for row in table.rows],
        series=[ChartSeries(str(_("Median working days to answer")), [row[5] for row in table.rows])],
        styles=["bar-in-time"],
        decimals=1,
    )


def _kinds_chart(page: NumbersPage) -> BarChart:
    table = page.tables["per-typ"]
    return bar_chart(
        labels=[row[0] for row in table.rows],
        series=[ChartSeries(str(_("Cases received")), [row[1] for row in table.rows])],
        styles=["bar-in-time"],
        decimals=0,
    )


def _received_chart(page: NumbersPage) -> BarChart:
    table = page.tables["typ-per-manad"]
    return bar_chart(
        labels=[formats.date_format(row[0], "M") for row in table.rows],
        series=[ChartSeries(str(_("Cases received")), [row[-1] for row in table.rows])],
        styles=["bar-in-time"],
        decimals=0,
    )


def _render(
    request: HttpRequest, name: str, template: str, extra: Callable[[NumbersPage], dict[str, Any]]
) -> HttpResponse:
    """The page, kept whole in the public cache per filter (`core.shared_pages.render_shared`, under the public
    generation): a kept page asks nothing and draws no chart. A filter with an error is shown for its visitor alone."""
    # Unfiltered, as most visitors see it, the key needs no form: a kept page builds none (nor reads its choices).
    plain = not any(request.GET.get(name) for name in NumbersFilterForm.base_fields)
    form, filters = (None, filters_default()) if plain else filters_read(request.GET)

    def build() -> dict[str, Any]:
        page = PAGES[name](filters)
        return {
            "page": page,
            "filters": filters,
            "form": form if form is not None else filters_read(request.GET)[0],
            "cell_text": cell_text,
            "download_query": filters.query(),
            "cache_minutes": max(1, settings.PUBLIC_RESULTS_CACHE_SECONDS // 60),
            **extra(page),
        }

    if getattr(form, "errors", None):
        return render(request, template, build())
    key = public_key("numbers-page", name, *(f"{k}={v}" for k, v in sorted(filters.query().items())))
    return render_shared(
        request, template, LazyContext(build), key=key, timeout=settings.PUBLIC_RESULTS_CACHE_SECONDS, fresh={}
    )


@require_GET
def promises(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "loften",
        "openresults/numbers_promises.html",
        lambda page: {"months_chart": _months_chart(page), "median_chart": _median_chart(page)},
    )


@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "siffror",
        "openresults/numbers_figures.html",
        lambda page: {
            "received_chart": _received_chart(page),
            "kinds_chart": _kinds_chart(page),
            "cell_smallest": CELL_SMALLEST,
        },
    )


@require_GET
def download(request: HttpRequest, page: str, table: str, fmt: Literal["csv", "json"]) -> HttpResponse:
    """A table of a numbers page, with the page's filters, as CSV or JSON."""
    if page not in PAGES:
        raise Http404
    found, filters, _form = _page(request, page)
    if table not in found.tables:
        raise Http404
    name = f"{page}-{table}-{filters.months[0]:%Y-%m}-{filters.months[-1]:%Y-%m}"
    if fmt == "csv":
        return downloads.table_csv(found.tables[table], name)
    return downloads.table_json(found.tables[table], filters, name)
