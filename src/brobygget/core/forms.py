"""Forms of the core pages: login, password change and password reset, all throttled (core/logins)."""

import logging
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from brobygget.core.logins import LoginRefused, login_gate_enter, login_gate_passed
from brobygget.core.throttle import throttle_take

logger = logging.getLogger(__name__)

RESET_SCOPE_ADDRESS = "password-reset-address"
RESET_SCOPE_EMAIL = "password-reset-email"
RESET_WINDOW_MINUTES = 60

ERROR_THROTTLED = _(
    "Too many failed logins. Wait a quarter of an hour and try again, or ask your administrator for help."
)
ERROR_SLOWED_DOWN = _("Many failed logins to this account in a short time. Wait a few seconds and try again.")
ERROR_INVALID_LOGIN = _("The username or the password is wrong. Both are case-sensitive.")
ERROR_RESETS_THROTTLED = _("Too many requests for a new password from here. Try again in an hour.")


def _refusal(refused: LoginRefused) -> forms.ValidationError:
    if refused.wait_seconds is None:
        return forms.ValidationError(ERROR_THROTTLED, code="throttled")
    return forms.ValidationError(ERROR_SLOWED_DOWN, code="slowed_down")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form; each try is counted before the password is looked at, and refused when too many failed."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": ERROR_INVALID_LOGIN}

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        try:
            gate = login_gate_enter(self.request, username)
        except LoginRefused as refused:
            raise _refusal(refused) from None
        cleaned = super().clean()  # a wrong password raises: the try stays counted
        login_gate_passed(gate)
        return cleaned


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change; the old password is a login like any other, throttled the same way."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        try:
            gate = login_gate_enter(self.request, self.user.get_username())
        except LoginRefused as refused:
            raise _refusal(refused) from None
        old_password: str = super().clean_old_password()
        login_gate_passed(gate)
        return old_password


def password_reset_allowed(*, email: str) -> bool:
    """Whether a reset mail may go to this e-mail address now (counted in the same step)."""
    limit = settings.PASSWORD_RESETS_PER_HOUR
    slot = throttle_take(
        scope=RESET_SCOPE_EMAIL, value=email.casefold(), limit=limit, window_minutes=RESET_WINDOW_MINUTES
    )
    return slot is not None


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's password reset form: a limited number of requests per address; the mail's failure is logged, not
    shown, so that the answer is the same whether the address belongs to an account or not."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if not self.errors:
            address = self.request.META.get("REMOTE_ADDR", "") if self.request is not None else ""
            limit = settings.PASSWORD_RESETS_PER_HOUR
            slot = throttle_take(
                scope=RESET_SCOPE_ADDRESS, value=address, limit=limit, window_minutes=RESET_WINDOW_MINUTES
            )
            if slot is None:
                raise forms.ValidationError(ERROR_RESETS_THROTTLED, code="throttled")
        return cleaned

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        try:
            super().send_mail(*args, **kwargs)
        except Exception:
            logger.warning("The password reset mail could not be sent.", exc_info=True)
