"""Brobygget settings: one module, driven by environment variables.

Every variable read here is documented in README.md (a test checks it).
"""

import contextlib
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("BROBYGGET_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def secret_key_file_read(path: Path) -> str:
    """The key kept in `path`. When the file is missing, a new random key is written there first (mode 600).

    The web workers and the task worker may start at once: the key is written to a temporary file and
    linked into place, which fails when the file exists, so exactly one key wins and every process reads it.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 600
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_urlsafe(50) + "\n")
            with contextlib.suppress(FileExistsError):  # another process was first: its key is the key
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"SECRET_KEY_FILE {path} is empty: delete it to have a new key made.")
    return key


DEBUG = env_bool("DEBUG", False)
# The demo (`make run`): may load the demo data, with its known passwords, with DEBUG off.
DEMO = env_bool("BROBYGGET_DEMO", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY and env_str("SECRET_KEY_FILE", ""):
    SECRET_KEY = secret_key_file_read(Path(env_str("SECRET_KEY_FILE", "")))
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY or SECRET_KEY_FILE must be set when DEBUG is off (see README, Configuration)."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 - only with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "brobygget.core",
    "brobygget.organisation",
    "brobygget.dialog",
    "brobygget.goals",
    "brobygget.improvement",
    "brobygget.openresults",
    "brobygget.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "django_tasks_db",
    "ninja",  # its docs page's Swagger UI from our static files, not a CDN
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",  # before CommonMiddleware; only /api/ (CORS_URLS_REGEX)
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "brobygget.core.middleware.StaffNoStoreMiddleware",
    "brobygget.organisation.middleware.PersonMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "brobygget.urls"
WSGI_APPLICATION = "brobygget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "brobygget.core.jinja2.environment",
            "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
            "autoescape": True,
        },
    },
    {
        # The admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Widgets are rendered by the engines above: Django's Jinja2 widget templates (django.forms) in the pages' own
# environment, the admin's widgets by the Django templates.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'brobygget.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))}
# How long a write waits for another's lock before it fails: the page then keeps what was typed and says "try
# again" (docs/operations.md), rather than holding the person for long. SQLite's busy timeout, PostgreSQL's
# lock_timeout (which by default waits for ever).
DATABASE_LOCK_WAIT_SECONDS = env_int("DATABASE_LOCK_WAIT_SECONDS", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={DATABASE_LOCK_WAIT_SECONDS * 1000};"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c lock_timeout={DATABASE_LOCK_WAIT_SECONDS}s".strip()
    # Server-side binding, and psycopg prepares a query the connection has run this many times (0: never): the
    # server then plans it once instead of at every request. Planning was most of PostgreSQL's time on our pages
    # (the case page's 13 queries: 0.4–1 ms of planning each, 0.1–0.4 ms of execution); measured in-process at
    # size M the case page 12.3 -> 8.0 ms, a leader's Min sida 20.1 -> 16.4 ms (docs/benchmarks.md). Behind a
    # PgBouncer in transaction mode older than 1.21, set it to 0.
    _prepare_after = env_int("DATABASE_PREPARE_THRESHOLD", 5)
    if _prepare_after > 0:
        _pg_options["server_side_binding"] = True
        _pg_options["prepare_threshold"] = _prepare_after
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# A task RUNNING longer than this is taken as dead (its worker was killed) and run again (docs/operations.md).
TASKS_STALE_AFTER_SECONDS = env_int("TASKS_STALE_AFTER_SECONDS", 600)
# /healthz answers 503 when the oldest task ready to run has waited longer than this: no worker takes work.
HEALTH_MAX_TASK_WAIT_SECONDS = env_int("HEALTH_MAX_TASK_WAIT_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_page"
LOGOUT_REDIRECT_URL = "home"

# Sliding idle timeout: every request renews the session, so it expires after this much inactivity.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 60)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env_int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", 5)
LOGIN_FAILURE_LIMIT_PER_ADDRESS = env_int("LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
LOGIN_FAILURE_WINDOW_MINUTES = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15)
# An account is never locked as a whole, only slowed down: at most this many seconds between tries (core/logins).
LOGIN_SLOWDOWN_MAX_SECONDS = env_int("LOGIN_SLOWDOWN_MAX_SECONDS", 30)
# "Glömt lösenord?": how long a reset link works, and how many resets one address or one e-mail address may ask for.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
PASSWORD_RESETS_PER_HOUR = env_int("PASSWORD_RESETS_PER_HOUR", 5)
OPEN311_POSTS_PER_MINUTE = env_int("OPEN311_POSTS_PER_MINUTE", 60)
DIALOG_MIN_FILL_SECONDS = env_int("DIALOG_MIN_FILL_SECONDS", 3)
DIALOG_SUBMISSIONS_PER_HOUR = env_int("DIALOG_SUBMISSIONS_PER_HOUR", 10)

# Kolada, the national database of municipal key figures (docs/goals.md): tests and air-gapped installations point
# the base URL elsewhere; the client keeps to a polite rate and gives up on an answer after the timeout.
KOLADA_BASE_URL = env_str("KOLADA_BASE_URL", "https://api.kolada.se/v3").rstrip("/")
KOLADA_TIMEOUT_SECONDS = env_int("KOLADA_TIMEOUT_SECONDS", 20)
KOLADA_REQUESTS_PER_SECOND = env_int("KOLADA_REQUESTS_PER_SECOND", 5)
KOLADA_RETRIES = env_int("KOLADA_RETRIES", 4)

# Each process keeps its own cache in memory: what is cached is public and short-lived (docs/operations.md). With
# CACHE_URL (or REDIS_URL) the cache is Redis, shared by every app server, so a publication shows on all of them at
# once (docs/openresults.md, "The public cache").
CACHE_URL = env_str("CACHE_URL", "") or env_str("REDIS_URL", "")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "brobygget")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis://, rediss:// or unix:// address, not {CACHE_URL!r}")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brobygget"}}
# How long a public results page is kept at most; a publication or a withdrawal shows at once all the same.
PUBLIC_RESULTS_CACHE_SECONDS = env_int("PUBLIC_RESULTS_CACHE_SECONDS", 600)
PUBLIC_SETUP_CACHE_SECONDS = env_int("PUBLIC_SETUP_CACHE_SECONDS", 60)
# The open-data API (/api/v1/, docs/openresults.md): read by anyone from any origin, at most this many requests a
# minute from one address (429 with Retry-After beyond it).
API_REQUESTS_PER_MINUTE = env_int("API_REQUESTS_PER_MINUTE", 120)
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("Retry-After",)
NINJA_PAGINATION_MAX_LIMIT = 1000
OPEN311_LIST_CACHE_SECONDS = env_int("OPEN311_LIST_CACHE_SECONDS", 60)
STATISTICS_CACHE_SECONDS = env_int("STATISTICS_CACHE_SECONDS", 60)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Our English dates: day, month, year and a 24-hour clock, as the Swedish pages write them (core/formats/en).
FORMAT_MODULE_PATH = ["brobygget.core.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG

# SMTP in production; the demo keeps its mail in the database instead, for the admin's Utkorg (core/outbox.py).
MAIL_BACKEND = env_str("MAIL_BACKEND", "smtp")
if MAIL_BACKEND == "smtp":
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 10,
            },
        }
    }
elif MAIL_BACKEND == "outbox":
    MAILERS = {"default": {"BACKEND": "brobygget.core.outbox.OutboxBackend"}}
else:
    raise ImproperlyConfigured(f"MAIL_BACKEND must be smtp or outbox, not {MAIL_BACKEND!r}")
# The address residents reach the site at: links in mail are made from it.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "brobygget@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Behind a TLS-terminating proxy in production.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SILENCED_SYSTEM_CHECKS = [
    "security.W021",  # HSTS preload is the municipality's own decision.
    "models.W040",  # SQLite makes an index's key columns only; PostgreSQL also keeps its INCLUDE columns.
]
if DEMO:
    SILENCED_SYSTEM_CHECKS.append("brobygget.W001")  # the demo runs on SQLite by design

# The resident pages' map (Leaflet, in our static files): where its tiles come from, what it must credit, where it
# starts. The tile server's address is the one other origin a page may load images from.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
MAP_CENTER = tuple(float(part) for part in env_list("MAP_CENTER", "59.3793,17.0290"))
MAP_ZOOM = env_int("MAP_ZOOM", 13)
if len(MAP_CENTER) != 2:
    raise ImproperlyConfigured(f"MAP_CENTER must be latitude,longitude, not {MAP_CENTER!r}")
_tiles = urlsplit(MAP_TILE_URL)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", f"{_tiles.scheme}://{_tiles.netloc}"],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
