"""manage.py organisation_import: import units and people from the HR system's CSV or XLSX export (docs/import.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext_lazy as _
from tqdm import tqdm

from brobygget.core.models import Municipality
from brobygget.organisation.importing import import_files_read, organisation_import

ERROR_NO_FILES = _("Give a units file, a people file or both.")
ERROR_UNKNOWN_MUNICIPALITY = _("There is no municipality with the code %(code)s.")
ERROR_NO_SUCH_FILE = _("The file %(path)s does not exist.")
ERROR_IMPORT_STOPPED = _("Nothing was imported. Errors to correct: %(count)s.")


class _BarStream:
    """Lets tqdm draw on the command's stderr, which otherwise ends every write with a new line."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> None:
        self.out.write(text, ending="")

    def flush(self) -> None:
        self.out.flush()


class Command(BaseCommand):
    help = "Import the units and people of a municipality from CSV or XLSX files exported by the HR system."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--municipality", required=True, help="The municipality's code, e.g. 0486.")
        parser.add_argument("--units", type=Path, help="The units file (CSV or XLSX).")
        parser.add_argument("--people", type=Path, help="The people file (CSV or XLSX).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the files and count what would change, but save nothing."
        )

    def handle(
        self,
        *args: Any,
        municipality: str,
        units: Path | None,
        people: Path | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        if units is None and people is None:
            raise CommandError(str(ERROR_NO_FILES))
        for path in (units, people):
            if path is not None and not path.is_file():
                raise CommandError(str(ERROR_NO_SUCH_FILE) % {"path": path})
        target = Municipality.objects.filter(code=municipality).first()
        if target is None:
            raise CommandError(str(ERROR_UNKNOWN_MUNICIPALITY) % {"code": municipality})
        units_rows, people_rows, errors = import_files_read(units=units, people=people)
        if not errors:
            with tqdm(total=len(units_rows) + len(people_rows), file=_BarStream(self.stderr)) as bar:
                result = organisation_import(
                    actor=None,
                    municipality=target,
                    units_rows=units_rows,
                    people_rows=people_rows,
                    dry_run=dry_run,
                    progress=bar.update,
                )
            errors = result.errors
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(str(ERROR_IMPORT_STOPPED) % {"count": len(errors)})
        self.stdout.write(self.style.SUCCESS(result.summary()))
