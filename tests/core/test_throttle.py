"""core/throttle: hits counted per keyed hash within a window; old hits forgotten at most once a window."""

import datetime

import pytest
import time_machine

from brobygget.core import throttle
from brobygget.core.models import ThrottleHit
from brobygget.core.throttle import throttle_count, throttle_record

pytestmark = pytest.mark.django_db

NOON = datetime.datetime(2026, 6, 19, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _no_purge_yet(monkeypatch):
    monkeypatch.setattr(throttle, "_purged", {})


def _hit_at(moment: datetime.datetime, value: str = "10.0.0.1") -> None:
    with time_machine.travel(moment, tick=False):
        throttle_record(scope="test", value=value, window_minutes=60)


def test_hits_count_within_the_window_only():
    throttle._purged["test"] = float("inf")  # keep every hit, to see what the window alone does
    _hit_at(NOON - datetime.timedelta(minutes=90))
    _hit_at(NOON - datetime.timedelta(minutes=30))
    _hit_at(NOON - datetime.timedelta(minutes=5), value="10.0.0.2")

    with time_machine.travel(NOON, tick=False):
        assert throttle_count(scope="test", value="10.0.0.1", window_minutes=60) == 1
        assert throttle_count(scope="test", value="10.0.0.2", window_minutes=60) == 1
        assert throttle_count(scope="other", value="10.0.0.1", window_minutes=60) == 0


def test_old_hits_are_forgotten_at_most_once_a_window_per_process():
    _hit_at(NOON - datetime.timedelta(hours=3))  # the process's first hit: it also forgets the old ones (none)
    _hit_at(NOON)  # the 3-hour-old hit is kept: this process forgot old hits a moment ago
    assert ThrottleHit.objects.filter(scope="test").count() == 2

    throttle._purged["test"] -= 60 * 60  # a window later
    _hit_at(NOON)

    assert ThrottleHit.objects.filter(scope="test").count() == 2  # the old one is gone, the two new ones stay
    with time_machine.travel(NOON, tick=False):
        assert throttle_count(scope="test", value="10.0.0.1", window_minutes=60) == 2
