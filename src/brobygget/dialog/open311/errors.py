"""Errors of the Open311 interface: the HTTP status and the description a GeoReport v2 client receives.

The descriptions are for the developers of client apps, so they are English constants (not translated);
the tests import them.
"""

ERROR_FORMAT_UNKNOWN = "Unknown format: use .xml or .json."
ERROR_METHOD_NOT_ALLOWED = "This method is not allowed here."
ERROR_NOT_FOUND = "There is no such resource."
ERROR_JURISDICTION_UNKNOWN = "jurisdiction_id is not known here."
ERROR_JURISDICTION_MISSING = "jurisdiction_id is required: this endpoint serves several jurisdictions."
ERROR_SERVICE_CODE_UNKNOWN = "service_code is not known here."
ERROR_SERVICE_CODE_MISSING = "service_code is required."
ERROR_REQUEST_UNKNOWN = "service_request_id is not known here."
ERROR_TOKEN_UNKNOWN = "token is not known here."  # noqa: S105 - an error text, not a secret
ERROR_API_KEY_MISSING = "api_key is required to post a service request."
ERROR_API_KEY_INVALID = "api_key is not valid."
ERROR_RATE_LIMITED = "Too many service requests from this api_key. Try again in a minute."
ERROR_LOCATION_MISSING = "A location is required: lat and long, address_string or address_id."
ERROR_LAT_LONG_PAIR = "lat and long must be sent together."
ERROR_LAT_LONG_INVALID = "lat must be a number from -90 to 90 and long a number from -180 to 180 (WGS84)."
ERROR_DESCRIPTION_MISSING = "description is required: write what is wrong."
ERROR_DESCRIPTION_TOO_LONG = "description can be at most 4,000 characters long."
ERROR_EMAIL_INVALID = "email is not a valid email address."
ERROR_MEDIA_URL_INVALID = "media_url must be an http or https URL."
ERROR_CONTROL_CHARACTERS = "%(name)s contains control characters; only tab and line breaks are allowed."
ERROR_FIELD_TOO_LONG = "%(name)s can be at most %(max)s characters long."
ERROR_REQUEST_INVALID = "The service request could not be created from these values."
ERROR_DATE_INVALID = "%(name)s must be a W3C date and time such as 2026-03-01T00:00:00+01:00."
ERROR_DATE_ORDER = "end_date must not be before start_date."
ERROR_DATE_RANGE = "start_date and end_date may be at most 90 days apart."
ERROR_STATUS_INVALID = "status must be open, closed or both, comma-separated."
ERROR_PAGE_INVALID = "page must be a whole number from 1."
ERROR_PAGE_SIZE_INVALID = "page_size must be a whole number from 1 to 1000."


class Open311Error(Exception):
    """A request the interface refuses: answered with `status` and an error document."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
