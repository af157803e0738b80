"""Counting attempts per key, shared by every worker and app server through the database.

A limit is checked and the attempt counted in one step, so parallel requests cannot all pass a check made before
any of them was counted: `throttle_take` counts first, in one atomic `INSERT … ON CONFLICT DO UPDATE … RETURNING`,
and compares what it got; `throttle_backoff` reads, compares and writes its row while the row is locked
(`SELECT … FOR UPDATE` on PostgreSQL; SQLite's immediate transactions take the write lock when they begin).

Two kinds of counter:
- `throttle_take`: at most `limit` attempts within a sliding window. The window is estimated from two fixed periods
  (the current one, and the one before weighted by how much of it still lies within the window), which needs two
  rows per key instead of one row per attempt.
- `throttle_backoff`: after `free` attempts, each further one waits an increasing few seconds (2, 4, 8, … up to a
  maximum) after the one before. It slows down instead of locking out.

Keys are keyed hashes (HMAC with SECRET_KEY): the table never holds a username or an IP address.
"""

import datetime
import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from brobygget.core.models import ThrottleCount

BACKOFF_PERIOD = 0  # the period of a slow-down row, which has one row per key


def throttle_key(scope: str, value: str) -> str:
    """The keyed hash a value is stored as."""
    return hmac.new(settings.SECRET_KEY.encode(), f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ThrottleSlot:
    """One counted attempt, to give back (`throttle_release`) when it turned out not to count."""

    scope: str
    key: str
    period: int


def _periods(window_minutes: int, now: datetime.datetime) -> tuple[int, float]:
    """The current period and how much of it has passed (0 ≤ x < 1)."""
    seconds = window_minutes * 60
    stamp = now.timestamp()
    return int(stamp // seconds) + 1, (stamp % seconds) / seconds


def _estimate(counts: dict[int, int], period: int, elapsed: float) -> float:
    return counts.get(period, 0) + counts.get(period - 1, 0) * (1 - elapsed)


def _locked_counts(
    *, scope: str, key: str, periods: tuple[int, ...], subject: str, now: datetime.datetime
) -> dict[int, tuple[int, datetime.datetime]]:
    """Make sure the row of the last period exists and lock the rows (call inside a transaction)."""
    ThrottleCount.objects.bulk_create(
        [ThrottleCount(scope=scope, key=key, period=periods[-1], subject=subject, count=0, last_at=now)],
        ignore_conflicts=True,
    )
    rows = (
        ThrottleCount.objects.select_for_update()
        .filter(scope=scope, key=key, period__in=periods)
        .order_by("period")
        .values_list("period", "count", "last_at")
    )
    return {period: (count, last_at) for period, count, last_at in rows}


# Double-quoted names are standard SQL, read alike by PostgreSQL and SQLite.
_INCREMENT_SQL = (
    'INSERT INTO "core_throttlecount" ("scope", "key", "period", "subject", "count", "last_at") '
    "VALUES (%s, %s, %s, %s, 1, %s) "
    'ON CONFLICT ("scope", "key", "period") '
    'DO UPDATE SET "count" = "core_throttlecount"."count" + 1, "last_at" = excluded."last_at" '
    'RETURNING "count"'
)


def _increment(*, scope: str, key: str, period: int, subject: str, now: datetime.datetime) -> int:
    """Count one attempt in the period's row, made when missing, and return the row's count: one statement, atomic
    on its own (the same SQL on PostgreSQL and SQLite, which Django needs at 3.37 or newer)."""
    last_at = ThrottleCount._meta.get_field("last_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(_INCREMENT_SQL, [scope, key, period, subject, last_at])
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def throttle_take(*, scope: str, value: str, limit: int, window_minutes: int, subject: str = "") -> ThrottleSlot | None:
    """Count one attempt of `value` in `scope` if fewer than `limit` were counted within the window; None (and
    nothing counted) when the limit is reached. Safe under any number of parallel requests: the attempt is counted
    first, in one atomic statement, and given back when that made too many, so two attempts can never both see room
    for one (at worst, one is refused while another's attempt is being given back)."""
    key = throttle_key(scope, value)
    now = timezone.now()
    period, elapsed = _periods(window_minutes, now)
    slot = ThrottleSlot(scope=scope, key=key, period=period)
    before: float = _increment(scope=scope, key=key, period=period, subject=subject, now=now) - 1
    if before < limit:  # the period before is closed: what it counted no longer changes
        earlier = ThrottleCount.objects.filter(scope=scope, key=key, period=period - 1).values_list("count", flat=True)
        before += (earlier.first() or 0) * (1 - elapsed)
    if before >= limit:
        throttle_release(slot)
        return None
    _forget_old(scope, window_minutes)
    return slot


def throttle_release(slot: ThrottleSlot) -> None:
    """Give back an attempt counted by `throttle_take` (the submission was not saved, the login succeeded)."""
    ThrottleCount.objects.filter(scope=slot.scope, key=slot.key, period=slot.period, count__gt=0).update(
        count=F("count") - 1
    )


def throttle_count(*, scope: str, value: str, window_minutes: int) -> float:
    """How many attempts `value` has had in `scope` within the window (an estimate; counts nothing)."""
    period, elapsed = _periods(window_minutes, timezone.now())
    rows = ThrottleCount.objects.filter(scope=scope, key=throttle_key(scope, value), period__in=(period - 1, period))
    return _estimate(dict(rows.values_list("period", "count")), period, elapsed)


def throttle_backoff(
    *, scope: str, value: str, free: int, window_minutes: int, max_seconds: int, subject: str = ""
) -> int:
    """Seconds `value` must still wait before its next attempt in `scope`; 0 when it may go on, and then the
    attempt is counted. The first `free` attempts within the window never wait; after them the n-th extra attempt
    waits 2ⁿ seconds (at most `max_seconds`) after the attempt before it. Attempts that must wait are not counted."""
    key = throttle_key(scope, value)
    now = timezone.now()
    with transaction.atomic():
        rows = _locked_counts(scope=scope, key=key, periods=(BACKOFF_PERIOD,), subject=subject, now=now)
        count, last_at = rows[BACKOFF_PERIOD]
        if now - last_at >= datetime.timedelta(minutes=window_minutes):
            count = 0  # quiet for a whole window: start again
        if count >= free:
            wait = min(2 ** (count - free + 1), max_seconds)
            left = (last_at - now).total_seconds() + wait
            if left > 0:
                return math.ceil(left)
        ThrottleCount.objects.filter(scope=scope, key=key, period=BACKOFF_PERIOD).update(count=count + 1, last_at=now)
    _forget_old(scope, window_minutes)
    return 0


def throttle_forget(slot: ThrottleSlot) -> None:
    """Forget every attempt of the slot's key (not only the slot's own)."""
    ThrottleCount.objects.filter(scope=slot.scope, key=slot.key).delete()


def throttle_clear(*, scope: str, value: str) -> int:
    """Forget every attempt of `value` in `scope`; how many counters were removed."""
    deleted, _ = ThrottleCount.objects.filter(scope=scope, key=throttle_key(scope, value)).delete()
    return deleted


def throttle_clear_subject(*, subject: str) -> int:
    """Forget every attempt about `subject` (an account) in every scope; how many counters were removed."""
    deleted, _ = ThrottleCount.objects.filter(subject=subject).delete()
    return deleted


# When this process last forgot a scope's old counters (time.monotonic()).
_purged: dict[str, float] = {}


def _forget_old(scope: str, window_minutes: int) -> None:
    """Counters untouched for two windows no longer count; each process removes them at most once a window, not on
    every attempt (a delete of its own would cost each submission and failed login another statement)."""
    now = time.monotonic()
    if now - _purged.get(scope, -math.inf) >= window_minutes * 60:
        _purged[scope] = now
        since = timezone.now() - datetime.timedelta(minutes=2 * window_minutes)
        ThrottleCount.objects.filter(scope=scope, last_at__lt=since).delete()
