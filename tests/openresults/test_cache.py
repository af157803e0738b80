"""The public cache: a kept page asks the database nothing, a publication or withdrawal shows at once, and with
Redis two app server processes see the change at once."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygget.openresults.cache import GENERATION_KEY, public_changed, public_generation, public_key
from brobygget.openresults.services import publication_publish, publication_withdraw

PAGE = "/resultat/du-sa-vi-gjorde/"
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.mark.django_db
def test_a_kept_page_asks_the_database_nothing_until_something_is_published(adopted_summary, publish, client):
    publish(adopted_summary(title="Lagade gungor"))
    first = client.get(PAGE).content.decode()

    with CaptureQueriesContext(connection) as kept:
        again = client.get(PAGE).content.decode()

    assert "Lagade gungor" in first and "Lagade gungor" in again
    assert [query["sql"] for query in kept.captured_queries if "openresults" in query["sql"]] == []
    publish(adopted_summary(title="Nya bänkar"))
    assert "Nya bänkar" in client.get(PAGE).content.decode()


@pytest.mark.django_db
def test_a_new_publication_shows_at_once_on_the_page_feed_downloads_and_filters(adopted_summary, publish, client):
    urls = [PAGE, PAGE + "?sida=1", "/resultat/du-sa-vi-gjorde/flode.atom", "/resultat/du-sa-vi-gjorde.csv"]
    publish(adopted_summary(title="Lagade gungor"))
    kept = {url: client.get(url).content.decode() for url in urls}
    assert all("Nya bänkar" not in body for body in kept.values())

    publish(adopted_summary(title="Nya bänkar"))

    assert all("Nya bänkar" in client.get(url).content.decode() for url in urls)


def test_the_generation_moves_on_and_starts_again_from_the_clock_when_it_is_lost():
    before = public_generation()
    key = public_key("page", "x")

    public_changed()

    assert public_generation() == before + 1
    assert public_key("page", "x") != key
    cache.delete(GENERATION_KEY)
    public_changed()
    assert public_generation() > before + 1  # never back to a number an old entry may carry


@pytest.mark.django_db
def test_a_rolled_back_publication_moves_nothing(org, adopted_summary, django_capture_on_commit_callbacks):
    improvement = adopted_summary()
    before = public_generation()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        publication_publish(actor=org["member"].user, improvement_id=improvement.pk, confirmed="wrong")

    assert public_generation() == before


# Two app servers on one Redis.


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    return f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT']}/{config['NAME']}"


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return str(response.read().decode())


@pytest.fixture
def shared_redis(settings) -> Iterator[str]:
    """This test process and the servers it starts on one Redis, under a key prefix of their own."""
    if not _redis_up():
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (.ci/run starts it)")
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def two_servers(shared_redis: str) -> Iterator[list[int]]:
    """Two gunicorn processes, as production runs them, on the test database and the shared Redis."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        # Kept after ours: under the moved clock (.ci/moved-clock) it names the sitecustomize that time.sleep needs.
        "PYTHONPATH": os.pathsep.join(path for path in (str(ROOT), os.environ.get("PYTHONPATH", "")) if path),
        "DATABASE_URL": _database_url(),
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": shared_redis,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    ports = [_free_port(), _free_port()]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    servers = [
        subprocess.Popen(  # noqa: S603
            [gunicorn, "brobygget.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port in ports:
            while True:
                try:
                    _get(port, "/healthz")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield ports
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_on_redis_see_a_publication_and_a_withdrawal_at_once(
    org, adopted_summary, two_servers, publish
):
    first = adopted_summary(title="Lagade gungor")
    publish(first)
    assert all("Lagade gungor" in _get(port, PAGE) for port in two_servers)  # now kept in the shared cache

    second = publish(adopted_summary(title="Nya bänkar"))

    assert all("Nya bänkar" in _get(port, PAGE) for port in two_servers)
    publication_withdraw(actor=org["member"].user, publication=second, reason="Fel enhet.")
    assert all("Nya bänkar" not in _get(port, PAGE) for port in two_servers)
    assert all("Lagade gungor" in _get(port, PAGE) for port in two_servers)
