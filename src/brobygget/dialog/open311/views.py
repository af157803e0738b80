"""The Open311 GeoReport v2 endpoints (docs/open311.md): thin views that parse, call a selector or service,
and answer in the format the path ends with."""

import functools
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_exempt

from brobygget.core.models import Municipality
from brobygget.core.throttle import throttle_take
from brobygget.dialog.models import Open311Client
from brobygget.dialog.open311 import formats, selectors
from brobygget.dialog.open311.errors import (
    ERROR_API_KEY_INVALID,
    ERROR_API_KEY_MISSING,
    ERROR_FORMAT_UNKNOWN,
    ERROR_JURISDICTION_UNKNOWN,
    ERROR_METHOD_NOT_ALLOWED,
    ERROR_NOT_FOUND,
    ERROR_RATE_LIMITED,
    ERROR_REQUEST_INVALID,
    ERROR_REQUEST_UNKNOWN,
    ERROR_SERVICE_CODE_UNKNOWN,
    ERROR_TOKEN_UNKNOWN,
    Open311Error,
)
from brobygget.dialog.open311.formats import Format
from brobygget.dialog.open311.params import new_request_parse, request_query_parse
from brobygget.dialog.open311.services import open311_request_create
from brobygget.dialog.selectors import open311_client_for_key

DISCOVERY_CONTACT = _(
    "Questions about this interface go to the municipality's registrar, who passes them on to the system administrator."
)
DISCOVERY_KEY_SERVICE = _(
    "Reading needs no key. To post service requests, ask the municipality's system administrator for an API key: "
    "it is issued in Brobygget's administration and shown only once."
)
THROTTLE_SCOPE = "open311.post"
GET = ("GET", "HEAD")

type Body = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[Body], Body]:
    """Check the format and the method, and answer an Open311Error with the spec's error document.

    No endpoint uses the session or its cookie (apps post with an api_key), so none needs a CSRF token.
    """

    def decorate(body: Body) -> Body:
        @csrf_exempt
        @functools.wraps(body)
        def view(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if fmt not in formats.FORMATS:
                # XML is the format every GeoReport client reads.
                return formats.error_response("xml", 400, ERROR_FORMAT_UNKNOWN)
            known = cast(Format, fmt)
            if request.method not in methods:
                response = formats.error_response(known, 405, ERROR_METHOD_NOT_ALLOWED)
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return body(request, known, **kwargs)
            except Open311Error as error:
                response = formats.error_response(known, error.status, error.description)
                if error.status == 429:
                    response["Retry-After"] = "60"
                return response

        return view

    return decorate


def _jurisdiction(request: HttpRequest) -> str:
    return (request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id") or "").strip()


def _municipality(request: HttpRequest) -> Municipality:
    return selectors.municipality_for_jurisdiction(jurisdiction_id=_jurisdiction(request))


def _kept(view: Body) -> Body:
    """Apps poll the same answers again and again: a GET answer (the services, a service, the list of requests, a
    request) is kept per address, query, language and format for settings.OPEN311_LIST_CACHE_SECONDS (0: not at all),
    in Django's cache. Only GET and HEAD answers with status 200 are kept; a POST always goes through. The answer
    says so (`Cache-Control: max-age`), so apps and proxies may keep it as long: a change shows within that time.
    Measured at size M over HTTP: the services list and a request cost 4.0–5.7 × the bare view read afresh."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: str, **kwargs: str) -> HttpResponse:
        seconds = settings.OPEN311_LIST_CACHE_SECONDS
        if seconds <= 0:
            return view(request, *args, **kwargs)
        cached: Body = cache_page(seconds, key_prefix="open311")(view)
        return cached(request, *args, **kwargs)

    return wrapped


@endpoint(*GET)
def discovery(request: HttpRequest, fmt: Format) -> HttpResponse:
    services_path = reverse("open311:services", kwargs={"fmt": "xml"})
    endpoint_url = request.build_absolute_uri(services_path.rsplit("/", 1)[0])
    document = formats.discovery_fields(
        endpoint_url=endpoint_url,
        contact=str(DISCOVERY_CONTACT),
        key_service=str(DISCOVERY_KEY_SERVICE),
        production=not settings.DEBUG,
    )
    return formats.render(fmt, "discovery", document)


@_kept
@endpoint(*GET)
def service_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    categories = selectors.service_list(municipality=_municipality(request))
    return formats.render(fmt, "services", [formats.service_fields(category) for category in categories])


@_kept
@endpoint(*GET)
def service_definition(request: HttpRequest, fmt: Format, code: str) -> HttpResponse:
    category = selectors.service_get(municipality=_municipality(request), code=code)
    if category is None:
        raise Open311Error(404, ERROR_SERVICE_CODE_UNKNOWN)
    return formats.render(fmt, "service_definition", formats.service_definition_fields(category))


def _client(request: HttpRequest) -> Open311Client:
    key = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    if not key:
        raise Open311Error(403, ERROR_API_KEY_MISSING)
    client = open311_client_for_key(key=key)
    if client is None:
        raise Open311Error(403, ERROR_API_KEY_INVALID)
    return client


def _throttle(client: Open311Client) -> None:
    limit = settings.OPEN311_POSTS_PER_MINUTE
    # Checked and counted in one step: parallel posts cannot all pass.
    if throttle_take(scope=THROTTLE_SCOPE, value=str(client.pk), limit=limit, window_minutes=1) is None:
        raise Open311Error(429, ERROR_RATE_LIMITED)


def _create(request: HttpRequest, fmt: Format) -> HttpResponse:
    client = _client(request)
    jurisdiction = _jurisdiction(request)
    if jurisdiction and jurisdiction != client.municipality.code:
        raise Open311Error(404, ERROR_JURISDICTION_UNKNOWN)
    _throttle(client)
    new = new_request_parse(request.POST)
    category = selectors.service_get(municipality=client.municipality, code=new.service_code)
    if category is None:
        raise Open311Error(404, ERROR_SERVICE_CODE_UNKNOWN)
    try:
        case = open311_request_create(
            client=client,
            data=new.submission(category=category, language=get_language() or settings.LANGUAGE_CODE),
            media_url=new.media_url,
        )
    except ValidationError as error:
        # Everything the service checks was checked above; this is the last line against a race (a category
        # switched off meanwhile), answered without the service's resident-facing Swedish text.
        raise Open311Error(400, ERROR_REQUEST_INVALID) from error
    # 200, not 201: the spec's examples answer a created request with 200, and clients expect it.
    return formats.render(fmt, "service_requests", [formats.created_fields(case)])


@_kept
@endpoint("GET", "HEAD", "POST")
def request_list(request: HttpRequest, fmt: Format) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    query = request_query_parse(request.GET)
    cases = selectors.request_list(municipality=_municipality(request), query=query)
    return formats.render(fmt, "service_requests", [formats.request_fields(case) for case in cases])


@_kept
@endpoint(*GET)
def request_detail(request: HttpRequest, fmt: Format, request_id: str) -> HttpResponse:
    case = selectors.request_get(municipality=_municipality(request), number=request_id)
    if case is None:
        raise Open311Error(404, ERROR_REQUEST_UNKNOWN)
    return formats.render(fmt, "service_requests", [formats.request_fields(case)])


@_kept
@endpoint(*GET)
def token_detail(request: HttpRequest, fmt: Format, token: str) -> HttpResponse:
    # Requests are created at once, so a token is simply the request's id (the case number).
    case = selectors.request_get(municipality=_municipality(request), number=token)
    if case is None:
        raise Open311Error(404, ERROR_TOKEN_UNKNOWN)
    return formats.render(fmt, "service_requests", [formats.token_fields(case)])


@csrf_exempt
def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    """Any other path under the endpoint: the spec's 404, in the format the path asks for (XML otherwise)."""
    fmt: Format = "json" if rest.endswith(".json") else "xml"
    return formats.error_response(fmt, 404, ERROR_NOT_FOUND)
