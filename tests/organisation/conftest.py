"""Fixtures for the organisation import: real CSV and XLSX files written to tmp_path."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.factories import UserFactory

UNITS_HEADER = ["enhetskod", "enhetsnamn", "överordnad_enhetskod", "typ", "beskrivning"]
PEOPLE_HEADER = ["anställningsnummer", "förnamn", "efternamn", "e-post", "befattning", "enhetskod", "roll"]

# A small organisation, parents before children; every unit has a leader.
UNITS = [
    ["KS", "Kommunstyrelsen", "", "kommunstyrelse", "Leder kommunen."],
    ["SBF", "Samhällsbyggnadsförvaltningen", "KS", "förvaltning", ""],
    ["PARK", "Parkenheten", "SBF", "enhet", "Parker; lekplatser, grönytor."],
]
PEOPLE = [
    ["1001", "Karin", "Lindqvist", "karin.lindqvist@example.se", "Kommundirektör", "KS", "chef"],
    ["1002", "Per", "Åkesson", "", "Förvaltningschef", "SBF", "chef"],
    ["1003", "Emma", "Lund", "emma.lund@example.se", "Parkchef", "PARK", "chef"],
    ["1004", "Nils", "Björk", "", "Parkarbetare", "PARK", "medarbetare"],
    ["1005", "Maria", "Ek", "maria.ek@example.se", "Registrator", "KS", "registrator"],
]

WriteFile = Callable[..., Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteFile:
    """`write_csv(header, rows, delimiter=";", bom=False, encoding="utf-8")` → the path of a real CSV file."""
    counter = iter(range(1000))

    def write(
        header: list[str], rows: list[list[str]], *, delimiter: str = ";", bom: bool = False, encoding: str = "utf-8"
    ) -> Path:
        def cell(value: str) -> str:
            return f'"{value}"' if delimiter in value or '"' in value else value

        text = "".join(delimiter.join(cell(value) for value in row) + "\r\n" for row in [header, *rows])
        path = tmp_path / f"file{next(counter)}.csv"
        path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path: Path) -> WriteFile:
    """`write_xlsx(header, rows)` → the path of a real workbook whose first sheet holds the rows."""
    counter = iter(range(1000))

    def write(header: list[str], rows: list[list[Any]]) -> Path:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        assert sheet is not None
        for row in [header, *rows]:
            sheet.append(row)
        workbook.create_sheet("Annat blad").append(["ignored"])
        path = tmp_path / f"file{next(counter)}.xlsx"
        workbook.save(path)
        return path

    return write


@pytest.fixture
def superuser():
    return UserFactory(username="superadmin", is_staff=True, is_superuser=True)
