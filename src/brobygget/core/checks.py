"""Project system checks: misconfiguration fails at start, with the fix in the hint."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    if settings.SESSION_IDLE_MINUTES < 1:
        messages.append(
            Error(
                "SESSION_IDLE_MINUTES must be at least 1.",
                hint="Set SESSION_IDLE_MINUTES to the minutes of inactivity after which staff are logged out.",
                id="brobygget.E001",
            )
        )
    if min(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS) < 1:
        messages.append(
            Error(
                "The login failure limits must be at least 1.",
                hint="Set LOGIN_FAILURE_LIMIT_PER_ACCOUNT and LOGIN_FAILURE_LIMIT_PER_ADDRESS to whole numbers >= 1.",
                id="brobygget.E002",
            )
        )
    if not settings.DEBUG and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        messages.append(
            Warning(
                "SQLite is used with DEBUG off.",
                hint="SQLite suits one team. For a municipality, set DATABASE_URL=postgres://… (docs/operations.md).",
                id="brobygget.W001",
            )
        )
    return messages
