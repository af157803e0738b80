"""GeoReport v2 documents: Brobygget's categories and cases as GeoReport fields, written as XML or JSON.

Both formats come from one tree of dicts, lists and scalars, following the spec's Spark convention:
a list container becomes a bare JSON array (also with one element) and in XML an element whose
children are named after the container (`<services><service>…`). Ids and codes are strings;
datetimes are ISO 8601 in local time with the offset (`2026-03-02T09:15:00+01:00`).
"""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Literal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from brobygget.core.calendar import working_days_between
from brobygget.dialog.models import Case, Category, Status
from brobygget.dialog.services import deadline_datetime

type Format = Literal["json", "xml"]
type Tree = str | int | float | bool | Sequence[Tree] | Mapping[str, Tree] | None

FORMATS: tuple[Format, ...] = ("xml", "json")
CONTENT_TYPES: dict[Format, str] = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The date the discovery document, the endpoints or the meaning of their fields last changed.
CHANGESET = "2026-11-27T00:00:00+01:00"

# Container → element name of each item, from the spec's examples.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}

# Characters XML 1.0 cannot carry at all; text is cleaned of them so every document is well-formed.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

OPEN_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS)
CLOSED_STATUSES = (Status.ANSWERED, Status.CLOSED)


def w3(moment: datetime.datetime) -> str:
    """A datetime as the spec wants it: local time with the UTC offset, whole seconds."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _scalar_text(value: str | float | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _xml_fill(element: ET.Element, value: Tree) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            _xml_fill(ET.SubElement(element, key), child)
    elif isinstance(value, Sequence) and not isinstance(value, str):
        for item in value:
            _xml_fill(ET.SubElement(element, LIST_ITEMS[element.tag]), item)
    else:
        element.text = _scalar_text(value)


def xml_document(root: str, value: Tree) -> str:
    """The XML text of a document: declaration, no namespace, list items named after their container."""
    element = ET.Element(root)
    _xml_fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode")


def json_document(value: Tree) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # compact: a list may hold 1,000 requests


def render(fmt: Format, root: str, value: Tree, status: int = 200) -> HttpResponse:
    """A response with the document in the asked format; `root` names the XML root element."""
    body = xml_document(root, value) if fmt == "xml" else json_document(value)
    return HttpResponse(body.encode(), status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: Format, status: int, description: str) -> HttpResponse:
    """The spec's error document: a list of one error whose code is the HTTP status."""
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def discovery_fields(*, endpoint_url: str, contact: str, key_service: str, production: bool) -> dict[str, Tree]:
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production" if production else "test",
                "formats": [CONTENT_TYPES["xml"].split(";")[0], CONTENT_TYPES["json"].split(";")[0]],
            }
        ],
    }


def service_fields(category: Category) -> dict[str, Tree]:
    """A category as a GeoReport service; it has no extra attributes, so metadata is false."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": category.unit.name,
    }


def service_definition_fields(category: Category) -> dict[str, Tree]:
    return {"service_code": category.code, "attributes": []}


def promise_in_words(days: int) -> str:
    """A service promise as a sentence for the resident: "We answer within 10 working days." """
    return ngettext("We answer within %(days)s working day.", "We answer within %(days)s working days.", days) % {
        "days": days
    }


def service_notice(case: Case) -> str:
    """The promise the case was given, in words: its answer days counted from the day it came in."""
    return promise_in_words(working_days_between(timezone.localdate(case.submitted_at), case.answer_due))


def open311_status(case: Case) -> str:
    return "open" if case.status in OPEN_STATUSES else "closed"


def _coordinate(value: object) -> float | None:
    return None if value is None else float(str(value))


def request_fields(case: Case) -> dict[str, Tree]:
    """A case as a public GeoReport service request.

    Nothing the resident wrote or gave about themselves is here: `description` is the category's name,
    and contact details are never read (docs/open311.md, Decisions).
    """
    latest_answer = getattr(case, "latest_answer", None)
    return {
        "service_request_id": case.number,
        "status": open311_status(case),
        "status_notes": latest_answer or case.rejection_reason,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.category.name,
        "agency_responsible": case.unit.name,
        "service_notice": service_notice(case),
        "requested_datetime": w3(case.submitted_at),
        "updated_datetime": w3(case.updated_at),
        "expected_datetime": w3(deadline_datetime(case.answer_due)),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": _coordinate(case.latitude),
        "long": _coordinate(case.longitude),
        "media_url": "",
    }


def created_fields(case: Case) -> dict[str, Tree]:
    """The answer to a POST: the request is created at once, so its id is known and no token is needed."""
    return {"service_request_id": case.number, "service_notice": service_notice(case), "account_id": None}


def token_fields(case: Case) -> dict[str, Tree]:
    return {"service_request_id": case.number, "token": case.number}
