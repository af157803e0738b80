"""The import of measurements from CSV and XLSX: Swedish decimal commas, every bad row reported by its line, all or
nothing, a large file through the background task and its progress page (without JavaScript), and the sample file of
docs/samples imported as it is."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brobygget.core.models import AuditEvent
from brobygget.goals import importing, indicators
from brobygget.goals.indicators import IndicatorInput
from brobygget.goals.models import Indicator, Measurement, MeasurementImport

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "samples" / "indicator-values.csv"


@pytest.fixture
def park_indicators(goals_org, tree) -> dict[str, Indicator]:
    made = {}
    for name in ("Andel nöjda besökare i parkerna", "Antal anmälda fel i parkerna"):
        made[name] = indicators.indicator_create(
            actor=goals_org["leader"].user,
            goal=tree["park"],
            data=IndicatorInput(name=name, owner_id=goals_org["member"].pk),
        )
    return made


def csv(*rows: str, header: str = "indikator;år;månad;kön;värde") -> bytes:
    return "\n".join([header, *rows]).encode("utf-8")


def run(goals_org, tree, data: bytes) -> importing.ImportOutcome:
    return importing.measurements_import(actor=goals_org["leader"].user, goal=tree["park"], data=data)


def test_the_sample_file_is_imported_with_decimal_commas_thousands_and_no_value(goals_org, tree, park_indicators):
    outcome = run(goals_org, tree, SAMPLE.read_bytes())

    assert outcome.errors == [] and outcome.written == 5
    satisfied, faults = park_indicators.values()
    assert dict(Measurement.objects.filter(indicator=satisfied).values_list("gender", "value")) == {
        "T": Decimal("78.5"),
        "K": Decimal("81"),
        "M": Decimal("75.2"),
    }
    assert dict(Measurement.objects.filter(indicator=faults).values_list("month", "value")) == {
        4: Decimal("1250"),
        8: None,
    }
    assert set(Measurement.objects.values_list("source", flat=True)) == {"file"}
    assert AuditEvent.objects.filter(action="measurement.imported").count() == 1
    assert (ROOT / "src/brobygget/goals/static/goals/samples/indicator-values.csv").read_bytes() == SAMPLE.read_bytes()


def test_an_indicator_is_named_by_its_number_too_and_a_comma_separated_file_works(goals_org, tree, park_indicators):
    satisfied = next(iter(park_indicators.values()))
    data = f'indikator,år,värde\n{satisfied.pk},2025,"12,5"\n'.encode()

    assert run(goals_org, tree, data).written == 1
    assert Measurement.objects.get().value == Decimal("12.5")


def test_every_bad_row_is_reported_by_its_line_and_nothing_is_written(goals_org, tree, park_indicators):
    data = csv(
        "Andel nöjda besökare i parkerna;2026;;T;78,5",
        "Okänd indikator;2026;;T;1",
        "Andel nöjda besökare i parkerna;tjugo;;T;1",
        "Andel nöjda besökare i parkerna;2026;13;T;1",
        "Andel nöjda besökare i parkerna;2026;;X;1",
        "Andel nöjda besökare i parkerna;2026;;K;tolv",
        "",
        "Andel nöjda besökare i parkerna;2026;;T;79",
        "Andel nöjda besökare i parkerna;;;T;",
    )

    outcome = run(goals_org, tree, data)

    lines = [line for line, _message in outcome.errors]
    assert lines == [3, 4, 5, 6, 7, 9, 10, 10]
    messages = dict(outcome.errors)
    assert (
        messages[3]
        == "Rad 3: målet har ingen indikator ”Okänd indikator” (skriv dess namn eller nummer som på målets sida)."
    )
    assert messages[4] == "Rad 4: Skriv ett år mellan 1990 och 2100."
    assert messages[5] == "Rad 5: Skriv en månad från 1 till 12, eller lämna tomt för hela året."
    assert messages[6] == "Rad 6: Skriv T (alla), K (kvinnor) eller M (män)."
    assert messages[7] == "Rad 7: Skriv ett tal, till exempel 12,5 eller 1 250. (”tolv”)".replace("”tolv”", "“tolv”")
    assert messages[9] == "Rad 9: samma indikator, år, månad och kön som rad 2."
    assert [m for line, m in outcome.errors if line == 10] == [
        "Rad 10: värdet saknas. Skriv ”-” om det inte finns något värde.",
        "Rad 10: året saknas.",
    ]
    assert outcome.written == 0
    assert not Measurement.objects.exists()
    assert not AuditEvent.objects.filter(action="measurement.imported").exists()


def test_an_xlsx_workbook_is_imported(goals_org, tree, park_indicators):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "År", "Månad", "Kön", "Värde"])
    sheet.append(["Antal anmälda fel i parkerna", 2027, 4, "T", 12.5])
    sheet.append(["Antal anmälda fel i parkerna", 2027, 8, None, "1 250,5"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = run(goals_org, tree, buffer.getvalue())

    assert outcome.errors == []
    assert dict(Measurement.objects.values_list("month", "value")) == {4: Decimal("12.5"), 8: Decimal("1250.5")}


def test_files_that_cannot_be_imported_say_why(goals_org, tree, park_indicators):
    assert run(goals_org, tree, b"").errors[0][1].startswith("Filen är tom")
    assert "saknas: värde" in run(goals_org, tree, csv(header="indikator;år")).errors[0][1]
    assert "inga rader" in run(goals_org, tree, csv()).errors[0][1]
    assert "Excel" in run(goals_org, tree, b"PK\x03\x04 broken").errors[0][1]
    assert not Measurement.objects.exists()


def test_values_of_a_kolada_indicator_are_not_imported(goals_org, tree, park_indicators):
    Indicator.objects.filter(name="Antal anmälda fel i parkerna").update(source=Indicator.Source.KOLADA)
    outcome = run(goals_org, tree, SAMPLE.read_bytes())
    assert {line for line, _m in outcome.errors} == {5, 6}
    assert not Measurement.objects.exists()


# The pages


def upload(data: bytes, name: str = "värden.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_small_file_is_imported_at_once_from_the_page(goals_org, tree, park_indicators, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:import", args=[tree["park"].pk])
    assert "indikator, år, månad, kön och värde" in client.get(url).content.decode()

    response = client.post(url, {"file": upload(SAMPLE.read_bytes())})

    assert response.status_code == 302
    assert Measurement.objects.count() == 5


def test_the_page_lists_the_bad_lines_and_imports_nothing(goals_org, tree, park_indicators, login_client):
    response = login_client(goals_org["leader"]).post(
        reverse("goals:import", args=[tree["park"].pk]),
        {
            "file": upload(
                csv("Andel nöjda besökare i parkerna;2026;;T;78,5", "Andel nöjda besökare i parkerna;2026;;T;x")
            )
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ingenting har importerats. Rätta de här raderna och försök igen:" in html
    assert "Rad 3: Skriv ett tal, till exempel 12,5 eller 1 250." in html
    assert not Measurement.objects.exists()


def test_a_large_file_goes_to_the_worker_and_its_progress_page_works_without_javascript(
    goals_org, tree, park_indicators, login_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "INLINE_ROWS", 3)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    rows = [
        f"Antal anmälda fel i parkerna;{year};{month};T;{month},5" for year in (2026, 2027) for month in range(1, 13)
    ]
    client = login_client(goals_org["leader"])

    with django_capture_on_commit_callbacks(execute=True):
        with_task = client.post(reverse("goals:import", args=[tree["park"].pk]), {"file": upload(csv(*rows))})

    job = MeasurementImport.objects.get()
    assert with_task.status_code == 302 and with_task["Location"] == reverse("goals:import_progress", args=[job.pk])
    # The tests' task backend runs the task at once (after the commit): the import is done.
    assert job.status == MeasurementImport.Status.DONE and job.written == 24 and job.done == job.total == 24
    html = client.get(with_task["Location"]).content.decode()
    assert "24 värden importerades." in html
    assert 'http-equiv="refresh"' not in html
    assert Measurement.objects.count() == 24


def test_a_running_import_page_reloads_itself_and_shows_a_progress_bar(goals_org, tree, login_client):
    job = MeasurementImport.objects.create(
        goal=tree["park"], file_name="stor.csv", content=b"", created_by=goals_org["leader"], total=1000, done=250
    )
    html = login_client(goals_org["leader"]).get(reverse("goals:import_progress", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress id="import-progress" max="1000" value="250">' in html
    assert "250 av 1000 rader (25 %)" in html


def test_a_large_bad_file_ends_with_its_lines_on_the_progress_page(
    goals_org, tree, park_indicators, login_client, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(importing, "INLINE_ROWS", 1)
    client = login_client(goals_org["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("goals:import", args=[tree["park"].pk]),
            {
                "file": upload(
                    csv("Antal anmälda fel i parkerna;2027;1;T;1", "Antal anmälda fel i parkerna;2027;2;T;fel")
                )
            },
        )
    job = MeasurementImport.objects.get()
    assert job.status == MeasurementImport.Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "Rad 3: Skriv ett tal" in html
    assert not Measurement.objects.exists()


def test_another_units_people_cannot_see_an_import(goals_org, tree, login_client):
    job = MeasurementImport.objects.create(
        goal=tree["park"], file_name="stor.csv", content=b"", created_by=goals_org["leader"], total=1
    )
    street = login_client(goals_org["street_leader"])
    assert street.get(reverse("goals:import_progress", args=[job.pk])).status_code == 404
    member = login_client(goals_org["member"])
    assert member.get(reverse("goals:import_progress", args=[job.pk])).status_code == 404
    assert member.get(reverse("goals:import", args=[tree["park"].pk])).status_code == 403


def test_the_import_page_asks_the_same_number_of_queries_however_many_indicators(
    goals_org, tree, park_indicators, login_client, assert_max_queries
):
    client = login_client(goals_org["leader"])
    url = reverse("goals:import", args=[tree["park"].pk])
    client.get(url)
    with assert_max_queries(20) as small:
        client.get(url)
    for number in range(5):
        indicators.indicator_create(
            actor=goals_org["leader"].user,
            goal=tree["park"],
            data=IndicatorInput(name=f"Indikator {number}", owner_id=goals_org["member"].pk),
        )
    with assert_max_queries(len(small)) as large:
        response = client.get(url)
    assert "Indikator 4" in response.content.decode()
    assert len(large) == len(small)
