"""manage.py dialog_send_summaries: mail staff their daily summary of cases, when their chosen time has come.

Runs the task in this process (not through the queue), so cron sees its exit status and output at once. Run it
every quarter of an hour: each person gets at most one summary a day, at the first run after their time of day.
`--enqueue` hands it to the worker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from brobygget.dialog.tasks import send_daily_summaries


class Command(BaseCommand):
    help = "Mail staff their daily summary of new and given cases once their chosen time has come. Run every 15 min."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker (db_worker) instead of running it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_daily_summaries.enqueue()
            self.stdout.write(_("Summaries queued (task %(id)s).") % {"id": result.id})
            return
        sent = send_daily_summaries.call()
        self.stdout.write(_("Summaries sent: %(count)s.") % {"count": sent})
