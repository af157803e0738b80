"""Reads and limits of the public resident pages: which municipality they serve, its categories and promise,
a case behind its tracking link with what the resident sees of it, and how much one address may send.

What every resident page shows of the municipality's set-up (its name, its active categories, the longest
answer promise) changes a few times a year but is read on every visit, so it is read once and kept in the
cache (`public_setup`) for `PUBLIC_SETUP_CACHE_SECONDS`. A save or delete of a municipality, category or
promise clears it at once in the process that made the change (signals, `dialog.apps`); other processes of a
local-memory cache catch up within the timeout. Until then they may still offer a category retired a moment
ago; a case sent to it is kept like any other (the category's unit handles it, and staff can correct the
category), and its promise is read in the case's own transaction, never from the cache.
"""

import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.db.models import FETCH_RAISE, Exists, OuterRef, QuerySet
from django.http import Http404

from brobygget.core.models import Municipality
from brobygget.core.prepared import prepared
from brobygget.core.throttle import ThrottleSlot, throttle_count, throttle_release, throttle_take
from brobygget.dialog.models import Case, CaseAttachment, CaseEntry, Category, Kind, ServicePromise
from brobygget.dialog.selectors import ResidentEntry
from brobygget.dialog.services import DEFAULT_ANSWER_DAYS
from brobygget.dialog.tracking import tracking_key_check_idle, tracking_key_matches

THROTTLE_SCOPE = "dialog-resident-post"
THROTTLE_WINDOW_MINUTES = 60


PUBLIC_SETUP_CACHE_KEY = "dialog:public-setup:v1"


@dataclass(frozen=True)
class PublicSetup:
    """The municipality the resident pages serve, its active categories in order, and its longest answer promise."""

    municipality: Municipality
    categories: list[Category]
    answer_days_longest: int
    # When it was read: pages rendered from it name it in their cache key, so a new set-up means new pages.
    stamp: int = field(default_factory=time.time_ns)


def public_setup() -> PublicSetup:
    """The resident pages' view of the municipality's set-up, from the cache when it is there; 404 as
    `public_municipality`."""
    setup: PublicSetup | None = cache.get(PUBLIC_SETUP_CACHE_KEY)
    if setup is None:
        municipality = public_municipality()
        categories = category_list(municipality=municipality)
        setup = PublicSetup(municipality, categories, answer_days_longest(categories=categories))
        cache.set(PUBLIC_SETUP_CACHE_KEY, setup, settings.PUBLIC_SETUP_CACHE_SECONDS)
    return setup


def public_setup_forget(**_signal: object) -> None:
    """Drop the cached set-up (connected to the saves and deletes of what it holds)."""
    cache.delete(PUBLIC_SETUP_CACHE_KEY)


def public_municipality() -> Municipality:
    """The municipality whose residents these pages serve; 404 unless there is exactly one.

    An installation serves one municipality today. With several (a shared installation), the resident pages
    would need to know which one a visitor means (a host name or a setting): until then they answer 404
    rather than guess, and this is the one place to change.
    """
    found = list(Municipality.objects.order_by("pk")[:2])
    if len(found) != 1:
        raise Http404
    return found[0]


def category_list(*, municipality: Municipality) -> list[Category]:
    """The categories a resident may choose from, in the municipality's order."""
    return list(Category.objects.filter(municipality=municipality, is_active=True))


def answer_days_longest(*, categories: list[Category]) -> int:
    """The longest answer promise of the categories (the active ones) for any kind: what the start page can promise."""
    if not categories:
        return DEFAULT_ANSWER_DAYS
    promised: dict[tuple[int, str], int] = {
        (category_id, kind): days
        for category_id, kind, days in ServicePromise.objects.filter(category__in=categories).values_list(
            "category_id", "kind", "answer_days"
        )
    }
    # The same fallback as services.promise_for: the kind's own, else the category's for any kind, else the default.
    return max(
        promised.get((category_id, kind), promised.get((category_id, ""), DEFAULT_ANSWER_DAYS))
        for category_id in (category.pk for category in categories)
        for kind in Kind.values
    )


# What the resident's pages read of a case, and no more. The receipt (and a photo) read the key's fields and what the
# receipt says: the date promised, and whether a mail goes out (the address itself is never shown). The tracking page
# reads what it shows, with the names of the case's category, unit and municipality joined in. The case is read as a
# prepared query (core/prepared.py: Django took 0.45 ms of the page's 3.6 to compile it, the database 0.03 ms to
# answer) and made a `Case` by Django's `Model.from_db`, which takes the values in the model's order of fields. The
# fields not read are blocked (Django's FETCH_RAISE): a page that starts reading one fails in its tests instead of
# asking a query for it.
def _in_model_order(*names: str) -> tuple[str, ...]:
    ordered = tuple(field.attname for field in Case._meta.concrete_fields if field.attname in names)
    if len(ordered) != len(names):
        raise ValueError(f"Not fields of a case: {sorted(set(names) - set(ordered))}")
    return ordered


_RECEIPT_FIELDS = _in_model_order("id", "number", "tracking_salt", "wants_answer", "answer_due", "contact_email")
_TRACKING_FIELDS = _in_model_order(
    "id",
    "municipality_id",
    "number",
    "tracking_salt",
    "kind",
    "status",
    "text",
    "address",
    "latitude",
    "longitude",
    "wants_answer",
    "submitted_at",
    "answer_due",
    "answered_at",
    "duplicate_of_id",
    "resolved",
)
_TRACKING_NAMES = {
    "category_name": "category__name",
    "unit_name": "unit__name",
    "municipality_name": "municipality__name",
    "has_photos": "has_photos",
}


@prepared
def _cases_numbered(*, number: str, tracking: bool) -> QuerySet[Case, Any]:
    # At most one a municipality (case_number_unique), so unordered.
    cases = Case.objects.filter(number=number).order_by()
    if tracking:
        # Whether it has photos, so that the page asks for them only then (most cases have none).
        photos = CaseAttachment.objects.filter(case_id=OuterRef("pk"))
        return cases.annotate(has_photos=Exists(photos)).values_list(*_TRACKING_FIELDS, *_TRACKING_NAMES.values())
    return cases.values_list(*_RECEIPT_FIELDS)


def case_by_link(*, number: str, key: str, tracking: bool = False) -> Case:
    """The case behind a resident's private link; 404 when number and key do not match. With `tracking`, what the
    tracking page shows, with `category_name`, `unit_name`, `municipality_name` and `has_photos`; else what the
    receipt shows.

    The key is compared in constant time with each case of the number, and with a made-up one when there is none,
    so that a wrong key costs the same whether the number exists or not."""
    fields = _TRACKING_FIELDS if tracking else _RECEIPT_FIELDS
    rows = _cases_numbered(number=number, tracking=tracking)
    if not rows:
        tracking_key_check_idle(key)
    for row in rows:
        case = Case.from_db(DEFAULT_DB_ALIAS, fields, row[: len(fields)], fetch_mode=FETCH_RAISE)
        if tracking_key_matches(case, key):
            for name, value in zip(_TRACKING_NAMES, row[len(fields) :], strict=False):
                setattr(case, name, value)
            return case
    raise Http404


# Answers, what we did, and the resident's own replies: never notes or events (CaseEntry.visible_to_resident).
RESIDENT_ENTRY_KINDS = [CaseEntry.Kind.ANSWER, CaseEntry.Kind.RESIDENT_REPLY, CaseEntry.Kind.FOLLOW_UP]


@prepared
def _resident_entries(*, case_id: int) -> QuerySet[CaseEntry, Any]:
    return (
        CaseEntry.objects.filter(case_id=case_id, kind__in=RESIDENT_ENTRY_KINDS)
        .order_by("created_at", "id")
        .values_list("kind", "text", "created_at")
    )


def case_entries_shown(*, case: Case) -> list[ResidentEntry]:
    """What the resident sees of the case's history, oldest first: its `kind`, `text` and `created_at`."""
    return [ResidentEntry(kind=kind, text=text, created_at=at) for kind, text, at in _resident_entries(case_id=case.pk)]


@dataclass(frozen=True, slots=True)
class PhotoShown:
    """A photo on the tracking page: its id (for its address behind the key) and its size."""

    pk: int
    width: int
    height: int


@prepared
def _case_photos(*, case_id: int) -> QuerySet[CaseAttachment, Any]:
    return CaseAttachment.objects.filter(case_id=case_id).order_by("id").values_list("id", "width", "height")


def case_photo_list(*, case: Case) -> list[PhotoShown]:
    """The photos the resident sent with the case, in the order they were sent (none asked for when the tracking
    page's case was read without any: `has_photos`)."""
    if not getattr(case, "has_photos", True):
        return []
    return [PhotoShown(*row) for row in _case_photos(case_id=case.pk)]


def case_photo_get(*, case: Case, photo_id: int) -> CaseAttachment:
    """One photo of the case; 404 when it belongs to another case or does not exist."""
    photo = CaseAttachment.objects.filter(case=case, pk=photo_id).first()
    if photo is None:
        raise Http404
    return photo


def resident_post_allowed(*, address: str) -> bool:
    """False when the address has sent as much as an hour allows (settings.DIALOG_SUBMISSIONS_PER_HOUR)."""
    sent = throttle_count(scope=THROTTLE_SCOPE, value=address, window_minutes=THROTTLE_WINDOW_MINUTES)
    return sent < settings.DIALOG_SUBMISSIONS_PER_HOUR


def resident_post_take(*, address: str) -> ThrottleSlot | None:
    """Count one case or reply sent from the address, in the same step as the limit is checked (parallel posts
    cannot all pass); None, and nothing counted, when the address has sent as much as an hour allows."""
    return throttle_take(
        scope=THROTTLE_SCOPE,
        value=address,
        limit=settings.DIALOG_SUBMISSIONS_PER_HOUR,
        window_minutes=THROTTLE_WINDOW_MINUTES,
    )


def resident_post_release(slot: ThrottleSlot) -> None:
    """Give back a counted post that was not saved."""
    throttle_release(slot)
