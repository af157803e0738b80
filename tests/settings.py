"""Settings for the test suite: the production module, with test-only values set before it loads."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("BROBYGGET_VAR_DIR", tempfile.mkdtemp(prefix="brobygget-test-"))
# Deadlines must not pass unnoticed in a zone far from UTC; Stockholm is the zone of the product.
os.environ.setdefault("TIME_ZONE", "Europe/Stockholm")

from brobygget.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# The Open311 list cache has its own tests (tests/dialog/open311/test_cache.py); elsewhere a test reads what it wrote.
OPEN311_LIST_CACHE_SECONDS = 0
# The staff statistics are kept a minute in production; their own test (test_staff_statistics.py) turns it on.
STATISTICS_CACHE_SECONDS = 0
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - keeps WhiteNoise quiet; files come from the finders

# django-zeal raises on N+1 queries in every request the tests make.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE, "zeal.middleware.zeal_middleware"]  # noqa: F405
ZEAL_RAISE = True
ZEAL_NPLUSONE_THRESHOLD = 2
# Logging in and out reads the session row again by design (key rotation), not an N+1.
ZEAL_ALLOWLIST = [{"model": "sessions.Session"}]

# SQLite tests use a file, as production does: an in-memory database shared between threads locks
# whole tables, where a file in WAL mode lets concurrent writers wait their turn (busy_timeout).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
