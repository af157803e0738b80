"""A GeoReport v2 client written from the spec alone (open311.org, GeoReport_v2 and Service_Discovery).

It knows nothing of Django or of Brobygget: it speaks HTTP with urllib, finds the endpoint through the
discovery document and reads both formats, XML into the same dicts and lists as JSON (the spec's Spark
convention: a list container becomes a list, every other element a key; all XML values are strings).
"""

import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTENT_TYPES = {"xml": "text/xml", "json": "application/json"}
# List containers of GeoReport v2 and of service discovery, and the name of their items.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    fmt: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def xml_root(self) -> ET.Element:
        # Our own test server's answer, parsed to check its structure.
        return ET.fromstring(self.body)  # noqa: S314

    @property
    def data(self) -> Any:
        if self.fmt == "json":
            return json.loads(self.text)
        return xml_to_data(self.xml_root())


class GeoReportError(Exception):
    """An HTTP error answer; `errors` is the parsed error document."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"HTTP {response.status}: {response.text}")
        self.response = response

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def errors(self) -> list[dict[str, Any]]:
        return self.response.data


def xml_to_data(element: ET.Element) -> Any:
    """An XML element as JSON-like data: list containers → lists, elements with children → dicts, else text."""
    if element.tag in LIST_ITEMS:
        item = LIST_ITEMS[element.tag]
        assert all(child.tag == item for child in element), f"<{element.tag}> holds only <{item}>"
        return [xml_to_data(child) for child in element]
    if len(element):
        return {child.tag: xml_to_data(child) for child in element}
    return element.text or ""


def http(method: str, url: str, fmt: str, data: dict[str, str] | None = None) -> Response:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - http(s) URLs of the test server
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            response = Response(
                answer.status, answer.headers.get("Content-Type", ""), answer.read(), fmt, dict(answer.headers)
            )
    except urllib.error.HTTPError as error:
        response = Response(error.code, error.headers.get("Content-Type", ""), error.read(), fmt, dict(error.headers))
        raise GeoReportError(response) from None
    return response


class GeoReportClient:
    """A client of one GeoReport v2 endpoint, found through the provider's discovery URL."""

    def __init__(self, discovery_url: str, fmt: str = "json") -> None:
        self.discovery_url = discovery_url.rsplit(".", 1)[0]
        self.fmt = fmt
        self._endpoint: str | None = None

    def discovery(self, fmt: str | None = None) -> Response:
        return http("GET", f"{self.discovery_url}.{fmt or self.fmt}", fmt or self.fmt)

    @property
    def endpoint(self) -> str:
        """The URL of the production GeoReport v2 endpoint that serves our format."""
        if self._endpoint is None:
            document = self.discovery("json").data
            for endpoint in document["endpoints"]:
                if endpoint["specification"] == SPECIFICATION and CONTENT_TYPES[self.fmt] in endpoint["formats"]:
                    self._endpoint = endpoint["url"]
                    break
            else:
                raise LookupError("no GeoReport v2 endpoint with this format")
        return self._endpoint

    def get(self, resource: str, **params: str) -> Response:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return http("GET", f"{self.endpoint}/{resource}.{self.fmt}{query}", self.fmt)

    def services(self, **params: str) -> list[dict[str, Any]]:
        return self.get("services", **params).data

    def service_definition(self, code: str) -> dict[str, Any]:
        return self.get(f"services/{urllib.parse.quote(code)}").data

    def post_request(self, **fields: str) -> list[dict[str, Any]]:
        return http("POST", f"{self.endpoint}/requests.{self.fmt}", self.fmt, data=fields).data

    def requests(self, **params: str) -> list[dict[str, Any]]:
        return self.get("requests", **params).data

    def request(self, service_request_id: str) -> list[dict[str, Any]]:
        return self.get(f"requests/{urllib.parse.quote(service_request_id)}").data

    def token(self, token: str) -> list[dict[str, Any]]:
        return self.get(f"tokens/{urllib.parse.quote(token)}").data
