"""Import of measurements from a CSV or XLSX file into a goal's indicators (docs/goals.md, docs/samples/): every row
checked, the bad ones reported by line, and everything written in one transaction or nothing at all.

A file of up to `INLINE_ROWS` rows is imported while the person waits; a larger one is kept with its import
(`MeasurementImport`) and imported by a background task, whose progress page (`goals:import_progress`) reloads
itself without JavaScript until it is done. The check commits its progress every `PROGRESS_EVERY` rows, so the page
can show it; the writing is one transaction at the end.

The file is read as the organisation import reads the HR system's export (any of Excel's CSV encodings and
delimiters, or an XLSX workbook's first sheet): `organisation.importing.read`."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.goals.indicators import (
    MeasurementInput,
    decimal_parse,
    measurement_errors,
    measurements_write,
)
from brobygget.goals.models import Goal, Indicator, MeasurementImport
from brobygget.goals.services import ERROR_NOT_ALLOWED, may_edit
from brobygget.organisation.importing.read import _ZIP_MAGIC, ImportFileError, _csv_table, _xlsx_table
from brobygget.organisation.models import Person
from brobygget.organisation.selectors import person_for_actor

logger = logging.getLogger(__name__)

INLINE_ROWS = 500
PROGRESS_EVERY = 500
MAX_ROWS = 200_000
MAX_ERRORS_KEPT = 200
MAX_FILE_BYTES = 20 * 1024 * 1024

COLUMN_INDICATOR = "indikator"
COLUMN_YEAR = "år"
COLUMN_MONTH = "månad"
COLUMN_GENDER = "kön"
COLUMN_VALUE = "värde"
REQUIRED = (COLUMN_INDICATOR, COLUMN_YEAR, COLUMN_VALUE)

ERROR_FILE_EMPTY = _("The file is empty: it has no line with column names.")
ERROR_FILE_TOO_LARGE = _("The file is larger than 20 MB. Split it into smaller files.")
ERROR_MISSING_COLUMNS = _("Line %(line)s: these columns are missing: %(columns)s.")
ERROR_TOO_MANY_ROWS = _("The file has more than %(max)s rows. Split it into smaller files.")
ERROR_LINE = _("Line %(line)s: %(message)s")
ERROR_INDICATOR_UNKNOWN = _("the goal has no indicator “%(name)s” (write its name or number as on the goal's page).")
ERROR_INDICATOR_KOLADA = _("the values of “%(name)s” come from Kolada and are not imported from a file.")
ERROR_YEAR_MISSING = _("the year is missing.")
ERROR_VALUE_MISSING = _("the value is missing. Write “-” for no value.")
ERROR_TWICE = _("the same indicator, year, month and gender as line %(other)s.")
ERROR_NO_ROWS = _("The file has no rows of values under the column names.")

# A value written as one of these means "no value" (stored as None, never 0).
NO_VALUE = {"-", "–", "..", "saknas"}


@dataclass
class ImportOutcome:
    """How an import ended: the values written, or the problems by line (nothing written)."""

    written: int
    errors: list[tuple[int, str]]


def _table(data: bytes) -> list[tuple[int, list[str]]]:
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(str(ERROR_FILE_TOO_LARGE))
    rows = []
    for number, cells in _xlsx_table(data) if data.startswith(_ZIP_MAGIC) else _csv_table(data):
        if any(cells):
            rows.append((number, cells))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFileError(str(ERROR_TOO_MANY_ROWS) % {"max": MAX_ROWS})
    return rows


def rows_count(data: bytes) -> int:
    """How many rows of values the file has (without its header); 0 when it cannot be read."""
    try:
        return max(len(_table(data)) - 1, 0)
    except ImportFileError:
        return 0


def _indicators_by_key(goal: Goal) -> dict[str, Indicator]:
    """The goal's indicators that are not archived, by their number and by their name (case-insensitively)."""
    found: dict[str, Indicator] = {}
    for indicator in Indicator.objects.filter(goal=goal, archived=False):
        found[str(indicator.pk)] = indicator
        found.setdefault(indicator.name.strip().casefold(), indicator)
    return found


def _integer(text: str) -> int:
    """A whole number as written in the file, or -1 (refused by the check) for anything else."""
    try:
        value = decimal_parse(text)
    except ValidationError:
        return -1
    return int(value) if value is not None and value == int(value) else -1


def measurements_check(
    *, goal: Goal, data: bytes, tick: Callable[[int, int], None] | None = None
) -> tuple[dict[int, list[MeasurementInput]], list[tuple[int, str]]]:
    """Every row of the file checked: the values by indicator, and the problems as (line, message); `tick(done,
    total)` is called now and then."""
    try:
        table = _table(data)
    except ImportFileError as error:
        return {}, [(0, error.message)]
    if not table:
        return {}, [(0, str(ERROR_FILE_EMPTY))]
    header_line, header = table[0]
    columns = [cell.strip().casefold() for cell in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        return {}, [(header_line, str(ERROR_MISSING_COLUMNS) % {"line": header_line, "columns": ", ".join(missing)})]
    body = table[1:]
    if not body:
        return {}, [(header_line, str(ERROR_NO_ROWS))]
    position = {name: columns.index(name) for name in columns if name}
    indicators = _indicators_by_key(goal)
    values: dict[int, list[MeasurementInput]] = {}
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[int, int, int, str], int] = {}

    def cell(cells: list[str], name: str) -> str:
        index = position.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for done, (line, cells) in enumerate(body, start=1):
        if tick is not None and done % PROGRESS_EVERY == 0:
            tick(done, len(body))
        problems: list[str] = []
        key = cell(cells, COLUMN_INDICATOR)
        indicator = indicators.get(key) or indicators.get(key.casefold())
        if indicator is None:
            problems.append(str(ERROR_INDICATOR_UNKNOWN) % {"name": key})
        elif indicator.source == Indicator.Source.KOLADA:
            problems.append(str(ERROR_INDICATOR_KOLADA) % {"name": indicator.name})
        year_text, month_text = cell(cells, COLUMN_YEAR), cell(cells, COLUMN_MONTH)
        year = _integer(year_text) if year_text else 0
        month = _integer(month_text) if month_text else 0
        gender = (cell(cells, COLUMN_GENDER) or "T").upper()
        value_text = cell(cells, COLUMN_VALUE)
        value = None
        if not value_text:
            problems.append(str(ERROR_VALUE_MISSING))
        elif value_text.casefold() not in NO_VALUE:
            try:
                value = decimal_parse(value_text)
            except ValidationError as error:
                problems.append(f"{error.messages[0]} (“{value_text}”)")
        row = MeasurementInput(year=year or 0, value=value, month=month if month is not None else -1, gender=gender)
        for name, field_errors in measurement_errors(row).items():
            if name == "year" and not year_text:
                problems.append(str(ERROR_YEAR_MISSING))
            else:
                problems.extend(str(message) for e in field_errors for message in e.messages)
        if not problems and indicator is not None:
            point = (indicator.pk, row.year, row.month, row.gender)
            if point in seen:
                problems.append(str(ERROR_TWICE) % {"other": seen[point]})
            else:
                seen[point] = line
        if problems:
            errors.extend((line, str(ERROR_LINE) % {"line": line, "message": problem}) for problem in problems)
        elif indicator is not None:
            values.setdefault(indicator.pk, []).append(row)
    if tick is not None:
        tick(len(body), len(body))
    return values, errors


def measurements_import(
    *,
    actor: SystemOrActor,
    goal: Goal,
    data: bytes,
    file_name: str = "",
    tick: Callable[[int, int], None] | None = None,
) -> ImportOutcome:
    """Check every row, then write all the values in one transaction, or nothing when any row is wrong."""
    goal = Goal.objects.select_related("unit").get(pk=goal.pk)
    if not may_edit(actor=actor, unit=goal.unit):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    values, errors = measurements_check(goal=goal, data=data, tick=tick)
    if errors:
        return ImportOutcome(0, errors)
    person = _person(actor)
    written = 0
    with transaction.atomic():
        indicators = Indicator.objects.select_for_update().in_bulk(list(values))
        for indicator_id, rows in values.items():
            written += measurements_write(
                indicator=indicators[indicator_id], rows=rows, source=Indicator.Source.FILE, person=person
            )
        audit_record(
            actor=actor,
            action="measurement.imported",
            target=goal,
            municipality=Municipality.objects.get(pk=goal.municipality_id),
            extra={"indicators": sorted(values), "values": written},
        )
    logger.info("Imported %s values into the indicators of goal %s (%s)", written, goal.pk, file_name or "a file")
    return ImportOutcome(written, [])


def _person(actor: SystemOrActor) -> Person | None:
    return person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None


def import_queue(*, actor: SystemOrActor, goal: Goal, data: bytes, file_name: str) -> MeasurementImport:
    """Keep a large file with its import, and hand it to the worker (after the commit)."""
    person = _person(actor)
    if person is None or not may_edit(actor=actor, unit=goal.unit):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    job = MeasurementImport.objects.create(
        goal=goal, file_name=file_name[:200], content=data, created_by=person, total=rows_count(data)
    )
    language = translation.get_language() or "sv"
    transaction.on_commit(lambda: measurements_import_task.enqueue(job.pk, language))
    return job


@task()
def measurements_import_task(import_id: int, language: str = "sv") -> int:
    """Run a queued import (MeasurementImport), recording its progress and how it ended; returns the values
    written. Run again after a worker died, an import that ended is left as it is."""
    job = MeasurementImport.objects.select_related("goal__unit", "created_by__user").filter(pk=import_id).first()
    if job is None or job.status in (MeasurementImport.Status.DONE, MeasurementImport.Status.FAILED):
        return 0
    MeasurementImport.objects.filter(pk=job.pk).update(status=MeasurementImport.Status.RUNNING, done=0)

    def tick(done: int, total: int) -> None:
        MeasurementImport.objects.filter(pk=job.pk).update(done=done, total=total)

    actor = job.created_by.user
    with translation.override(language):
        try:
            outcome = measurements_import(
                actor=actor, goal=job.goal, data=bytes(job.content), file_name=job.file_name, tick=tick
            )
        except PermissionDenied:
            outcome = ImportOutcome(0, [(0, gettext_now("You may no longer change the goal's indicators."))])
    MeasurementImport.objects.filter(pk=job.pk).update(
        status=MeasurementImport.Status.FAILED if outcome.errors else MeasurementImport.Status.DONE,
        written=outcome.written,
        errors=[[line, message] for line, message in outcome.errors[:MAX_ERRORS_KEPT]],
        finished_at=timezone.now(),
    )
    return outcome.written
