"""What the settings make of CACHE_URL / REDIS_URL: Django's own Redis backend, or each process's memory."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.core.test_settings_env import settings_with


def test_without_an_address_each_process_keeps_its_own_cache(monkeypatch, tmp_path):
    settings = settings_with(monkeypatch, tmp_path, DEBUG="1")

    assert settings["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


@pytest.mark.parametrize("name", ["CACHE_URL", "REDIS_URL"])
def test_a_redis_address_makes_the_cache_djangos_redis_backend(monkeypatch, tmp_path, name):
    settings = settings_with(monkeypatch, tmp_path, DEBUG="1", **{name: "redis://127.0.0.1:6379/2"})

    assert settings["CACHES"]["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/2",
        "KEY_PREFIX": "brobygget",
    }


def test_cache_url_wins_over_redis_url_and_the_prefix_is_set(monkeypatch, tmp_path):
    settings = settings_with(
        monkeypatch,
        tmp_path,
        DEBUG="1",
        CACHE_URL="redis://cache:6379/0",
        REDIS_URL="redis://other:6379/0",
        CACHE_KEY_PREFIX="sjobacka",
    )

    assert settings["CACHES"]["default"]["LOCATION"] == "redis://cache:6379/0"
    assert settings["CACHES"]["default"]["KEY_PREFIX"] == "sjobacka"


def test_an_address_that_is_not_redis_stops_the_start_with_a_message(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be a redis://"):
        settings_with(monkeypatch, tmp_path, DEBUG="1", CACHE_URL="memcached://127.0.0.1:11211")
