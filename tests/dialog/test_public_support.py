"""Helpers of the resident-page tests (test_public_*): no tests here, only what several of them build."""

import html
import io
import re
import time
from typing import Any

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from PIL import ExifTags, Image
from playwright.sync_api import FilePayload

from brobygget.dialog.forms import started_token
from brobygget.dialog.models import Category

FORM_URL = "/lamna-synpunkt/"


def sv(message: Any, **params: Any) -> str:
    """A message as a Swedish visitor reads it (the English msgid until the Swedish text is merged)."""
    with translation.override("sv"):
        text = str(translation.gettext(message) if isinstance(message, str) else message)
    return text % params if params else text


def text_of(response: Any) -> str:
    """The page's HTML with entities decoded, so that a message can be looked for as the visitor reads it."""
    return html.unescape(response.content.decode())


def started_ago(seconds: float = 60) -> str:
    """The form's signed timestamp, as if it had been shown `seconds` ago."""
    with time_machine.travel(time.time() - seconds, tick=False):
        return started_token()


def form_data(category: Category, /, **fields: Any) -> dict[str, Any]:
    """What a person sends who filled in the form a minute ago."""
    return {
        "kind": "complaint",
        "category": str(category.pk),
        "text": "Gungan på lekplatsen i Stadsparken är trasig.",
        "address": "",
        "latitude": "",
        "longitude": "",
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "website": "",
        "started": started_ago(),
        **fields,
    }


def jpeg_with_gps(name: str = "gunga.jpg") -> SimpleUploadedFile:
    """A real JPEG photo as a phone makes it: EXIF with the camera and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefontillverkaren"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (59.0, 22.0, 45.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (17.0, 1.0, 44.0),
        }
    )
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "darkgreen").save(buffer, "JPEG", exif=exif.tobytes())
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo lacks GPS"
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def jpeg_payload() -> FilePayload:
    """The same photo, for a browser's file input."""
    upload = jpeg_with_gps()
    return {"name": upload.name or "gunga.jpg", "mimeType": "image/jpeg", "buffer": upload.read()}


def png(name: str = "karta.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (32, 32), (200, 30, 30, 128)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def query_count(client: Client, url: str) -> int:
    """How many queries a GET of `url` makes (it must answer 200)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context)


def without_request_noise(response: Any) -> str:
    """The page without what differs by request alone: the CSRF token and the page's own address."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return page.replace(response.wsgi_request.get_full_path(), "PATH")
