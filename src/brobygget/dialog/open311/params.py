"""Parameters of GeoReport v2 calls, checked and turned into typed values; anything wrong is an Open311Error.

"Optional" in the spec means an empty parameter is the same as a missing one, so blank values are ignored.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import strip_tags

from brobygget.core.text import has_control_characters
from brobygget.dialog.models import TEXT_MAX_LENGTH, Case, Category, Kind
from brobygget.dialog.open311.errors import (
    ERROR_CONTROL_CHARACTERS,
    ERROR_DATE_INVALID,
    ERROR_DATE_ORDER,
    ERROR_DATE_RANGE,
    ERROR_DESCRIPTION_MISSING,
    ERROR_DESCRIPTION_TOO_LONG,
    ERROR_EMAIL_INVALID,
    ERROR_FIELD_TOO_LONG,
    ERROR_LAT_LONG_INVALID,
    ERROR_LAT_LONG_PAIR,
    ERROR_LOCATION_MISSING,
    ERROR_MEDIA_URL_INVALID,
    ERROR_PAGE_INVALID,
    ERROR_PAGE_SIZE_INVALID,
    ERROR_SERVICE_CODE_MISSING,
    ERROR_STATUS_INVALID,
    Open311Error,
)
from brobygget.dialog.open311.formats import CLOSED_STATUSES, OPEN_STATUSES
from brobygget.dialog.open311.selectors import MAX_PAGE_SIZE, RequestQuery
from brobygget.dialog.services import SubmissionInput

MAX_RANGE = datetime.timedelta(days=90)
MAX_MEDIA_URL_LENGTH = 2000
_COORDINATE_PLACES = Decimal("0.000001")
_STATUSES = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}


def _refuse_control_characters(params: QueryDict) -> None:
    """Every value of every parameter: a NUL or another control character is refused before anything reads it."""
    for name, values in params.lists():
        if any(has_control_characters(value) for value in [name, *values]):
            raise Open311Error(400, ERROR_CONTROL_CHARACTERS % {"name": name if name.isprintable() else "a name"})


def _text(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


def _comma_list(params: QueryDict, name: str) -> list[str]:
    """Values given comma-separated, or with the parameter repeated (the spec allows both)."""
    return [item.strip() for value in params.getlist(name) for item in value.split(",") if item.strip()]


def _moment(value: str, name: str) -> datetime.datetime:
    # An unencoded "+01:00" in a query string arrives as " 01:00".
    value = value.replace(" ", "+") if "T" in value else value
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(400, ERROR_DATE_INVALID % {"name": name}) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _whole_number(params: QueryDict, name: str, default: int, low: int, high: int, error: str) -> int:
    value = _text(params, name)
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise Open311Error(400, error) from None
    if not low <= number <= high:
        raise Open311Error(400, error)
    return number


def request_query_parse(params: QueryDict) -> RequestQuery:
    """The filters of GET requests: service_request_id, service_code, start_date, end_date, status, page."""
    _refuse_control_characters(params)
    start_text, end_text = _text(params, "start_date"), _text(params, "end_date")
    start = _moment(start_text, "start_date") if start_text else None
    end = _moment(end_text, "end_date") if end_text else None
    if start is None:
        end = end or timezone.now()
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if end < start:
        raise Open311Error(400, ERROR_DATE_ORDER)
    if end - start > MAX_RANGE:
        raise Open311Error(400, ERROR_DATE_RANGE)

    statuses: list[str] = []
    for status in _comma_list(params, "status"):
        if status.lower() not in _STATUSES:
            raise Open311Error(400, ERROR_STATUS_INVALID)
        statuses.extend(_STATUSES[status.lower()])

    return RequestQuery(
        start=start,
        end=end,
        ids=_comma_list(params, "service_request_id"),
        service_codes=_comma_list(params, "service_code"),
        statuses=sorted(set(statuses)),
        page=_whole_number(params, "page", 1, 1, 10**9, ERROR_PAGE_INVALID),
        page_size=_whole_number(params, "page_size", MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE, ERROR_PAGE_SIZE_INVALID),
    )


@dataclass(frozen=True)
class NewRequest:
    """A service request an app posts, checked; device_id, account_id and attributes are not kept."""

    service_code: str
    description: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    email: str = ""
    name: str = ""
    phone: str = ""
    media_url: str = ""

    def submission(self, *, category: Category, language: str) -> SubmissionInput:
        """What the dialog's submission service takes: a fault report, answered by mail when an email is given."""
        return SubmissionInput(
            kind=Kind.FAULT_REPORT,
            category=category,
            text=self.description,
            address=self.address,
            latitude=self.latitude,
            longitude=self.longitude,
            contact_name=self.name,
            contact_email=self.email,
            contact_phone=self.phone,
            wants_answer=bool(self.email),
            language=language,
        )


def _max_length(value: str, name: str, limit: int) -> str:
    if len(value) > limit:
        raise Open311Error(400, ERROR_FIELD_TOO_LONG % {"name": name, "max": limit})
    return value


def _coordinates(params: QueryDict) -> tuple[Decimal | None, Decimal | None]:
    lat_text, long_text = _text(params, "lat"), _text(params, "long")
    if not lat_text and not long_text:
        return None, None
    if not lat_text or not long_text:
        raise Open311Error(400, ERROR_LAT_LONG_PAIR)
    try:
        lat, long = Decimal(lat_text), Decimal(long_text)
    except InvalidOperation:
        raise Open311Error(400, ERROR_LAT_LONG_INVALID) from None
    if not (lat.is_finite() and long.is_finite() and -90 <= lat <= 90 and -180 <= long <= 180):
        raise Open311Error(400, ERROR_LAT_LONG_INVALID)
    return lat.quantize(_COORDINATE_PLACES, ROUND_HALF_UP), long.quantize(_COORDINATE_PLACES, ROUND_HALF_UP)


def new_request_parse(params: QueryDict) -> NewRequest:
    """The fields of POST requests, checked in the order a developer fixes them: service, place, text, contact."""
    _refuse_control_characters(params)
    service_code = _text(params, "service_code")
    if not service_code:
        raise Open311Error(400, ERROR_SERVICE_CODE_MISSING)

    latitude, longitude = _coordinates(params)
    address_field = Case._meta.get_field("address")
    address_limit = address_field.max_length or 300
    address = _max_length(_text(params, "address_string"), "address_string", address_limit)
    # We keep no address register: an address_id is kept as the place's text for the staff to read.
    address = address or _max_length(_text(params, "address_id"), "address_id", address_limit)
    if latitude is None and not address:
        raise Open311Error(400, ERROR_LOCATION_MISSING)

    # The spec allows line breaks but no HTML; tags are removed, not rejected.
    description = strip_tags(params.get("description") or "").strip()
    if not description:
        raise Open311Error(400, ERROR_DESCRIPTION_MISSING)
    if len(description) > TEXT_MAX_LENGTH:
        raise Open311Error(400, ERROR_DESCRIPTION_TOO_LONG)

    email = _text(params, "email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, ERROR_EMAIL_INVALID) from None
    name = " ".join(part for part in (_text(params, "first_name"), _text(params, "last_name")) if part)

    media_url = _text(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise Open311Error(400, ERROR_MEDIA_URL_INVALID) from None
        _max_length(media_url, "media_url", MAX_MEDIA_URL_LENGTH)

    return NewRequest(
        service_code=service_code,
        description=description,
        address=address,
        latitude=latitude,
        longitude=longitude,
        email=_max_length(email, "email", Case._meta.get_field("contact_email").max_length or 254),
        name=_max_length(name, "first_name and last_name", Case._meta.get_field("contact_name").max_length or 200),
        phone=_max_length(_text(params, "phone"), "phone", Case._meta.get_field("contact_phone").max_length or 40),
        media_url=media_url,
    )
