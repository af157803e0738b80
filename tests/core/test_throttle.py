"""core/throttle: attempts checked and counted in one step per key, within a sliding window; a slow-down that never
locks; old counters forgotten at most once a window; parallel attempts cannot pass the limit together."""

import datetime

import pytest
import time_machine

from brobygget.core import throttle
from brobygget.core.models import ThrottleCount
from brobygget.core.throttle import (
    throttle_backoff,
    throttle_count,
    throttle_release,
    throttle_take,
)
from tests.threads import in_parallel

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 19, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _no_purge_yet(monkeypatch):
    monkeypatch.setattr(throttle, "_purged", {})


def _take_at(moment: datetime.datetime, value: str = "10.0.0.1", limit: int = 100):
    with time_machine.travel(moment, tick=False):
        return throttle_take(scope="test", value=value, limit=limit, window_minutes=60)


def test_attempts_are_refused_at_the_limit_and_a_refused_one_is_not_counted():
    slots = [_take_at(NOON, limit=3) for _ in range(5)]

    assert [slot is not None for slot in slots] == [True, True, True, False, False]
    with time_machine.travel(NOON, tick=False):
        assert throttle_count(scope="test", value="10.0.0.1", window_minutes=60) == 3
        assert throttle_count(scope="test", value="10.0.0.2", window_minutes=60) == 0
        assert throttle_count(scope="other", value="10.0.0.1", window_minutes=60) == 0


def test_a_released_attempt_no_longer_counts():
    first = _take_at(NOON, limit=1)
    assert first is not None and _take_at(NOON, limit=1) is None

    throttle_release(first)

    assert _take_at(NOON, limit=1) is not None


def test_the_window_slides_over_the_period_before():
    throttle._purged["test"] = float("inf")  # keep every counter, to see what the window alone does
    for _ in range(4):
        _take_at(NOON - datetime.timedelta(minutes=30))  # the period 11:00–12:00

    at = NOON + datetime.timedelta(minutes=15)  # a quarter of the hour since: three quarters of 4 still count
    with time_machine.travel(at, tick=False):
        assert throttle_count(scope="test", value="10.0.0.1", window_minutes=60) == 3
    assert _take_at(at, limit=4) is not None
    assert _take_at(at, limit=4) is None
    assert _take_at(NOON + datetime.timedelta(minutes=61), limit=4) is not None  # two periods on: all forgotten


def test_the_backoff_lets_the_free_tries_through_then_waits_longer_and_longer_up_to_a_maximum():
    def backoff() -> int:
        return throttle_backoff(scope="test", value="anna", free=2, window_minutes=15, max_seconds=5)

    with time_machine.travel(NOON, tick=False) as clock:
        assert [backoff(), backoff()] == [0, 0]
        assert backoff() == 2
        clock.shift(2)
        assert backoff() == 0
        assert backoff() == 4
        clock.shift(4)
        assert backoff() == 0
        assert backoff() == 5  # 8 s, but at most 5
        clock.shift(15 * 60)
        assert [backoff(), backoff()] == [0, 0]  # quiet for a window: free again


def test_old_counters_are_forgotten_at_most_once_a_window_per_process():
    _take_at(NOON - datetime.timedelta(hours=3))  # the process's first attempt: it also forgets old ones (none)
    _take_at(NOON)  # the 3-hour-old counter is kept: this process forgot old ones a moment ago
    assert ThrottleCount.objects.filter(scope="test").count() == 2

    throttle._purged["test"] -= 60 * 60  # a window later
    _take_at(NOON)

    assert ThrottleCount.objects.filter(scope="test").count() == 1  # the old one is gone
    with time_machine.travel(NOON, tick=False):
        assert throttle_count(scope="test", value="10.0.0.1", window_minutes=60) == 2


def test_nothing_but_keyed_hashes_is_stored():
    _take_at(NOON, value="10.9.8.7")

    (row,) = ThrottleCount.objects.all()
    assert "10.9.8.7" not in row.key and len(row.key) == 64


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_never_pass_the_limit_together():
    slots = in_parallel(20, lambda _n: throttle_take(scope="test", value="10.0.0.1", limit=5, window_minutes=60))

    assert sum(slot is not None for slot in slots) == 5
    assert ThrottleCount.objects.get(scope="test").count == 5


@pytest.mark.django_db(transaction=True)
def test_parallel_tries_on_a_slowed_down_account_let_one_through():
    # The clock stands still (tick=False): a ticking one let the wait of the tries after the first come out 4 or 5
    # seconds, by how long the threads took on a busy machine.
    with time_machine.travel(NOON, tick=False):
        for _ in range(2):
            throttle_backoff(scope="test", value="anna", free=2, window_minutes=15, max_seconds=30)
    with time_machine.travel(NOON + datetime.timedelta(seconds=3), tick=False):
        waits = in_parallel(
            10, lambda _n: throttle_backoff(scope="test", value="anna", free=2, window_minutes=15, max_seconds=30)
        )

    assert sorted(waits)[:2] == [0, 4] and waits.count(0) == 1
