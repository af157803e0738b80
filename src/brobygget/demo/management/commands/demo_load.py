"""manage.py demo_load: create the demo municipality (refused in production: DEBUG off and no demo switch)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from brobygget.core.models import Municipality
from brobygget.demo.dialog import DEMO_OPEN311_KEY
from brobygget.demo.municipality import DEMO_PASSWORD, demo_municipality_load

ERROR_PRODUCTION = (
    "DEBUG is off and BROBYGGET_DEMO is not set: the demo has known passwords and does not belong in production. "
    "Set BROBYGGET_DEMO=1 for a demo installation (make run does), or use --force if you really mean it."
)


class Command(BaseCommand):
    help = "Create the fictional demo municipality with units, people, routines and demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even when DEBUG is off and BROBYGGET_DEMO is not set."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing, successfully, when a municipality already exists."
        )

    def handle(self, *args: Any, force: bool, if_empty: bool, **options: Any) -> None:
        if not (settings.DEBUG or settings.DEMO or force):
            raise CommandError(ERROR_PRODUCTION)
        if Municipality.objects.exists():
            if if_empty:
                self.stdout.write("The database already has a municipality; the demo was not loaded again.")
                return
            raise CommandError("The database already has a municipality. Use an empty database for the demo.")
        result = demo_municipality_load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result['municipality']}: {result['units']} units, {result['people']} people, "
                f"{result['cases']} cases, {result['improvements']} improvements, "
                f"{result['deviations']} deviations, {result['learnings']} learnings, {result['goals']} goals "
                f"with {result['indicators']} indicators and {result['follow_ups']} follow-ups."
            )
        )
        for login, title in result["logins"]:
            self.stdout.write(f"  {login} / {DEMO_PASSWORD}  ({title})")
        self.stdout.write(f"  Open311 API key: {DEMO_OPEN311_KEY}")
