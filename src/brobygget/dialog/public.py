"""Reads and limits of the public resident pages: which municipality they serve, its categories and promise,
a case's photos by its tracking link, and how much one address may send."""

from django.conf import settings
from django.http import Http404

from brobygget.core.models import Municipality
from brobygget.core.throttle import throttle_count, throttle_record
from brobygget.dialog.models import Case, CaseAttachment, Category, Kind, ServicePromise
from brobygget.dialog.services import DEFAULT_ANSWER_DAYS

THROTTLE_SCOPE = "dialog-resident-post"
THROTTLE_WINDOW_MINUTES = 60


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


def answer_days_longest(*, municipality: Municipality) -> int:
    """The longest answer promise of any active category and kind: what the start page can promise everyone."""
    categories = set(Category.objects.filter(municipality=municipality, is_active=True).values_list("pk", flat=True))
    if not categories:
        return DEFAULT_ANSWER_DAYS
    promised: dict[tuple[int, str], int] = {
        (category_id, kind): days
        for category_id, kind, days in ServicePromise.objects.filter(category_id__in=categories).values_list(
            "category_id", "kind", "answer_days"
        )
    }
    # The same fallback as services.promise_for: the kind's own, else the category's for any kind, else the default.
    return max(
        promised.get((category_id, kind), promised.get((category_id, ""), DEFAULT_ANSWER_DAYS))
        for category_id in categories
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


def resident_post_record(*, address: str) -> None:
    """Count one case or reply sent from the address."""
    throttle_record(scope=THROTTLE_SCOPE, value=address, window_minutes=THROTTLE_WINDOW_MINUTES)
