"""Reads and limits of the public resident pages: which municipality they serve, its categories and promise,
a case's photos by its tracking link, and how much one address may send.

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

from django.conf import settings
from django.core.cache import cache
from django.http import Http404

from brobygget.core.models import Municipality
from brobygget.core.throttle import ThrottleSlot, throttle_count, throttle_release, throttle_take
from brobygget.dialog.models import Case, CaseAttachment, Category, Kind, ServicePromise
from brobygget.dialog.services import DEFAULT_ANSWER_DAYS

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


def case_photo_list(*, case: Case) -> list[CaseAttachment]:
    """The photos the resident sent with the case, in the order they were sent."""
    return list(case.attachments.order_by("pk"))


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
