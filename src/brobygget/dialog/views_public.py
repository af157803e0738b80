"""The public resident pages, no login: start page, the form, the receipt, the tracking page and its photos.

The tracking link's key is in the URL, so its pages are never cached, never indexed, and their address never
goes out as a referrer. The referrer policy is `strict-origin`, not `no-referrer`: under `no-referrer` browsers
send `Origin: null` with every form post from the page, which Django's CSRF check rightly refuses (the reply,
"Blev det löst?" and the language switch would all fail). `strict-origin` sends only the site's origin, never the
path, so the key stays out of every Referer header, to other sites and to our own logs alike.
"""

import logging
from collections.abc import Callable
from contextlib import suppress
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from brobygget.core.faults import ERROR_NOT_SAVED_NO_TEXT, not_saved, page_status
from brobygget.core.shared_pages import render_shared
from brobygget.dialog import services
from brobygget.dialog.case_sections import TRACKING_PAGE
from brobygget.dialog.forms import (
    ERROR_PHOTOS_AGAIN,
    ERROR_TOO_MANY_SENT,
    KIND_HINTS,
    FeedbackForm,
    ReplyForm,
    started_token,
)
from brobygget.dialog.models import Case, Kind, Status
from brobygget.dialog.public import (
    PublicSetup,
    case_by_link,
    case_entries_shown,
    case_photo_get,
    case_photo_list,
    public_setup,
    resident_post_release,
    resident_post_take,
)
from brobygget.dialog.tracking import tracking_path

logger = logging.getLogger(__name__)

REFERRER_POLICY = "strict-origin"

MESSAGE_REPLY_SENT = _("Thank you. We have received your message.")
MESSAGE_RESOLVED_THANKS = _("Thank you for telling us.")

STATUS_TEXTS = {
    Status.RECEIVED: _("We have received the case and will start on it soon."),
    Status.IN_PROGRESS: _("Someone is working on the case."),
    Status.ANSWERED: _("We have answered. Read the answer below."),
    Status.CLOSED: _("The case is closed. You can still write to us, and we will look at it again."),
}


def _private[**P](view: Callable[P, HttpResponseBase]) -> Callable[P, HttpResponseBase]:
    """For pages whose URL holds the tracking key: no caching, no path in referrers, no search engine."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        response = view(*args, **kwargs)
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        response.headers["X-Robots-Tag"] = "noindex"
        return response

    return never_cache(wrapped)


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    setup = public_setup()
    return render_shared(
        request,
        "dialog/public/home.html",
        {
            "municipality": setup.municipality,
            "answer_days": setup.answer_days_longest,
            "kinds": Kind.choices,
            "kind_hints": KIND_HINTS,
        },
        key=f"home:{setup.stamp}",
        timeout=settings.PUBLIC_SETUP_CACHE_SECONDS,
        fresh={},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    setup = public_setup()
    municipality, categories = setup.municipality, setup.categories
    if request.method != "POST":
        # The empty form is the same for everyone but its hidden fields: rendered once per language (core/shared_pages).
        return render_shared(
            request,
            "dialog/public/feedback_form.html",
            _feedback_context(FeedbackForm(categories=categories), setup),
            key=f"feedback-form:{setup.stamp}",
            timeout=settings.PUBLIC_SETUP_CACHE_SECONDS,
            fresh={"started": started_token},
        )
    else:
        form = FeedbackForm(request.POST, request.FILES, categories=categories, sender_address=_address(request))
        # The form refuses early when the limit is already reached; the post is counted in the same step as the
        # limit is checked only here, so that parallel posts cannot all pass.
        try:
            slot = resident_post_take(address=_address(request)) if form.is_valid() else None
            if form.is_valid() and slot is None:
                form.add_error(None, ERROR_TOO_MANY_SENT)
            elif form.is_valid() and slot is not None:
                try:
                    case, key = services.feedback_submit(
                        municipality=municipality, data=form.submission(language=translation.get_language())
                    )
                except ValidationError as error:
                    resident_post_release(slot)
                    form.add_error(None, error)
                except DatabaseError:
                    with suppress(DatabaseError):  # the count is given back if the database lets us
                        resident_post_release(slot)
                    raise
                else:
                    return redirect("dialog:receipt", case.number, key)
        except DatabaseError as error:  # nothing was saved: the form comes back with what was typed (core/faults)
            not_saved(form, error, where="the resident form")
        if request.FILES.getlist("photos"):  # a file input cannot be filled in again by the page
            form.add_error("photos", ERROR_PHOTOS_AGAIN)
    return render(request, "dialog/public/feedback_form.html", _feedback_context(form, setup), status=page_status(form))


def _feedback_context(form: FeedbackForm, setup: PublicSetup) -> dict[str, object]:
    return {
        "form": form,
        "municipality": setup.municipality,
        "kind_hints": KIND_HINTS,
        "category_hints": {str(category.pk): category.description for category in setup.categories},
    }


@_private
@require_http_methods(["GET", "HEAD"])
def receipt(request: HttpRequest, number: str, key: str) -> HttpResponse:
    case = case_by_link(number=number, key=key)
    return render(
        request,
        "dialog/public/receipt.html",
        {"case": case, "tracking_link": request.build_absolute_uri(tracking_path(case))},
    )


@_private
@require_http_methods(["GET", "HEAD", "POST"])
def track(request: HttpRequest, number: str, key: str) -> HttpResponse:
    case = case_by_link(number=number, key=key, tracking=True)
    reply_form = ReplyForm()
    if request.method == "POST" and "resolved" in request.POST:
        return _resolved_set(request, case)
    if request.method == "POST":
        reply_form = ReplyForm(request.POST)
        try:
            slot = resident_post_take(address=_address(request)) if reply_form.is_valid() else None
            if reply_form.is_valid() and slot is None:
                reply_form.add_error(None, ERROR_TOO_MANY_SENT)
            elif reply_form.is_valid() and slot is not None:
                try:
                    services.case_resident_reply(case=case, text=reply_form.cleaned_data["text"])
                except ValidationError as error:
                    resident_post_release(slot)
                    reply_form.add_error(None, error)
                except DatabaseError:
                    with suppress(DatabaseError):
                        resident_post_release(slot)
                    raise
                else:
                    messages.success(request, MESSAGE_REPLY_SENT)
                    return redirect(tracking_path(case))
        except DatabaseError as error:
            not_saved(reply_form, error, where="the tracking page's reply")
    today = timezone.localdate()
    return render(
        request,
        "dialog/public/track.html",
        {
            "case": case,
            "key": key,
            "entries": case_entries_shown(case=case),
            "photos": case_photo_list(case=case),
            "reply_form": reply_form,
            "status_text": STATUS_TEXTS[Status(case.status)],
            "overdue": case.wants_answer and case.is_overdue(today),
            "localtime": timezone.localtime,
            "sections": TRACKING_PAGE(case),
        },
        status=page_status(reply_form),
    )


def _resolved_set(request: HttpRequest, case: Case) -> HttpResponse:
    try:
        services.case_resolved_set(case=case, resolved=request.POST["resolved"] == "yes")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except DatabaseError as error:
        logger.warning("The database refused a write in the tracking page's answer (%s)", type(error).__name__)
        messages.error(request, ERROR_NOT_SAVED_NO_TEXT)
    else:
        messages.success(request, MESSAGE_RESOLVED_THANKS)
    return redirect(tracking_path(case))


@_private
@require_http_methods(["GET", "HEAD"])
def photo(request: HttpRequest, number: str, key: str, photo_id: int) -> FileResponse:
    """A photo of the case, only through its tracking link: photos are never under a public media URL."""
    case = case_by_link(number=number, key=key)
    attachment = case_photo_get(case=case, photo_id=photo_id)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
