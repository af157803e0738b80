"""The resident's private tracking link: /arende/<number>/<key>/, where the key is an HMAC of the case
and a random salt. Nothing secret is stored, so a mail task can rebuild the link at any time."""

import secrets

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from brobygget.dialog.models import Case

_PURPOSE = "brobygget.dialog.tracking"


def tracking_salt_new() -> str:
    return secrets.token_hex(16)


def tracking_key(case: Case, secret: str | None = None) -> str:
    return _key(case.pk, case.tracking_salt, secret)


def _key(pk: int, salt: str, secret: str | None) -> str:
    return salted_hmac(_PURPOSE, f"{pk}:{salt}", secret=secret, algorithm="sha256").hexdigest()[:32]


def _matches(pk: int, salt: str, key: str) -> bool:
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_key(pk, salt, secret), key) for secret in secrets_to_try)


def tracking_key_matches(case: Case, key: str) -> bool:
    """True when `key` is the case's key under the current secret or a fallback (keys survive a rotation)."""
    return _matches(case.pk, case.tracking_salt, key)


def tracking_key_check_idle(key: str) -> None:
    """The work of `tracking_key_matches` for a link whose number is no case's, its answer thrown away: a wrong key
    then takes as long whether the number exists or not, so the time of a 404 does not tell which numbers do."""
    _matches(0, "", key)


def tracking_path(case: Case) -> str:
    return reverse("dialog:track", args=[case.number, tracking_key(case)])


def tracking_url(case: Case) -> str:
    return settings.SITE_URL + tracking_path(case)
