"""manage.py login_unlock <username> [--address <ip>]: lift the login locks and slow-down of an account.

The counters hold keyed hashes only, so the account is found by its name's hash; an address's lock (failures on
many accounts from one address) is lifted with --address. Unlocking is audited when the account exists.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from brobygget.core.audit import audit_record
from brobygget.core.logins import login_unlock


class Command(BaseCommand):
    help = "Lift the login locks and slow-down of an account (and of an address with --address)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The account's username.")
        parser.add_argument("--address", default="", help="Also lift the lock of this IP address.")

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        with transaction.atomic():
            removed = login_unlock(username=username, address=options["address"])
            user = get_user_model().objects.filter(username=username).first()
            if user is not None:
                audit_record(
                    actor=None,
                    action="account.unlocked",
                    target=user,
                    municipality=None,
                    extra={"counters": removed},
                )
        self.stdout.write(_("Login counters removed: %(count)s.") % {"count": removed})
