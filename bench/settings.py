"""Settings for the benchmarks: the production module with DEBUG off, served on 127.0.0.1 over plain HTTP.

The only addition is `ROOT_URLCONF = "bench.urls"`, which routes the bare view `/bench/bare/` (the
baseline every page is compared with) behind the same middleware. It exists in these settings only.

The resident form's protection against automated posts is opened, because the benchmark is one: it posts
the form the moment it has read it, thousands of times an hour from one address. The checks still run
(the signed time is read, the address's posts are counted and recorded); only their limits are lifted.
"""

import os
from pathlib import Path

# What is measured is the production configuration: DEBUG is off whatever the environment says.
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
os.environ.setdefault("BROBYGGET_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench"))

from brobygget.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Plain HTTP on the loopback: no redirect to HTTPS, cookies without the Secure flag, no HSTS.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# The benchmark posts the resident form at once and from one address (docs/benchmarks.md).
DIALOG_MIN_FILL_SECONDS = 0
DIALOG_SUBMISSIONS_PER_HOUR = 1_000_000_000
# No task worker runs during a benchmark: the receipts its posts queue wait by design, and /healthz (which each
# server start waits for) must not take them for a dead worker (docs/operations.md, Health).
HEALTH_MAX_TASK_WAIT_SECONDS = 1_000_000_000
