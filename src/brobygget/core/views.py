"""Pages of the core: principles, health, login and password; the municipality's contact, privacy and accessibility
pages and its logo (core/face.py)."""

import mimetypes
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from brobygget.core.audit import audit_record
from brobygget.core.face import municipality_face, municipality_public
from brobygget.core.forms import (
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
    ThrottledPasswordResetForm,
    password_reset_allowed,
)
from brobygget.core.logins import login_device_remember, login_unlock
from brobygget.core.selectors import principle_list
from brobygget.core.shared_pages import render_shared

MESSAGE_PASSWORD_CHANGED = _("Your password has been changed.")


def principles(request: HttpRequest) -> HttpResponse:
    # request.person is set (lazily) by the organisation app's middleware; core imports no domain app.
    person = getattr(request, "person", None)
    items = principle_list(actor=request.user, municipality_id=person.municipality_id if person else None)
    return render(request, "core/principles.html", {"items": items})


DIGG_REPORT_URL = "https://www.digg.se/tdosanmalan"  # Digg's form for reporting a site that is not accessible
LOGO_MAX_AGE_SECONDS = 365 * 24 * 3600  # the logo's address changes with the logo (Face.logo_url)


def _face_page(request: HttpRequest, template_name: str, page: str, **context: Any) -> HttpResponse:
    """A page made of the municipality's face and texts only: the same for every visitor, kept per version of the
    face (the key of every kept page names it, core/shared_pages)."""
    municipality = municipality_public()
    return render_shared(
        request,
        template_name,
        {"municipality": municipality, **context},
        key=page,
        timeout=settings.PUBLIC_SETUP_CACHE_SECONDS,
        fresh={},
    )


@require_http_methods(["GET", "HEAD"])
def contact(request: HttpRequest) -> HttpResponse:
    return _face_page(request, "core/contact.html", "contact")


@require_http_methods(["GET", "HEAD"])
def privacy(request: HttpRequest) -> HttpResponse:
    return _face_page(request, "core/privacy.html", "privacy")


@require_http_methods(["GET", "HEAD"])
def accessibility(request: HttpRequest) -> HttpResponse:
    return _face_page(request, "core/accessibility.html", "accessibility", digg_report_url=DIGG_REPORT_URL)


@require_http_methods(["GET", "HEAD"])
def municipality_logo(request: HttpRequest) -> FileResponse:
    """The logo, from Django's storage. Served by this view rather than as a media file: the media folder also
    holds residents' photos, which must never be reachable by their address."""
    face = municipality_face()
    if face.municipality is None or not face.municipality.logo:
        raise Http404
    name = face.municipality.logo.name or ""
    try:
        file = default_storage.open(name, "rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(file, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream")
    if request.GET.get("v") == face.version:
        response.headers["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE_SECONDS}, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


class LoginView(auth_views.LoginView):
    """The one login page: staff, and the admin (whose own login page sends here)."""

    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action="account.logged_in", target=form.get_user(), municipality=None)
        login_device_remember(self.request, response, form.get_user().get_username())
        return response


def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin's login page: the staff login, so that every way in shares one throttle (core/logins)."""
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("admin:index")  # only to this site
    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            return redirect(target)
        raise PermissionDenied  # logged in but not an administrator: sending to the login again would loop
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("my_page")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="account.password_changed", target=form.user, municipality=None)
        messages.success(self.request, MESSAGE_PASSWORD_CHANGED)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """ "Glömt lösenord?": the same answer whether the address belongs to an account or not; throttled per address
    (a message) and per e-mail address (silently: a message would tell that the address was asked for before)."""

    template_name = "core/password_reset_form.html"
    form_class = ThrottledPasswordResetForm
    email_template_name = "core/password_reset_email.txt"
    subject_template_name = "core/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> HttpResponse:
        if not password_reset_allowed(email=form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"site_url": settings.SITE_URL, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.user, action="account.password_reset", target=form.user, municipality=None)
        login_unlock(username=form.user.get_username())  # who could read the mail may try the new password at once
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"
