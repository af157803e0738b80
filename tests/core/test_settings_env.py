"""What the settings make of the environment: the kept secret key, the mail backend, the plain-HTTP demo."""

import os
import runpy
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

import brobygget
from brobygget.settings import secret_key_file_read

SETTINGS = Path(brobygget.__file__).parent / "settings.py"


def settings_with(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **environment: str) -> dict[str, Any]:
    """The settings module run afresh in an environment of only these variables (and a var dir of its own)."""
    for name in list(os.environ):
        if name not in {"PATH", "HOME", "LANG"}:
            monkeypatch.delenv(name)
    monkeypatch.setenv("BROBYGGET_VAR_DIR", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_the_secret_key_file_is_made_once_readable_by_its_owner_only_and_then_reused(tmp_path):
    path = tmp_path / "var" / "secret_key"

    first = secret_key_file_read(path)
    second = secret_key_file_read(path)

    assert first == second and len(first) >= 50 and len(set(first)) >= 5  # what Django's check asks of a key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["secret_key"]  # no temporary file is left behind


def test_a_secret_key_file_that_exists_is_read_as_it_is(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("a-key-kept-by-the-operator-0123456789-0123456789-0123456789\n")

    assert secret_key_file_read(path) == "a-key-kept-by-the-operator-0123456789-0123456789-0123456789"


def test_an_empty_secret_key_file_is_refused(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("\n")

    with pytest.raises(ImproperlyConfigured, match="is empty"):
        secret_key_file_read(path)


def test_processes_starting_at_once_all_read_the_same_new_key(tmp_path: Path) -> None:
    path = tmp_path / "secret_key"
    keys: list[str] = []
    start = threading.Barrier(8)

    def read() -> None:
        start.wait()
        keys.append(secret_key_file_read(path))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 8 and len(set(keys)) == 1
    assert keys[0] == path.read_text().strip()


def test_settings_read_the_key_from_secret_key_file_when_secret_key_is_not_set(monkeypatch, tmp_path):
    key_file = tmp_path / "secret_key"

    from_file = settings_with(monkeypatch, tmp_path, SECRET_KEY_FILE=str(key_file))
    again = settings_with(monkeypatch, tmp_path, SECRET_KEY_FILE=str(key_file))
    given = settings_with(monkeypatch, tmp_path, SECRET_KEY_FILE=str(key_file), SECRET_KEY="given-key")

    assert from_file["SECRET_KEY"] == again["SECRET_KEY"] == key_file.read_text().strip()
    assert given["SECRET_KEY"] == "given-key"


def test_production_without_a_key_does_not_start(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY or SECRET_KEY_FILE"):
        settings_with(monkeypatch, tmp_path)
    assert list(tmp_path.iterdir()) == []  # no key was made behind the operator's back


def test_production_sends_by_smtp_and_the_outbox_is_used_only_when_chosen(monkeypatch, tmp_path):
    production = settings_with(monkeypatch, tmp_path, SECRET_KEY="k", EMAIL_HOST="smtp.kommun.se")
    demo = settings_with(monkeypatch, tmp_path, SECRET_KEY="k", MAIL_BACKEND="outbox")

    assert production["MAILERS"]["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert production["MAILERS"]["default"]["OPTIONS"]["host"] == "smtp.kommun.se"
    assert demo["MAILERS"] == {"default": {"BACKEND": "brobygget.core.outbox.OutboxBackend"}}
    with pytest.raises(ImproperlyConfigured, match="MAIL_BACKEND must be smtp or outbox"):
        settings_with(monkeypatch, tmp_path, SECRET_KEY="k", MAIL_BACKEND="outlook")


def test_production_is_https_only_and_the_plain_http_demo_turns_that_off_explicitly(monkeypatch, tmp_path):
    production = settings_with(monkeypatch, tmp_path, SECRET_KEY="k")
    demo = settings_with(
        monkeypatch,
        tmp_path,
        SECRET_KEY="k",
        BROBYGGET_DEMO="1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        ALLOWED_HOSTS="localhost,127.0.0.1,[::1],vm",
        SITE_URL="http://vm:8080/",
    )

    assert production["DEBUG"] is False and production["DEMO"] is False
    assert production["SECURE_SSL_REDIRECT"] and production["SESSION_COOKIE_SECURE"]
    assert production["CSRF_COOKIE_SECURE"]
    assert demo["DEBUG"] is False and demo["DEMO"] is True
    assert not (demo["SECURE_SSL_REDIRECT"] or demo["SESSION_COOKIE_SECURE"] or demo["CSRF_COOKIE_SECURE"])
    assert demo["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]", "vm"]
    assert demo["SITE_URL"] == "http://vm:8080"
    assert "brobygget.W001" in demo["SILENCED_SYSTEM_CHECKS"]  # SQLite is the demo's choice
    assert "brobygget.W001" not in production["SILENCED_SYSTEM_CHECKS"]


def test_on_postgresql_a_query_run_more_than_five_times_is_prepared_on_the_server(monkeypatch, tmp_path):
    options = settings_with(
        monkeypatch, tmp_path, DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:5432/brobygget"
    )["DATABASES"]["default"]["OPTIONS"]

    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    assert "lock_timeout=5s" in options["options"]


def test_preparing_on_the_server_can_be_turned_off_and_sqlite_has_no_such_options(monkeypatch, tmp_path):
    off = settings_with(
        monkeypatch,
        tmp_path,
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/brobygget",
        DATABASE_PREPARE_THRESHOLD="0",
    )["DATABASES"]["default"]["OPTIONS"]
    sqlite = settings_with(monkeypatch, tmp_path, DEBUG="1")["DATABASES"]["default"]["OPTIONS"]

    assert "server_side_binding" not in off and "prepare_threshold" not in off
    assert "server_side_binding" not in sqlite and "prepare_threshold" not in sqlite
