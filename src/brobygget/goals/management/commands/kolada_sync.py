"""manage.py kolada_sync: fetch Kolada's figures for every indicator connected to a key figure (docs/goals.md).

Runs in this process (not through the queue), so cron sees its exit status and output at once: it exits with an
error when a key figure could not be fetched (its indicators keep their values; the reason is on each indicator, in
the admin and in the log). `--enqueue` hands the work to the worker instead."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygget.core.models import Municipality
from brobygget.goals.kolada.sync import kolada_sync
from brobygget.goals.tasks import kolada_sync_task


class Command(BaseCommand):
    help = "Fetch Kolada's figures for the indicators connected to a key figure. Run nightly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--full", action="store_true", help="Fetch every year again, not only what changed since the last fetch."
        )
        parser.add_argument("--municipality", help="Only this municipality's indicators (its code, e.g. 0486).")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the task for the worker (db_worker) instead of running it."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            queued = kolada_sync_task.enqueue(full=options["full"])
            self.stdout.write(_("Kolada fetch queued (task %(id)s).") % {"id": queued.id})
            return
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(code=options["municipality"]).first()
            if municipality is None:
                message = _("There is no municipality with the code %(code)s.")
                raise CommandError(message % {"code": options["municipality"]})
        result = kolada_sync(municipality=municipality, full=options["full"])
        self.stdout.write(
            _(
                "Indicators fetched from Kolada: %(synced)s; values written: %(written)s; "
                "new titles to confirm: %(flagged)s."
            )
            % {"synced": result.synced, "written": result.written, "flagged": result.flagged}
        )
        if result.failed:
            for indicator_id, message in result.failed:
                self.stderr.write(_("Indicator %(id)s: %(message)s") % {"id": indicator_id, "message": message})
            raise CommandError(
                ngettext(
                    "Kolada's figures could not be fetched for %(count)s indicator; its values are unchanged.",
                    "Kolada's figures could not be fetched for %(count)s indicators; their values are unchanged.",
                    len(result.failed),
                )
                % {"count": len(result.failed)}
            )
