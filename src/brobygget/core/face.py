"""The municipality's own face on every page: its name, logo and contact details in the header and footer.

The base layout shows the face of the municipality the installation serves (exactly one; with none or several it
falls back to the software's name, as `dialog.public.public_municipality` answers 404 then). It is read on every
page, so it is kept in Django's cache; a save or delete of a municipality puts the new face there at once, in the
same step (signals, `core.apps`), and again when the transaction commits, so that a page read between the two
cannot keep the old one. Other processes of a local-memory cache catch up within `PUBLIC_SETUP_CACHE_SECONDS`.

`version` names the face: it is in the key of every page kept for visitors (`core.shared_pages`), so a page
rendered with the old name, logo or contact details is never served after a change.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.http import Http404
from django.urls import reverse

from brobygget.core.models import Municipality

FACE_CACHE_KEY = "core:municipality-face:v1"
SOFTWARE_NAME = "Brobygget"


@dataclass(frozen=True)
class Face:
    """What every page shows of the municipality; `municipality` is None when the installation serves none (or
    several), and the pages then name the software instead."""

    municipality: Municipality | None
    version: str

    @property
    def name(self) -> str:
        return self.municipality.name if self.municipality else SOFTWARE_NAME

    @property
    def phone(self) -> str:
        return self.municipality.phone if self.municipality else ""

    @property
    def phone_href(self) -> str:
        """The number as a `tel:` link: digits, and a leading plus if written."""
        return "tel:" + re.sub(r"(?!^\+)[^\d]", "", self.phone.strip()) if self.phone else ""

    @property
    def email(self) -> str:
        return self.municipality.email if self.municipality else ""

    @property
    def logo_url(self) -> str:
        """The logo's address, with its file name in the query so that a new logo is a new address; "" for none."""
        if self.municipality is None or not self.municipality.logo:
            return ""
        return f"{reverse('municipality_logo')}?v={self.version}"


def _face_read() -> Face:
    found = list(Municipality.objects.order_by("pk")[:2])
    if len(found) != 1:
        return Face(None, "none")
    municipality = found[0]
    return Face(municipality, f"{municipality.pk}-{municipality.updated_at.timestamp():.6f}")


def municipality_face() -> Face:
    """The face, from the cache when it is there. A database that cannot answer gives the software's name rather
    than a second error on the error page."""
    face: Face | None = cache.get(FACE_CACHE_KEY)
    if face is None:
        try:
            face = _face_read()
        except DatabaseError:
            return Face(None, "none")
        cache.set(FACE_CACHE_KEY, face, settings.PUBLIC_SETUP_CACHE_SECONDS)
    return face


def municipality_face_refresh(**_signal: object) -> None:
    """Keep the new face (connected to the saves and deletes of a municipality): now, and again at the commit."""

    def refresh() -> None:
        cache.set(FACE_CACHE_KEY, _face_read(), settings.PUBLIC_SETUP_CACHE_SECONDS)

    refresh()
    transaction.on_commit(refresh)


def municipality_public() -> Municipality:
    """The municipality the public pages serve, as it is kept in the face; 404 when there is none (or several)."""
    municipality = municipality_face().municipality
    if municipality is None:
        raise Http404
    return municipality
