"""Throttling of failed logins, per account and per address, shared by every app server via the database."""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from brobygget.core.models import LoginFailure


def _key(kind: str, value: str) -> str:
    # Keyed hashes: the table never holds a username or an IP address.
    return hmac.new(settings.SECRET_KEY.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def login_is_throttled(*, username: str, address: str) -> bool:
    """True when the account or the address has failed too often within the window."""
    recent = LoginFailure.objects.filter(created_at__gte=_window_start())
    account_failures = recent.filter(account_key=_key("account", username.casefold())).count()
    if account_failures >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT:
        return True
    return recent.filter(address_key=_key("address", address)).count() >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


def login_failure_record(*, username: str, address: str) -> None:
    """Count one failed login, and forget failures older than the window."""
    LoginFailure.objects.filter(created_at__lt=_window_start()).delete()
    LoginFailure.objects.create(account_key=_key("account", username.casefold()), address_key=_key("address", address))


def login_failures_clear(*, username: str) -> None:
    """A successful login forgets the account's failures."""
    LoginFailure.objects.filter(account_key=_key("account", username.casefold())).delete()
