"""Every table of the numbers pages as CSV and JSON: the same `Table` the page writes, so the same numbers.

CSV: UTF-8 with a byte-order mark (so that Excel reads å, ä, ö), comma-separated, a header row of the columns' keys;
numbers as plain numbers (a point for decimals), months as YYYY-MM-DD, no value as an empty cell. JSON: the table's
title, its columns (key and label), the filters, the licence and the rows as objects with their stable `id`.
"""

import csv
import io
import json
from typing import Any

from django.http import HttpResponse

from brobygget.openresults.numbers import Filters, Table

LICENCE = "https://creativecommons.org/publicdomain/zero/1.0/"


def table_csv(table: Table, filename: str) -> HttpResponse:
    """The table as a CSV download."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", *(c.key for c in table.columns)])
    for record in table.records():
        writer.writerow(["" if v is None else v for v in record.values()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def table_document(table: Table, filters: Filters) -> dict[str, Any]:
    """The table as the JSON download gives it."""
    return {
        "title": table.title,
        "licence": LICENCE,
        "filters": filters.query(),
        "columns": [{"key": c.key, "label": c.label} for c in table.columns],
        "rows": table.records(),
    }


def table_json(table: Table, filters: Filters, filename: str) -> HttpResponse:
    """The table as a JSON download."""
    response = HttpResponse(
        json.dumps(table_document(table, filters), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response
