"""manage.py dialog_send_reminders: remind the people who answer for cases due by the next working day.

Runs the task in this process (not through the queue), so cron sees its exit status and output at once; it is
safe to run again, since every case is reminded once per answer-by date. `--enqueue` hands it to the worker.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from brobygget.dialog.reminders import send_deadline_reminders


class Command(BaseCommand):
    help = "Mail reminders about cases whose answer-by date is the next working day or has passed. Run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker (db_worker) instead of running it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_deadline_reminders.enqueue()
            self.stdout.write(_("Reminders queued (task %(id)s).") % {"id": result.id})
            return
        sent = send_deadline_reminders.call()
        self.stdout.write(_("Cases reminded: %(count)s.") % {"count": sent})
