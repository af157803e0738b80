"""Forms of the core pages: login with throttling."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from brobygget.core.throttle import throttle_clear, throttle_count, throttle_record

ERROR_THROTTLED = _(
    "Too many failed logins. Wait a quarter of an hour and try again, or ask your administrator for help."
)
ERROR_INVALID_LOGIN = _("The username or the password is wrong. Both are case-sensitive.")


def _login_is_throttled(username: str, address: str) -> bool:
    window = settings.LOGIN_FAILURE_WINDOW_MINUTES
    return (
        throttle_count(scope="login-account", value=username.casefold(), window_minutes=window)
        >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
        or throttle_count(scope="login-address", value=address, window_minutes=window)
        >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": ERROR_INVALID_LOGIN,
        "throttled": ERROR_THROTTLED,
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if username and _login_is_throttled(username, address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                window = settings.LOGIN_FAILURE_WINDOW_MINUTES
                throttle_record(scope="login-account", value=username.casefold(), window_minutes=window)
                throttle_record(scope="login-address", value=address, window_minutes=window)
            raise
        throttle_clear(scope="login-account", value=username.casefold())
        return cleaned
