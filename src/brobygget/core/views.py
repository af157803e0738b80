"""Pages of the core: principles, health, login and password."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from brobygget.core.audit import audit_record
from brobygget.core.forms import (
    ThrottledAuthenticationForm,
    ThrottledPasswordChangeForm,
    ThrottledPasswordResetForm,
    password_reset_allowed,
)
from brobygget.core.logins import login_device_remember, login_unlock
from brobygget.core.selectors import principle_list

MESSAGE_PASSWORD_CHANGED = _("Your password has been changed.")


def principles(request: HttpRequest) -> HttpResponse:
    # request.person is set (lazily) by the organisation app's middleware; core imports no domain app.
    person = getattr(request, "person", None)
    items = principle_list(actor=request.user, municipality_id=person.municipality_id if person else None)
    return render(request, "core/principles.html", {"items": items})


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
