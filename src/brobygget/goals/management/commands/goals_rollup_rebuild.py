"""manage.py goals_rollup_rebuild: compute every goal's kept roll-up (goals.kept, `GoalRollup`) from scratch and
write it in place of the one kept, per municipality, each in one transaction.

The services keep the rows as they write, and migration 0006 filled them for the goals there were; this is for rows
written some other way (a restore, goals changed by hand in the database). Safe to run at any time."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from brobygget.core.models import Municipality
from brobygget.goals.kept import kept_rebuild


class Command(BaseCommand):
    help = "Compute every goal's kept roll-up again from its follow-ups and its children."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", help="Only this municipality (its SCB code).")

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = Municipality.objects.order_by("pk")
        if options["municipality"]:
            municipalities = municipalities.filter(code=options["municipality"])
        for municipality in municipalities:
            with transaction.atomic():
                count = kept_rebuild(municipality_id=municipality.pk)
            self.stdout.write(f"{municipality.name}: {count} goals rolled up.")
