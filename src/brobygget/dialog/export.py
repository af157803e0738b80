"""The inbox's selection as a file for the registrar's diarium and for reports: CSV or XLSX, the inbox's columns.

CSV is streamed as it is read (`selectors_staff.inbox_export` reads in chunks): semicolons between fields and a
byte order mark, as a Swedish Excel opens it; a field that a spreadsheet would take for a formula (it begins with
=, +, -, @, a tab or a carriage return) gets a leading apostrophe, so it is shown as text, never run. XLSX is written
by openpyxl's write-only workbook (rows go to a temporary file, not memory); every text is a text cell, never a
formula, and the dates are dates. Both hold at most `EXPORT_MAX_ROWS` cases."""

import csv
import datetime
import tempfile
from collections.abc import Iterator
from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from brobygget.dialog.selectors_staff import CaseRow, InboxExport

CSV, XLSX = "csv", "xlsx"
EXPORT_FORMATS = (CSV, XLSX)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def columns() -> list[str]:
    """The inbox's columns, in the active language."""
    return [
        _("Case number"),
        _("Kind"),
        _("Category"),
        _("Unit"),
        _("Case handler"),
        _("Status"),
        _("Came in"),
        _("Answer by"),
    ]


def row_values(row: CaseRow) -> list[Any]:
    """A case as a line of the file: texts, and the local day it came in and its answer-by date as dates."""
    received = row.submitted_at.astimezone(timezone.get_current_timezone()).date()
    texts = [row.number, row.kind_label, row.category, row.unit, row.assignee, row.status_label]
    return [*texts, received, row.answer_due]


def csv_safe(value: Any) -> str:
    """A value as a CSV field that no spreadsheet runs as a formula; dates as 2026-12-07."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


class _Line:
    """What csv.writer writes to: it hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(export: InboxExport) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";")
    yield "\ufeff" + writer.writerow(columns())
    for chunk in export.chunks:
        for row in chunk:
            yield writer.writerow([csv_safe(value) for value in row_values(row)])


def _xlsx_file(export: InboxExport) -> Any:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Cases"))
    sheet.append(columns())
    for chunk in export.chunks:
        for row in chunk:
            cells = []
            for value in row_values(row):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a text, even when it begins with "=": never a formula
                elif isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it
    book.save(handle)
    handle.seek(0)
    return handle


def export_response(export: InboxExport, fmt: str, *, today: datetime.date) -> HttpResponseBase:
    """The file of an export, named after the day it was made."""
    name = f"arenden-{today.isoformat()}.{fmt}"
    if fmt == CSV:
        response: HttpResponseBase = StreamingHttpResponse(csv_lines(export), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    else:
        response = FileResponse(_xlsx_file(export), as_attachment=True, filename=name, content_type=XLSX_TYPE)
    response["Cache-Control"] = "private, no-store"
    return response
