"""manage.py goals_send_reminders: remind the people responsible for goals of follow-ups due within a week or overdue.

Runs the task in this process (so cron sees its exit status and output at once); the mails themselves go through the
task queue after the commit. Safe to run again: each goal's span is reminded once before it is due and once when it
is overdue. `--enqueue` hands the whole task to the worker."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from brobygget.goals.reminders import send_follow_up_reminders


class Command(BaseCommand):
    help = "Mail reminders about goals to follow up (a week before a span ends, and when overdue). Run daily."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker (db_worker) instead of running it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            result = send_follow_up_reminders.enqueue()
            self.stdout.write(f"Reminders queued (task {result.id}).")
            return
        sent = send_follow_up_reminders.call()
        self.stdout.write(f"Follow-ups reminded: {sent}.")
