"""The follow-up report of a unit and period: printed from the snapshots (last year's words stay), as a page with a
print stylesheet, as a PDF whose text is checked, and the indicator data as CSV and XLSX; scoping."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from brobygget.goals import services
from brobygget.goals.followups import FollowUpInput, follow_up_submit
from brobygget.goals.models import FollowUp, Indicator, IndicatorTarget, Measurement
from tests.goals.conftest import goal_input

pytestmark = pytest.mark.django_db

S = FollowUp.Status


@pytest.fixture
def followed(goals_org, tree):
    """The park goal with an indicator, followed up red at the end of 2027; then renamed in 2028."""
    leader, park = goals_org["leader"], tree["park"]
    indicator = Indicator.objects.create(
        municipality=park.municipality, goal=park, name="Nöjda besökare", unit_of_measure="%", owner=leader,
        green_from=Decimal(80), red_from=Decimal(60),
    )  # fmt: skip
    IndicatorTarget.objects.create(indicator=indicator, period=goals_org["period"], value=Decimal(85))
    for year, value in ((2026, "55.5"), (2027, "58")):
        Measurement.objects.create(
            indicator=indicator, year=year, value=Decimal(value), source="manual",
            recorded_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )  # fmt: skip
    with time_machine.travel(datetime.datetime(2027, 12, 20, 10, tzinfo=datetime.UTC), tick=False):
        follow_up_submit(
            actor=leader.user,
            goal=park,
            covers_until=datetime.date(2027, 12, 31),
            data=FollowUpInput(S.RED, "Vi ser nedskräpning. Städrundan uteblev i höstas. Vi lägger till en runda."),
        )
    services.goal_update(
        actor=leader.user, goal=park, data=goal_input(leader, title="Ett nytt namn 2028", parent_id=park.parent_id)
    )
    return indicator


def url(name: str, goals_org) -> str:
    return reverse(f"goals:{name}", args=[goals_org["admin_unit"].pk]) + f"?period={goals_org['period'].pk}"


def test_the_report_reads_last_years_words_from_the_snapshots(goals_org, tree, followed, login_client):
    response = login_client(goals_org["chief"]).get(url("report", goals_org))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Uppföljning av {goals_org['admin_unit'].name}" in html
    assert "Rena lekplatser" in html and "Ett nytt namn 2028" not in html
    assert "Städrundan uteblev i höstas" in html
    assert "Säkra övergångsställen" in html and "Ej uppföljd" in html  # the street goal, not followed up
    assert (
        "followup.css" in html
        and "@media print"
        in open(  # noqa: SIM115
            "src/brobygget/goals/static/goals/followup.css", encoding="utf-8"
        ).read()
    )


def test_the_pdf_holds_the_reports_text(goals_org, tree, followed, login_client):
    response = login_client(goals_org["chief"]).get(url("report_pdf", goals_org))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Rena lekplatser" in text
    assert "Städrundan uteblev i höstas" in text
    assert "Nöjda besökare" in text and "58" in text and "85" in text
    assert "Ett nytt namn 2028" not in text


def test_the_indicator_data_as_csv_and_xlsx(goals_org, tree, followed, login_client):
    client = login_client(goals_org["chief"])
    csv_text = client.get(url("indicators_csv", goals_org)).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Mål;Indikator;Måttenhet;År")
    assert ";Nöjda besökare;%;2026;" in lines[1] and ";55,5;85;" in lines[1]
    assert len(lines) == 3
    book = load_workbook(io.BytesIO(client.get(url("indicators_xlsx", goals_org)).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mål", "Indikator", "Måttenhet", "År")
    assert rows[2][7] == 58 and rows[2][8] == 85


def test_another_units_report_is_404(goals_org, tree, followed, login_client):
    client = login_client(goals_org["street_member"])
    for name in ("report", "report_pdf", "indicators_csv", "indicators_xlsx"):
        assert client.get(reverse(f"goals:{name}", args=[goals_org["team"].pk])).status_code == 404
