"""Reading the HR system's export: a CSV (any of Excel's encodings and delimiters) or an XLSX file, told apart by
its first bytes, into rows keyed by column; a units file and a people file are told apart by their columns."""

import codecs
import csv
import datetime
import io
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import openpyxl
from django.utils.translation import gettext_lazy as _


class FileKind(StrEnum):
    UNITS = "units"
    PEOPLE = "people"


FILE_LABELS = {FileKind.UNITS: _("Units file"), FileKind.PEOPLE: _("People file")}

# Column names as the HR export writes them; matched trimmed and case-insensitively.
UNIT_CODE = "enhetskod"
UNIT_NAME = "enhetsnamn"
UNIT_PARENT = "överordnad_enhetskod"
UNIT_KIND = "typ"
UNIT_DESCRIPTION = "beskrivning"
PERSON_NUMBER = "anställningsnummer"
PERSON_FIRST_NAME = "förnamn"
PERSON_LAST_NAME = "efternamn"
PERSON_EMAIL = "e-post"
PERSON_TITLE = "befattning"
PERSON_UNIT = "enhetskod"
PERSON_ROLE = "roll"

REQUIRED_COLUMNS = {
    # The parent column is required although its cells may be empty: a file without it would make every unit a root.
    FileKind.UNITS: (UNIT_CODE, UNIT_NAME, UNIT_PARENT),
    FileKind.PEOPLE: (PERSON_NUMBER, PERSON_FIRST_NAME, PERSON_LAST_NAME, PERSON_UNIT),
}
MAX_ROWS = 100_000
_ZIP_MAGIC = b"PK\x03\x04"

ERROR_FILE_UNREADABLE = _("The file could not be read. Save it as CSV (UTF-8) or as an Excel workbook (.xlsx).")
ERROR_FILE_EMPTY = _("The file is empty: it has no line with column names.")
ERROR_FILE_KIND_UNKNOWN = _(
    "Line %(line)s: the column names are neither those of a units file nor those of a people file."
)
ERROR_NOT_A_UNITS_FILE = _("This is a people file, not a units file.")
ERROR_NOT_A_PEOPLE_FILE = _("This is a units file, not a people file.")
ERROR_MISSING_COLUMNS = _("Line %(line)s: these columns are missing: %(columns)s.")
ERROR_DUPLICATE_COLUMN = _("Line %(line)s: the column %(column)s appears more than once.")
ERROR_TOO_MANY_ROWS = _("The file has more than %(max)s rows.")

Source = Path | IO[bytes]


@dataclass(frozen=True)
class ImportRow:
    """One data row: its line as the user sees it in the file (the header is line 1) and its values by column."""

    line: int
    values: Mapping[str, str]

    def value(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True)
class ImportFile:
    kind: FileKind
    rows: list[ImportRow]


class ImportFileError(Exception):
    """The file as a whole cannot be imported: unreadable, without column names, or with the wrong columns."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportIssue:
    """One reason the import cannot be made: which file, which line, and why (translated)."""

    kind: FileKind
    line: int
    message: str

    def __str__(self) -> str:
        return f"{FILE_LABELS[self.kind]}: {self.message}"


def _clean(value: str) -> str:
    # Excel on a Mac may write "ö" decomposed; the NFC form matches what people type.
    return unicodedata.normalize("NFC", value).strip()


def _column(name: str) -> str:
    return _clean(name).casefold()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an employee number typed as a number
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return _clean(str(value))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Swedish Excel saves "CSV (semikolonavgränsad)" in Windows-1252 unless told to use UTF-8.
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(str(ERROR_FILE_UNREADABLE)) from error


def _csv_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    header = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = max(";,\t", key=header.count)  # ";" wins a tie: Swedish Excel writes it
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            yield number, [_clean(cell) for cell in cells]
    except csv.Error as error:
        raise ImportFileError(str(ERROR_FILE_UNREADABLE)) from error


def _xlsx_table(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken or foreign zip file fails in many ways inside openpyxl
        raise ImportFileError(str(ERROR_FILE_UNREADABLE)) from error
    try:
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, [_cell_text(cell) for cell in cells]
    finally:
        workbook.close()


def _kind_of(columns: set[str]) -> FileKind | None:
    if PERSON_NUMBER in columns and UNIT_NAME not in columns:
        return FileKind.PEOPLE
    if UNIT_NAME in columns and PERSON_NUMBER not in columns:
        return FileKind.UNITS
    return None


def _import_file(table: Iterable[tuple[int, list[str]]], expected: FileKind | None) -> ImportFile:
    lines = iter(table)
    first = next(((line, cells) for line, cells in lines if any(cells)), None)
    if first is None:
        raise ImportFileError(str(ERROR_FILE_EMPTY))
    header_line, header = first
    columns = [_column(name) for name in header]
    named = [column for column in columns if column]
    for position, column in enumerate(named):
        if column in named[:position]:
            raise ImportFileError(str(ERROR_DUPLICATE_COLUMN) % {"line": header_line, "column": column})
    kind = _kind_of(set(named))
    if kind is None:
        raise ImportFileError(str(ERROR_FILE_KIND_UNKNOWN) % {"line": header_line})
    if expected is not None and kind != expected:
        raise ImportFileError(str(ERROR_NOT_A_UNITS_FILE if expected == FileKind.UNITS else ERROR_NOT_A_PEOPLE_FILE))
    missing = [column for column in REQUIRED_COLUMNS[kind] if column not in named]
    if missing:
        raise ImportFileError(str(ERROR_MISSING_COLUMNS) % {"line": header_line, "columns": ", ".join(missing)})
    rows: list[ImportRow] = []
    for line, cells in lines:
        if not any(cells):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(str(ERROR_TOO_MANY_ROWS) % {"max": MAX_ROWS})
        values = {column: cells[i] if i < len(cells) else "" for i, column in enumerate(columns) if column}
        rows.append(ImportRow(line=line, values=values))
    return ImportFile(kind=kind, rows=rows)


def import_file_read(source: Source, *, expected: FileKind | None = None) -> ImportFile:
    """Read a CSV or XLSX export into rows keyed by column; ImportFileError when it cannot be imported at all."""
    data = source.read_bytes() if isinstance(source, Path) else source.read()
    table = _xlsx_table(data) if data.startswith(_ZIP_MAGIC) else _csv_table(data)
    return _import_file(table, expected)


def import_files_read(
    *, units: Source | None, people: Source | None
) -> tuple[list[ImportRow], list[ImportRow], list[ImportIssue]]:
    """Read the units file and the people file, each optional; file-level problems come back as issues."""
    rows: dict[FileKind, list[ImportRow]] = {FileKind.UNITS: [], FileKind.PEOPLE: []}
    issues: list[ImportIssue] = []
    for kind, source in ((FileKind.UNITS, units), (FileKind.PEOPLE, people)):
        if source is None:
            continue
        try:
            rows[kind] = import_file_read(source, expected=kind).rows
        except ImportFileError as error:
            issues.append(ImportIssue(kind=kind, line=0, message=error.message))
    return rows[FileKind.UNITS], rows[FileKind.PEOPLE], issues
