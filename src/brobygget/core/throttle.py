"""Counting attempts per key within a time window, shared by every app server through the database.

Keys are keyed hashes (HMAC with SECRET_KEY): the table never holds a username or an IP address.
"""

import datetime
import hashlib
import hmac
import math
import time

from django.conf import settings
from django.utils import timezone

from brobygget.core.models import ThrottleHit


def _key(scope: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def throttle_count(*, scope: str, value: str, window_minutes: int) -> int:
    """How many hits `value` has had in `scope` within the last `window_minutes`."""
    since = timezone.now() - datetime.timedelta(minutes=window_minutes)
    return ThrottleHit.objects.filter(scope=scope, key=_key(scope, value), created_at__gte=since).count()


# When this process last forgot a scope's old hits (time.monotonic()).
_purged: dict[str, float] = {}


def throttle_record(*, scope: str, value: str, window_minutes: int) -> None:
    """Count one hit. Hits older than the window no longer count; each process forgets them at most once a window,
    not on every hit (a delete of its own would cost each submission and failed login a second transaction)."""
    ThrottleHit.objects.create(scope=scope, key=_key(scope, value))
    now = time.monotonic()
    if now - _purged.get(scope, -math.inf) >= window_minutes * 60:
        _purged[scope] = now
        since = timezone.now() - datetime.timedelta(minutes=window_minutes)
        ThrottleHit.objects.filter(scope=scope, created_at__lt=since).delete()


def throttle_clear(*, scope: str, value: str) -> None:
    """Forget every hit of `value` in `scope`."""
    ThrottleHit.objects.filter(scope=scope, key=_key(scope, value)).delete()
