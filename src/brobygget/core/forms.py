"""Forms of the core pages: login with throttling."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from brobygget.core.throttle import login_failure_record, login_failures_clear, login_is_throttled

ERROR_THROTTLED = _(
    "Too many failed logins. Wait a quarter of an hour and try again, or ask your administrator for help."
)
ERROR_INVALID_LOGIN = _("The username or the password is wrong. Both are case-sensitive.")


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
        if username and login_is_throttled(username=username, address=address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                login_failure_record(username=username, address=address)
            raise
        login_failures_clear(username=username)
        return cleaned
