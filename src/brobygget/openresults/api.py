"""The open-data API at /api/v1/ (django-ninja): read-only, the same tables as the public numbers pages.

Every list is paginated (`limit`, `offset`; the answer gives `count` and `items`), every row has a stable `id` (a
month as its first day, a unit's or category's id, a kind's code, a map square's south-west corner), dates are ISO
8601. Filters are those of the pages (`unit`, `category`, `from`, `to` as YYYY-MM); a filter that cannot be used is
refused with 422 and the reason, where the page would fall back to its default. Each address may ask
`API_REQUESTS_PER_MINUTE` times a minute, counted in the database (`core.throttle`, shared by every app server);
beyond that the answer is 429 with `Retry-After`. CORS allows reading from any origin (settings, `/api/` only). The
schema is at /api/v1/openapi.json, its docs at /api/v1/docs with Swagger UI served from our own static files.
"""

import datetime
import math
import time
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Router, Schema, Status, Swagger
from ninja.errors import Throttled, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.throttling import BaseThrottle

from brobygget.core.throttle import throttle_take
from brobygget.dialog.public import public_setup
from brobygget.openresults.cache import public_cached
from brobygget.openresults.downloads import LICENCE
from brobygget.openresults.goals import public_goal_get, public_goal_tree
from brobygget.openresults.numbers import NumbersPage, figures_page, filters_read, promises_page
from brobygget.openresults.selectors import PublicFilter, public_publication, public_rows

THROTTLE_SCOPE = "api-read"
THROTTLE_WINDOW_MINUTES = 1
ERROR_RATE_LIMITED = gettext_lazy("Too many requests from your address. Wait a minute and try again.")
ERROR_FILTERS = gettext_lazy("The filters could not be used.")
ERROR_NOT_FOUND = gettext_lazy("There is no such publication.")


class AddressThrottle(BaseThrottle):
    """At most `API_REQUESTS_PER_MINUTE` requests a minute per address, counted in the shared database table."""

    def allow_request(self, request: HttpRequest) -> bool:
        address = request.META.get("REMOTE_ADDR", "")
        limit = settings.API_REQUESTS_PER_MINUTE
        found = throttle_take(scope=THROTTLE_SCOPE, value=address, limit=limit, window_minutes=THROTTLE_WINDOW_MINUTES)
        return found is not None

    def wait(self) -> float:
        """Seconds until the current minute's count starts to weigh less (the window slides)."""
        seconds = THROTTLE_WINDOW_MINUTES * 60
        return max(1.0, seconds - time.time() % seconds)


api = NinjaAPI(
    title="Öppna data",
    version="1",
    description=(
        "Read-only open data of the municipality's results pages: the same figures as "
        "“Så håller vi våra löften” and “Synpunkter i siffror”, licensed CC0, and what staff published in "
        "“Du sa – vi gjorde”. Paginated with `limit` and `offset`; dates are ISO 8601 (a month as its first day)."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    throttle=[AddressThrottle()],
)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    response = api.create_response(request, {"detail": str(ERROR_RATE_LIMITED)}, status=429)
    response["Retry-After"] = str(math.ceil(exc.wait or 60))
    return response


class FilterError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


@api.exception_handler(FilterError)
def _filter_error(request: HttpRequest, exc: FilterError) -> HttpResponse:
    return api.create_response(request, {"detail": str(ERROR_FILTERS), "errors": exc.errors}, status=422)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Parameters the schema refuses (a page number that is not a number) are answered as a filter that cannot be
    used is: one shape for every 422."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        name = str(error.get("loc", ["", "?"])[-1])
        errors.setdefault(name, []).append(str(error.get("msg", "")))
    return api.create_response(request, {"detail": str(ERROR_FILTERS), "errors": errors}, status=422)


MONTH_PATTERN = r"^[12]\d{3}-(0[1-9]|1[0-2])$"


class Filters(Schema):
    unit: int | None = Field(None, description="A unit's id (/units): that unit and those below it.")
    category: int | None = Field(None, description="A category's id (/categories).")
    from_month: str | None = Field(None, alias="from", pattern=MONTH_PATTERN, description="First month, YYYY-MM.")
    to_month: str | None = Field(None, alias="to", pattern=MONTH_PATTERN, description="Last month, YYYY-MM.")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class UnitOut(Schema):
    id: int
    name: str
    depth: int = Field(description="0 for a top unit, 1 below it, and so on.")


class CategoryOut(Schema):
    id: int
    name: str


class PromiseFiguresOut(Schema):
    id: str
    name: str = Field(description="The month (YYYY-MM-DD), unit or category the row is about.")
    received: int
    answered: int
    answered_in_time: int
    share_in_time: int | None = Field(description="Whole percent of the answered; null when none were answered.")
    median_working_days: float | None = Field(description="Null when none were answered.")
    solved_yes: int
    solved_no: int


class KindMonthOut(Schema):
    id: str
    month: datetime.date
    complaint: int
    suggestion: int
    praise: int
    question: int
    fault_report: int
    total: int


class CountOut(Schema):
    id: str
    name: str
    received: int


class MapCellOut(Schema):
    id: str = Field(description="The square's south-west corner, latitude,longitude (WGS 84).")
    south: float
    west: float
    received: int = Field(description="Fault reports in the square (squares with fewer are not given).")


def _filters(request: HttpRequest, filters: Filters) -> Any:
    data = {
        "enhet": "" if filters.unit is None else str(filters.unit),
        "kategori": "" if filters.category is None else str(filters.category),
        "fran": filters.from_month or "",
        "till": filters.to_month or "",
    }
    form, found = filters_read(data)
    if form.errors:
        raise FilterError({name: [str(e) for e in errors] for name, errors in form.errors.items()})
    return found


def _promises(request: HttpRequest, filters: Filters) -> NumbersPage:
    return promises_page(_filters(request, filters))


def _figures(request: HttpRequest, filters: Filters) -> NumbersPage:
    return figures_page(_filters(request, filters))


def _figure_rows(page: NumbersPage, slug: str) -> list[dict[str, Any]]:
    table = page.tables[slug]
    first = table.columns[0].key
    return [{**record, "name": str(record.pop(first))} for record in table.records()]


def _count_rows(page: NumbersPage, slug: str) -> list[dict[str, Any]]:
    table = page.tables[slug]
    first = table.columns[0].key
    return [{"id": r["id"], "name": r[first], "received": r["received"]} for r in table.records()]


statistics = Router(tags=["Så håller vi våra löften"])
figures = Router(tags=["Synpunkter i siffror"])
filters_router = Router(tags=["Filters"])

ANSWERS = {422: ErrorOut, 429: ErrorOut}


@filters_router.get("/units", response={200: list[UnitOut], **ANSWERS}, summary="Units to filter by")
@paginate(LimitOffsetPagination)
def units(request: HttpRequest) -> list[dict[str, Any]]:
    options = filters_read({})[0].options
    return [{"id": pk, "name": name, "depth": depth} for pk, name, depth, _path in options.units]


@filters_router.get("/categories", response={200: list[CategoryOut], **ANSWERS}, summary="Categories to filter by")
@paginate(LimitOffsetPagination)
def categories(request: HttpRequest) -> list[dict[str, Any]]:
    options = filters_read({})[0].options
    return [{"id": pk, "name": name} for pk, name in options.categories]


@statistics.get("/months", response={200: list[PromiseFiguresOut], **ANSWERS}, summary="Promises kept per month")
@paginate(LimitOffsetPagination)
def promise_months(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _figure_rows(_promises(request, filters), "per-manad")


@statistics.get("/units", response={200: list[PromiseFiguresOut], **ANSWERS}, summary="Promises kept per unit")
@paginate(LimitOffsetPagination)
def promise_units(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _figure_rows(_promises(request, filters), "per-enhet")


@statistics.get("/categories", response={200: list[PromiseFiguresOut], **ANSWERS}, summary="Promises kept per category")
@paginate(LimitOffsetPagination)
def promise_categories(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _figure_rows(_promises(request, filters), "per-kategori")


@figures.get("/kinds-months", response={200: list[KindMonthOut], **ANSWERS}, summary="Received per kind and month")
@paginate(LimitOffsetPagination)
def kinds_months(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _figures(request, filters).tables["typ-per-manad"].records()


@figures.get("/kinds", response={200: list[CountOut], **ANSWERS}, summary="Received per kind")
@paginate(LimitOffsetPagination)
def kinds(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _count_rows(_figures(request, filters), "per-typ")


@figures.get("/categories", response={200: list[CountOut], **ANSWERS}, summary="Received per category")
@paginate(LimitOffsetPagination)
def figure_categories(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _count_rows(_figures(request, filters), "per-kategori")


@figures.get("/map", response={200: list[MapCellOut], **ANSWERS}, summary="Fault reports per square of about 1 km")
@paginate(LimitOffsetPagination)
def fault_map(request: HttpRequest, filters: Query[Filters]) -> list[dict[str, Any]]:
    return _figures(request, filters).tables["karta"].records()


class PublicationOut(Schema):
    id: int
    title: str
    you_said: str = Field(description="What residents said, as staff summed it up (masked before publication).")
    we_did: str
    done_on: datetime.date
    unit: str
    categories: list[str]
    principles: list[str]
    published_on: datetime.date


class PublicationFilters(Schema):
    unit: int | None = Field(None, description="A unit's id.")
    category: int | None = Field(None, description="A category's id (/categories).")
    principle: int | None = Field(None, description="A principle's id.")
    year: int | None = Field(None, ge=1900, le=2999, description="The year it was done.")


publications = Router(tags=["Du sa – vi gjorde"])


@publications.get(
    "", response={200: list[PublicationOut], **ANSWERS}, summary="What we changed because residents spoke"
)
@paginate(LimitOffsetPagination)
def publication_list(request: HttpRequest, filters: Query[PublicationFilters]) -> list[dict[str, Any]]:
    """The live publications of "Du sa – vi gjorde" (what staff published; never a withdrawn one), latest done
    first, read through the page's own selector and kept in the public cache like the page."""
    municipality = public_setup().municipality
    chosen = PublicFilter(unit=filters.unit, category=filters.category, principle=filters.principle, year=filters.year)

    def build() -> list[dict[str, Any]]:
        return [row.as_dict() for row in public_rows(municipality=municipality, chosen=chosen)]

    return public_cached("api-publications", municipality.pk, chosen.key(), build=build)


@publications.get(
    "/{publication_id}", response={200: PublicationOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}, summary="One"
)
def publication_one(request: HttpRequest, publication_id: int) -> Status:
    municipality = public_setup().municipality
    row = public_publication(municipality=municipality, publication_id=publication_id)
    if row is None:
        return Status(404, {"detail": str(ERROR_NOT_FOUND)})
    return Status(200, row.as_dict())


class GoalIndicatorOut(Schema):
    name: str
    unit_of_measure: str
    higher_is_better: bool
    source: str = Field(description='"Kolada" when the values came from Kolada, else empty (the municipality).')
    baseline: str | None = Field(description="A decimal number as text, or null.")
    target: str | None = Field(description="The period's target, a decimal number as text, or null.")
    latest: str | None = Field(description="The latest value when the follow-up was published, or null.")
    values: dict[str, str | None] = Field(description="The value of each year (the year as text), null for none.")


class GoalOut(Schema):
    id: int = Field(description="The publication's id (a newer follow-up of the same goal is published anew).")
    title: str
    description: str
    level: str = Field(description="vision, council, committee, unit or activity.")
    unit: str
    period: str
    status: str = Field(description="green, yellow, red, not_started or done: the unit's own judgement.")
    analysis: str = Field(description="What the unit sees, why, and what it does (masked before publication).")
    covers_until: datetime.date
    published_on: datetime.date
    indicators: list[GoalIndicatorOut]


our_goals = Router(tags=["Våra mål"])


@our_goals.get("", response={200: list[GoalOut], **ANSWERS}, summary="The published goals, from the vision down")
@paginate(LimitOffsetPagination)
def goal_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The goals whose latest follow-up a leader published (never a withdrawn one), in the order of their trees, as
    the page "Våra mål" shows them, kept in the public cache like the page."""
    municipality = public_setup().municipality
    return public_cached(
        "api-our-goals",
        municipality.pk,
        build=lambda: [goal.as_dict() for goal in public_goal_tree(municipality=municipality)],
    )


@our_goals.get("/{publication_id}", response={200: GoalOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}, summary="One")
def goal_one(request: HttpRequest, publication_id: int) -> Status:
    municipality = public_setup().municipality
    try:
        goal = public_goal_get(municipality=municipality, publication_id=publication_id)
    except Http404:
        return Status(404, {"detail": str(ERROR_NOT_FOUND)})
    return Status(200, goal.as_dict())


class IndexOut(Schema):
    title: str
    licence: str
    openapi: str
    docs: str
    catalogue: str = Field(description="The DCAT-AP-SE catalogue of the datasets (Turtle; RDF/XML at katalog.rdf).")
    endpoints: list[str]


@api.get("/", response={200: IndexOut, 429: ErrorOut}, summary="What this API offers", tags=["Index"])
def index(request: HttpRequest) -> dict[str, Any]:
    endpoints = ["/units", "/categories", "/promises/months", "/promises/units", "/promises/categories"]
    endpoints += ["/figures/kinds-months", "/figures/kinds", "/figures/categories", "/figures/map", "/you-said-we-did"]
    endpoints += ["/our-goals"]
    return {
        "title": api.title,
        "licence": LICENCE,
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
        "catalogue": request.build_absolute_uri(reverse("openresults:catalogue_ttl")),
        "endpoints": [request.build_absolute_uri(f"/api/v1{path}") for path in endpoints],
    }


api.add_router("/", filters_router)
api.add_router("/promises", statistics)
api.add_router("/figures", figures)
api.add_router("/you-said-we-did", publications)
api.add_router("/our-goals", our_goals)
