"""The public numbers pages: the staff statistics' definitions, filters, the map's coarseness, no case shown, the
downloads equal to the page, the cache and the query counts."""

import csv
import datetime
import io
import json
import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygget.dialog.statistics import case_statistics, fault_report_cells
from brobygget.openresults.cache import public_changed
from brobygget.openresults.numbers import ERROR_MONTH_FORMAT, ERROR_MONTH_ORDER
from tests.factories import submit_case
from tests.openresults import numbers_data
from tests.openresults.numbers_data import SECRET_TEXT, TODAY, at

pytestmark = pytest.mark.django_db

numbers = numbers_data.numbers  # the fixture

PROMISES = reverse("openresults:promises")
FIGURES = reverse("openresults:figures")


class Tables(HTMLParser):
    """The tables of a page as {id: [[cell text, ...], ...]} (head row first); a month cell by its datetime."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: list[list[str]] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table":
            self.current = self.tables.setdefault(found.get("id") or str(len(self.tables)), [])
        elif tag == "tr" and self.current is not None:
            self.current.append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []
        elif tag == "time" and self.cell is not None:
            self.cell.append(f"@{found['datetime']}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.current = None
        elif tag in ("td", "th") and self.current is not None and self.cell is not None:
            text = "".join(self.cell).strip()
            self.current[-1].append(text.split("@")[-1].split("\n")[0] if text.startswith("@") else text)
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not (self.cell and self.cell[-1].startswith("@")):
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def as_number(text: str) -> object:
    """A cell as the page writes it, read back: "–" none, "45 %" 45, "1,5" 1.5, "1 234" 1234, "2026-05" a month."""
    text = text.replace("\u00a0", " ").strip()
    if text == "–":
        return None
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01"
    number = text.removesuffix(" %").replace(" ", "").replace(",", ".")
    if re.fullmatch(r"-?\d+(\.\d+)?", number):
        value = float(number)
        return int(value) if value.is_integer() and "." not in number else value
    return text


def get(client: Client, url: str, **params: str):
    with time_machine.travel(TODAY, tick=False):
        return client.get(url, params)


def test_the_promises_per_month_are_the_staff_statistics_of_the_whole_municipality(client, org, numbers):
    response = get(client, PROMISES)
    with time_machine.travel(TODAY, tick=False):
        staff = case_statistics(person=org["registrar"], unit=None, today=TODAY.date())

    assert response.status_code == 200
    rows = page_tables(response.content.decode())["data-per-manad"][1:]
    shown = [[as_number(cell) for cell in row] for row in rows]
    expected = [
        [
            row.month.isoformat(),
            f.received,
            f.answered,
            f.answered_in_time,
            f.share_in_time,
            f.median_days,
            f.resolved_yes,
            f.resolved_no,
        ]
        for row in staff.months
        for f in [row.figures]
    ]
    assert shown == expected
    may = next(row for row in shown if row[0] == "2026-05-01")
    assert may == ["2026-05-01", 12, 3, 2, 67, 1, 1, 1]


def test_the_promises_per_unit_and_category_split_the_same_cases(client, numbers):
    tables = page_tables(get(client, PROMISES).content.decode())

    units = {row[0]: [as_number(c) for c in row[1:]] for row in tables["data-per-enhet"][1:]}
    categories = {row[0]: [as_number(c) for c in row[1:]] for row in tables["data-per-kategori"][1:]}
    # Below Kommunstyrelsen: Samhällsbyggnad holds both units.
    assert units == {"Samhällsbyggnad": [13, 4, 3, 75, 1, 2, 1]}
    assert categories == {"Parker": [4, 3, 2, 67, 1, 1, 1], "Gator": [9, 1, 1, 100, 1, 1, 0]}


def test_a_unit_and_a_category_narrow_the_figures(client, org, numbers):
    response = get(client, PROMISES, enhet=str(org["admin_unit"].pk), kategori=str(numbers["park"].pk))
    tables = page_tables(response.content.decode())

    assert [row[0] for row in tables["data-per-enhet"][1:]] == ["Parkenheten"]
    assert [row[0] for row in tables["data-per-kategori"][1:]] == ["Parker"]
    assert "Parkenheten" in response.content.decode()


def test_a_month_range_is_kept_and_wrong_filters_fall_back_with_a_message(client, numbers):
    narrow = page_tables(get(client, PROMISES, fran="2026-04", till="2026-05").content.decode())
    assert [row[0] for row in narrow["data-per-manad"][1:]] == ["2026-04", "2026-05"]

    response = get(client, PROMISES, fran="maj", till="2026-05")
    html = response.content.decode()
    assert response.status_code == 200
    assert str(ERROR_MONTH_FORMAT) in html
    assert 'value="maj"' in html
    assert len(page_tables(html)["data-per-manad"]) == 1 + 12

    backwards = get(client, PROMISES, fran="2026-05", till="2026-01").content.decode()
    assert str(ERROR_MONTH_ORDER) in backwards


def test_the_figures_count_by_kind_category_and_month(client, numbers):
    tables = page_tables(get(client, FIGURES).content.decode())

    head, *rows = tables["data-typ-per-manad"]
    may = next(row for row in rows if row[0] == "2026-05")
    april = next(row for row in rows if row[0] == "2026-04")
    assert head[1:] == ["Klagomål", "Förslag", "Beröm", "Fråga", "Felanmälan", "Alla typer"]
    assert [as_number(c) for c in may[1:]] == [4, 0, 0, 0, 8, 12]
    assert [as_number(c) for c in april[1:]] == [0, 1, 0, 0, 0, 1]
    kinds = {row[0]: as_number(row[1]) for row in tables["data-per-typ"][1:]}
    assert kinds == {"Klagomål": 4, "Förslag": 1, "Beröm": 0, "Fråga": 0, "Felanmälan": 8}
    assert {row[0]: as_number(row[1]) for row in tables["data-per-kategori"][1:]} == {"Parker": 4, "Gator": 9}


def test_the_map_shows_squares_of_five_reports_or_more_and_no_place_finer(client, numbers):
    html = get(client, FIGURES).content.decode()
    cells = page_tables(html)["data-karta"][1:]

    # The six reports around 59.3301 N, 18.0601 E fall in one square, its corner on the grid of 0.009° × 0.018°.
    assert [[as_number(c) for c in row] for row in cells] == [[59.328, 18.054, 6]]
    assert "2 felanmälningar ligger i rutor med för få" in html
    assert "59.33" not in html and "59,330" not in html and "Storgatan" not in html
    assert 'class="fault-map"' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an index's INCLUDE columns are PostgreSQL's")
def test_the_maps_places_are_counted_from_their_index_alone(numbers, org):
    """At size L a year's 40,000 fault reports with a place were read from the case table (127 ms); the index
    `case_places` holds every column of the case table the map's query names, so PostgreSQL can answer it from the
    index alone (which plan it picks for a table of a few rows is its own affair)."""
    with CaptureQueriesContext(connection) as captured:
        cells = fault_report_cells(
            municipality_id=org["root"].municipality_id, start=TODAY - datetime.timedelta(days=365), end=TODAY
        )
    assert sum(cell.count for cell in cells) == 8  # every fault report with a place, the few in a square too
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE c.relname = 'case_places'"
        )
        found = cursor.fetchall()
    in_index = {column for column, _predicate in found}
    assert in_index == {"municipality_id", "kind", "submitted_at", "latitude", "longitude"}
    assert set(re.findall(r'"dialog_case"\."(\w+)"', query["sql"])) <= in_index
    assert "COUNT(*)" in query["sql"] and "latitude IS NOT NULL" in found[0][1]


def test_no_case_text_number_or_address_reaches_a_numbers_page_or_download(client, numbers):
    pages = [get(client, PROMISES), get(client, FIGURES)]
    for page, slug in [("loften", "per-manad"), ("siffror", "karta"), ("siffror", "typ-per-manad")]:
        for name in ("openresults:download_csv", "openresults:download_json"):
            pages.append(get(client, reverse(name, kwargs={"page": page, "table": slug})))

    for response in pages:
        body = response.content.decode()
        assert SECRET_TEXT not in body
        assert "Lönngatan" not in body and "Storgatan" not in body
        assert not re.search(r"SYN-\d{4}-\d+", body)


@pytest.mark.parametrize(("page", "url"), [("loften", PROMISES), ("siffror", FIGURES)], ids=["promises", "figures"])
def test_every_table_downloads_as_csv_and_json_with_the_numbers_of_the_page(client, org, numbers, page, url):
    query = {"enhet": str(org["admin_unit"].pk), "fran": "2025-12", "till": "2026-06"}
    tables = page_tables(get(client, url, **query).content.decode())
    assert tables

    for table_id, rows in tables.items():
        slug = table_id.removeprefix("data-")
        csv_response = get(client, reverse("openresults:download_csv", kwargs={"page": page, "table": slug}), **query)
        json_response = get(client, reverse("openresults:download_json", kwargs={"page": page, "table": slug}), **query)
        assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
        assert "attachment" in csv_response["Content-Disposition"]
        document = json.loads(json_response.content)
        shown = [[as_number(c) for c in row] for row in rows[1:]]

        from_csv = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert from_csv[0][1:] == [c["key"] for c in document["columns"]]
        assert [c["label"] for c in document["columns"]] == rows[0]
        csv_values = [[_csv_value(v) for v in row[1:]] for row in from_csv[1:]]
        json_values = [[record[c["key"]] for c in document["columns"]] for record in document["rows"]]
        assert csv_values == json_values == shown, slug
        assert document["licence"] == "https://creativecommons.org/publicdomain/zero/1.0/"
        assert document["filters"] == {"enhet": query["enhet"], "fran": "2025-12", "till": "2026-06"}


def _csv_value(text: str) -> object:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if "." not in text else value


def test_a_download_of_a_table_that_does_not_exist_is_404(client, numbers):
    url = reverse("openresults:download_csv", kwargs={"page": "loften", "table": "karta"})
    assert get(client, url).status_code == 404
    url = reverse("openresults:download_json", kwargs={"page": "mal", "table": "per-manad"})
    assert get(client, url).status_code == 404


def test_the_numbers_may_lag_by_the_cache_time_and_a_publication_shows_them_at_once(client, settings, numbers):
    settings.PUBLIC_RESULTS_CACHE_SECONDS = 600

    def may_received() -> object:
        with time_machine.travel(TODAY, tick=False):
            rows = page_tables(client.get(PROMISES).content.decode())["data-per-manad"]
        return next(as_number(row[1]) for row in rows if row[0] == "2026-05")

    assert may_received() == 12
    with at(2026, 5, 25, 10):
        submit_case(numbers["park"])
    assert may_received() == 12  # kept: numbers lag the cases by at most PUBLIC_RESULTS_CACHE_SECONDS
    public_changed()  # what a publication or a withdrawal does
    assert may_received() == 13

    with at(2026, 5, 26, 10):
        submit_case(numbers["park"])
    with time_machine.travel(TODAY + datetime.timedelta(seconds=601), tick=False):
        rows = page_tables(client.get(PROMISES).content.decode())["data-per-manad"]
    assert next(as_number(row[1]) for row in rows if row[0] == "2026-05") == 14


@pytest.mark.parametrize("url", [PROMISES, FIGURES], ids=["promises", "figures"])
def test_a_numbers_page_asks_the_same_few_queries_with_more_cases(client, org, numbers, url, assert_max_queries):
    cache.clear()
    with assert_max_queries(10) as few:
        get(client, url, enhet=str(org["admin_unit"].pk))
    for month in (1, 2, 3):
        with at(2026, month, 12, 10):
            for kind in ("complaint", "praise", "fault_report"):
                submit_case(numbers["street"], kind=kind)
    cache.clear()
    with assert_max_queries(len(few)) as more:
        get(client, url, enhet=str(org["admin_unit"].pk))
    assert len(more) == len(few)
    # Kept in the cache: a second visit asks nothing of the cases, the units or the categories.
    with assert_max_queries(len(few)) as cached:
        get(client, url, enhet=str(org["admin_unit"].pk))
    assert not any(
        re.search(r"dialog_case|organisation_unit|dialog_category", q["sql"]) for q in cached.captured_queries
    )


def test_the_pages_need_no_login_and_link_their_downloads_and_the_api(client, numbers):
    html = get(client, PROMISES).content.decode()

    assert 'href="/resultat/loften/per-manad.csv?' in html
    assert 'href="/resultat/loften/per-kategori.json?' in html
    assert 'href="/api/v1/docs"' in html
    assert "@media print" in (client.get("/static/openresults/numbers.css").getvalue().decode())


def test_an_unfiltered_page_is_the_default_filters_and_a_kept_one_builds_no_filter_form(client, numbers, monkeypatch):
    from brobygget.openresults import numbers as numbers_module

    with time_machine.travel(TODAY, tick=False):
        assert numbers_module.filters_default() == numbers_module.filters_read({})[1]
        first = {url: client.get(url).content.decode() for url in ("/resultat/loften/", "/resultat/siffror/")}

        def no_form(*args, **kwargs):
            raise AssertionError("a kept unfiltered page built its filter form")

        monkeypatch.setattr(numbers_module, "choices", no_form)
        for url, html in first.items():
            again = client.get(url).content.decode()
            assert again.split("csrfmiddlewaretoken")[0] == html.split("csrfmiddlewaretoken")[0]
            assert client.get(url + "?enhet=&kategori=").status_code == 200  # empty filters: the same kept page
