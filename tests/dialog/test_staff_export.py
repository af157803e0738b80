"""The inbox's selection as CSV and XLSX: the inbox's columns and rows, its filters and search, every page, the
person's scope, no formula run by a spreadsheet, and as many queries however many cases."""

import csv
import datetime
import io
import re
import zoneinfo

import openpyxl
import pytest
import time_machine

from brobygget.dialog import selectors_staff
from brobygget.dialog.models import Case
from brobygget.dialog.services import case_answer, case_assign
from brobygget.dialog.views_staff import ERROR_EXPORT_TOO_MANY
from tests.dialog.conftest import sv
from tests.factories import CategoryFactory, UnitFactory, submit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
HEADER = ["Ärendenummer", "Typ", "Kategori", "Enhet", "Handläggare", "Status", "Inkom", "Svar senast"]


def page_rows(response) -> list[list[str]]:
    """The inbox page's rows as its table shows them: number, kind, category, unit, handler, status (the dates are
    compared apart: the page writes them in the language's short format)."""
    html = response.content.decode()
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    assert body is not None
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        number = cells[0].split()[0]
        handler = "" if cells[4] == sv("Nobody yet") else cells[4]
        rows.append([number, cells[1], cells[2], cells[3], handler, cells[5]])
    return rows


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def xlsx_rows(response) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def cases(org, category, make_case):
    """Four cases of the park team at fixed moments: one answered, one with a handler, one a fault report."""
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM), tick=False):
        first = make_case(text="Gungan är trasig.")
        second = make_case(text="Bänken är trasig.", kind="fault_report")
        third = make_case(text="Sopkorgen är full.")
        case_assign(actor=None, case=third, unit=org["team"], assignee=org["member"])
        fourth = make_case(text="Lampan är trasig.")
        case_answer(actor=None, case=fourth, text="Lagad.")
    return [first, second, third, fourth]


@pytest.mark.parametrize("params", [{}, {"sok": "trasig"}, {"status": "answered"}, {"typ": "fault_report"}])
def test_the_csv_file_holds_the_rows_of_the_page(org, cases, login_client, params):
    client = login_client(org["member"])
    shown = page_rows(client.get("/arenden/", params))

    with time_machine.travel(datetime.datetime(2026, 3, 9, 12, 0, tzinfo=STOCKHOLM), tick=False):
        response = client.get("/arenden/export/csv/", params)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="arenden-2026-03-09.csv"'
    header, *lines = csv_rows(response)
    assert header == HEADER
    assert [line[:6] for line in lines] == shown
    assert shown  # every selection above has cases
    by_number = {case.number: case for case in cases}
    for line in lines:
        assert line[6] == "2026-03-02"
        assert line[7] == by_number[line[0]].answer_due.isoformat()


@pytest.mark.parametrize("params", [{}, {"sok": "trasig"}])
def test_the_xlsx_file_holds_the_rows_of_the_page_with_dates_as_dates(org, cases, login_client, params):
    client = login_client(org["member"])
    shown = page_rows(client.get("/arenden/", params))

    response = client.get("/arenden/export/xlsx/", params)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *lines = xlsx_rows(response)
    assert list(header) == HEADER
    assert [[value or "" for value in line[:6]] for line in lines] == shown
    by_number = {case.number: case for case in cases}
    for line in lines:
        assert line[6] == datetime.datetime(2026, 3, 2)  # a date cell (openpyxl reads it as a datetime)
        assert line[7].date() == by_number[line[0]].answer_due


def test_the_export_holds_every_page_and_only_what_the_person_may_see(org, category, login_client):
    made = [submit_case(category, text=f"Ärende {index}.")[0] for index in range(selectors_staff.PAGE_SIZE + 2)]
    street = UnitFactory(municipality=org["team"].municipality, name="Gatuenheten", parent=org["admin_unit"])
    submit_case(CategoryFactory(municipality=street.municipality, unit=street), text="Hål i vägen.")

    _header, *lines = csv_rows(login_client(org["member"]).get("/arenden/export/csv/"))

    assert sorted(line[0] for line in lines) == sorted(case.number for case in made)


def test_a_text_a_spreadsheet_would_run_is_written_as_text(org, login_client):
    for name in ('=HYPERLINK("http://example.com")', "+1", "-1", "@SUM(A1)"):
        category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name=name)
        submit_case(category)
    client = login_client(org["member"])

    _header, *lines = csv_rows(client.get("/arenden/export/csv/"))
    assert sorted(line[2] for line in lines) == sorted(
        ['\'=HYPERLINK("http://example.com")', "'+1", "'-1", "'@SUM(A1)"]
    )

    response = client.get("/arenden/export/xlsx/")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [row[2] for row in book.worksheets[0].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    assert sorted(cell.value for cell in cells) == sorted(['=HYPERLINK("http://example.com")', "+1", "-1", "@SUM(A1)"])


def test_a_selection_too_large_for_a_file_is_explained_in_the_inbox(org, category, login_client, monkeypatch):
    for _index in range(3):
        submit_case(category)
    monkeypatch.setattr(selectors_staff, "EXPORT_MAX_ROWS", 2)
    client = login_client(org["member"])

    response = client.get("/arenden/export/csv/", {"status": "received"})

    assert response.status_code == 302
    assert response["Location"] == "/arenden/?status=received"
    page = client.get(response["Location"]).content.decode()
    assert sv(ERROR_EXPORT_TOO_MANY) % {"limit": "2"} in page


def test_an_unknown_format_is_not_found_and_a_visitor_is_sent_to_log_in(org, login_client, client):
    assert login_client(org["member"]).get("/arenden/export/pdf/").status_code == 404
    response = client.get("/arenden/export/csv/")
    assert response.status_code == 302
    assert "/login" in response["Location"] or "logga-in" in response["Location"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_asks_as_many_queries_however_many_cases(org, category, login_client, assert_max_queries, fmt):
    client = login_client(org["registrar"])
    submit_case(category)
    with assert_max_queries(12) as small:
        b"".join(client.get(f"/arenden/export/{fmt}/", {"sok": "gatlampan"}).streaming_content)

    for _index in range(40):
        submit_case(category)
    with assert_max_queries(len(small)) as large:
        content = b"".join(client.get(f"/arenden/export/{fmt}/", {"sok": "gatlampan"}).streaming_content)

    assert len(large) == len(small)
    assert content
    assert Case.objects.count() == 41
