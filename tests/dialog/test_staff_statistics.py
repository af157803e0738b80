"""Statistics of promises kept: the numbers on a small known data set, the scope, the chart and the query count."""

import datetime
import re
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
import time_machine

from brobygget.dialog.forms_staff import ERROR_CHOICE_UNKNOWN
from brobygget.dialog.services import case_answer, case_resolved_set
from brobygget.dialog.statistics import case_statistics, median, month_starts
from brobygget.organisation.models import Role
from tests.dialog.conftest import sv
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
    submit_case,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TODAY = datetime.datetime(2026, 6, 10, 12, tzinfo=STOCKHOLM)


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=STOCKHOLM), tick=False)


@pytest.fixture
def data(org):
    """Cases of the park team promised an answer within one working day, and one of the street team.

    * A: in Wed 13 May, due Fri 15 May (Thu 14 is Ascension Day), answered Fri 15 May: in time, 1 working day;
      the resident says it was not solved.
    * B: in Wed 13 May, answered Mon 18 May: late, 2 working days.
    * C: in Wed 13 May, never answered.
    * F: in Wed 20 May, due Thu 21 May, answered at 00:30 on Fri 22 May (still the 21st in UTC): late, 2 days.
    * D: in Thu 2 April, due Tue 7 April (Easter), answered Tue 7 April: in time, 1 day; solved.
    * G: in at 00:30 on Mon 1 June (still 31 May in UTC): counts in June.
    * E: the street team's, in May, answered in time: only those who see the street team see it.
    * Z: in June 2025: outside the twelve months.
    """
    handler = org["member"].user
    park = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker")
    ServicePromiseFactory(category=park, acknowledge_days=1, answer_days=1)
    street_unit = UnitFactory(municipality=park.municipality, parent=org["admin_unit"], name="Gatuenheten")
    street = CategoryFactory(municipality=park.municipality, unit=street_unit, name="Gator")
    ServicePromiseFactory(category=street, acknowledge_days=1, answer_days=1)

    with at(2025, 6, 2, 10):
        submit_case(park)
    with at(2026, 4, 2, 10):
        d = submit_case(park)[0]
    with at(2026, 4, 7, 15):
        case_answer(actor=handler, case=d, text="Klart.")
        case_resolved_set(case=d, resolved=True)
    with at(2026, 5, 13, 10):
        a, b, c = (submit_case(park)[0] for _ in range(3))
        e = submit_case(street)[0]
    with at(2026, 5, 15, 14):
        case_answer(actor=handler, case=a, text="Klart.")
        case_resolved_set(case=a, resolved=False)
        case_answer(actor=None, case=e, text="Klart.")
    with at(2026, 5, 18, 9):
        case_answer(actor=handler, case=b, text="Klart.")
    with at(2026, 5, 20, 10):
        f = submit_case(park)[0]
    assert (a.answer_due, d.answer_due, f.answer_due) == (
        datetime.date(2026, 5, 15),
        datetime.date(2026, 4, 7),
        datetime.date(2026, 5, 21),
    )
    with at(2026, 5, 22, 0, 30):
        case_answer(actor=handler, case=f, text="Klart.")
    with at(2026, 6, 1, 0, 30):
        submit_case(park)
    return {"street_unit": street_unit, "open": c}


def figures_of(statistics, month: datetime.date):
    return next(row.figures for row in statistics.months if row.month == month)


def test_the_figures_of_a_month_on_a_known_data_set(org, data):
    with time_machine.travel(TODAY, tick=False):
        statistics = case_statistics(person=org["member"], unit=None, today=TODAY.date())

    may = figures_of(statistics, datetime.date(2026, 5, 1))
    assert (may.received, may.answered, may.answered_in_time) == (4, 3, 1)
    assert may.share_in_time == 33
    assert may.median_days == 2  # 1, 2 and 2 working days
    assert (may.resolved_yes, may.resolved_no) == (0, 1)

    april = figures_of(statistics, datetime.date(2026, 4, 1))
    assert (april.received, april.answered, april.answered_in_time, april.median_days) == (1, 1, 1, 1)
    assert april.resolved_yes == 1
    assert figures_of(statistics, datetime.date(2026, 6, 1)).received == 1


def test_the_twelve_months_together(org, data):
    with time_machine.travel(TODAY, tick=False):
        statistics = case_statistics(person=org["member"], unit=None, today=TODAY.date())

    assert [row.month for row in statistics.months] == month_starts(TODAY.date())
    assert statistics.months[0].month == datetime.date(2025, 7, 1)  # June 2025 is outside
    total = statistics.total
    assert (total.received, total.answered, total.answered_in_time, total.share_in_time) == (6, 4, 2, 50)
    assert total.median_days == 1.5  # 1, 1, 2, 2
    assert [(row.name, row.figures.received) for row in statistics.units] == [("Parkenheten", 6)]


def test_the_registrar_sees_every_unit_and_can_narrow_to_one(org, data):
    with time_machine.travel(TODAY, tick=False):
        everything = case_statistics(person=org["registrar"], unit=None, today=TODAY.date())
        street = case_statistics(person=org["registrar"], unit=data["street_unit"], today=TODAY.date())

    assert [(row.name, row.figures.received) for row in everything.units] == [("Gatuenheten", 1), ("Parkenheten", 6)]
    assert everything.total.received == 7
    assert (street.total.received, street.total.answered_in_time, street.total.median_days) == (1, 1, 1)


def test_the_page_shows_the_table_and_an_accessible_chart(org, data, login_client):
    with time_machine.travel(TODAY, tick=False):
        response = login_client(org["member"]).get("/arenden/statistik/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<table" in html and "<caption" in html
    svg_text = re.search(r"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bar-chart\".*?</svg>", html, re.S)
    assert svg_text is not None
    svg = ET.fromstring(svg_text.group(0))  # noqa: S314 - well-formed XML is what is tested
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.find(f"{ns}title") is not None and svg.find(f"{ns}desc") is not None
    assert svg.get("aria-labelledby") == f"{svg.find(f'{ns}title').get('id')} {svg.find(f'{ns}desc').get('id')}"
    bars = svg.findall(f"{ns}rect")
    assert len(bars) == 24  # two series, twelve months
    assert {bar.get("class") for bar in bars} == {"bar-received", "bar-in-time"}
    assert any(bar.get("fill", "").startswith("url(#") for bar in bars)  # a pattern, not colour alone
    assert sv("Answered within the promise") in html and "33&nbsp;%" in html


def test_a_unit_the_person_may_not_see_is_not_a_choice(org, data, login_client):
    with time_machine.travel(TODAY, tick=False):
        response = login_client(org["member"]).get("/arenden/statistik/", {"enhet": data["street_unit"].pk})

    html = response.content.decode()
    assert sv(ERROR_CHOICE_UNKNOWN) in html
    assert "Gatuenheten" not in html


def test_the_statistics_query_count_does_not_grow_with_the_cases(org, data, login_client, assert_max_queries):
    client = login_client(org["registrar"])
    with time_machine.travel(TODAY, tick=False):
        client.get("/arenden/statistik/")
        # session, user, person, units, scope, counts, day pairs, unit names, session save (3)
        with assert_max_queries(11) as small:
            client.get("/arenden/statistik/")
    for _ in range(5):
        unit = UnitFactory(municipality=org["team"].municipality, parent=org["root"])
        MembershipFactory(person=PersonFactory(municipality=unit.municipality), unit=unit, role=Role.LEADER)
        category = CategoryFactory(municipality=unit.municipality, unit=unit)
        with at(2026, 3, 2, 10):
            case = submit_case(category)[0]
        with at(2026, 3, 3, 10):
            case_answer(actor=None, case=case, text="Klart.")
    with time_machine.travel(TODAY, tick=False), assert_max_queries(len(small)) as large:
        client.get("/arenden/statistik/")

    assert len(large) == len(small)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [({}, None), ({3: 1}, 3), ({1: 1, 2: 1}, 1.5), ({1: 2, 5: 1}, 1), ({0: 1, 4: 3}, 4), ({2: 2, 6: 2}, 4)],
)
def test_the_median_of_counted_values(counts, expected):
    assert median(counts) == expected
