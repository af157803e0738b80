"""One throttle for every way to log in: the staff login, the admin (whose login page sends to the staff login) and
the old password asked on /konto/losenord/ (a held session must not be able to guess the password).

Three counters, checked and counted in one step each (core/throttle), so parallel tries cannot pass together:
- the pair (account, address): locked after LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures within the window;
- the address: locked after LOGIN_FAILURE_LIMIT_PER_ADDRESS failures on any accounts within the window;
- the account as a whole: never locked, slowed down: after LOGIN_FAILURE_LIMIT_PER_ACCOUNT failures each further
  try waits an increasing few seconds (at most LOGIN_SLOWDOWN_MAX_SECONDS) after the one before.

A browser that has logged in to the account before (a signed cookie holding keyed hashes of the accounts, no name)
is a known device: neither the address's lock nor the account's slow-down applies to it, and its pair is counted
apart from the unknown ones, so nobody else can lock a person out of the account from where they work.

What is stored are keyed hashes (HMAC with SECRET_KEY): no username, no address.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from brobygget.core.throttle import (
    ThrottleSlot,
    throttle_backoff,
    throttle_clear,
    throttle_clear_subject,
    throttle_forget,
    throttle_key,
    throttle_release,
    throttle_take,
)

SCOPE_PAIR = "login-pair"
SCOPE_ADDRESS = "login-address"
SCOPE_ACCOUNT = "login-account"
SUBJECT_SCOPE = "login-subject"
DEVICE_SCOPE = "login-device"

DEVICE_COOKIE = "brobygget_device"
DEVICE_SALT = "brobygget.core.logins.device"
DEVICE_COOKIE_DAYS = 365
DEVICE_ACCOUNTS_KEPT = 10


class LoginRefused(Exception):
    """The try is refused before the password is looked at: locked (wait_seconds None) or slowed down."""

    def __init__(self, wait_seconds: int | None = None) -> None:
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class LoginGate:
    """The counted try, to clear when the password was right."""

    account: str
    known: bool
    pair: ThrottleSlot
    address: ThrottleSlot | None


def _account(username: str) -> str:
    return username.casefold()


def _address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def login_subject(username: str) -> str:
    """The keyed hash every login counter of the account carries, so that an administrator can unlock it."""
    return throttle_key(SUBJECT_SCOPE, _account(username))


def _device_accounts(request: HttpRequest | None) -> list[str]:
    value = request.COOKIES.get(DEVICE_COOKIE, "") if request is not None else ""
    if not value:
        return []
    try:
        accounts = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_COOKIE_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return []
    return [str(account) for account in accounts] if isinstance(accounts, list) else []


def login_device_known(request: HttpRequest | None, username: str) -> bool:
    """Whether this browser has logged in to the account before."""
    return throttle_key(DEVICE_SCOPE, _account(username)) in _device_accounts(request)


def login_device_remember(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """Mark this browser as one that has logged in to the account (a long-lived signed cookie of keyed hashes)."""
    mine = throttle_key(DEVICE_SCOPE, _account(username))
    accounts = [mine] + [account for account in _device_accounts(request) if account != mine]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(accounts[:DEVICE_ACCOUNTS_KEPT], salt=DEVICE_SALT),
        max_age=DEVICE_COOKIE_DAYS * 24 * 60 * 60,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def login_gate_enter(request: HttpRequest | None, username: str) -> LoginGate:
    """Count a try at the account's password; LoginRefused, with nothing counted, when it must not be tried now."""
    account, address = _account(username), _address(request)
    known = login_device_known(request, username)
    subject = login_subject(username)
    window = settings.LOGIN_FAILURE_WINDOW_MINUTES
    pair = throttle_take(
        scope=SCOPE_PAIR,
        value=f"{account}\n{address}\n{'known' if known else ''}",
        limit=settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
        window_minutes=window,
        subject=subject,
    )
    if pair is None:
        raise LoginRefused()
    if known:
        return LoginGate(account=account, known=True, pair=pair, address=None)
    address_slot = throttle_take(
        scope=SCOPE_ADDRESS, value=address, limit=settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, window_minutes=window
    )
    if address_slot is None:
        throttle_release(pair)
        raise LoginRefused()
    wait = throttle_backoff(
        scope=SCOPE_ACCOUNT,
        value=account,
        free=settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
        window_minutes=window,
        max_seconds=settings.LOGIN_SLOWDOWN_MAX_SECONDS,
        subject=subject,
    )
    if wait:
        throttle_release(pair)
        throttle_release(address_slot)
        raise LoginRefused(wait)
    return LoginGate(account=account, known=False, pair=pair, address=address_slot)


def login_gate_passed(gate: LoginGate) -> None:
    """The password was right: the pair's and the account's failures are forgotten, the address's try given back."""
    throttle_forget(gate.pair)
    if gate.address is not None:
        throttle_release(gate.address)
    throttle_clear(scope=SCOPE_ACCOUNT, value=gate.account)


def login_unlock(*, username: str, address: str = "") -> int:
    """Unlock an account (every pair of it and its slow-down), and the address when given; how many counters went."""
    removed = throttle_clear_subject(subject=login_subject(username))
    if address:
        removed += throttle_clear(scope=SCOPE_ADDRESS, value=address)
    return removed
