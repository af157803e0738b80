"""Statistics of promises kept: the numbers on a small known data set, the scope, the chart and the query count."""

import datetime
import importlib
import random
import re
import statistics as pystatistics
import xml.etree.ElementTree as ET
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps

from brobygget.core.calendar import working_days_between
from brobygget.dialog.forms_staff import ERROR_CHOICE_UNKNOWN
from brobygget.dialog.models import Case, CaseTally
from brobygget.dialog.services import case_answer, case_assign, case_recategorise, case_reject, case_resolved_set
from brobygget.dialog.statistics import case_statistics, median, month_starts
from brobygget.dialog.tally import TallyCounter, tally_of
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
    return {"street_unit": street_unit, "open": c, "street": street}


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
        # session, user, person, units, scope, the rollup's rows, session save (3)
        with assert_max_queries(9) as small:
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


# --- The rollup's figures equal a count over the cases ------------------------------------------------------------

LATE_AUTUMN = datetime.datetime(2026, 11, 10, 12, tzinfo=STOCKHOLM)  # the twelve months: December 2025 to November
# Moments a local date differs from the UTC date, or a day is 23 or 25 hours long: midnight, the first and last
# hour of a month, the nights summer time starts (29 March 2026) and ends (25 October 2026).
AWKWARD_MOMENTS = [
    (2025, 11, 30, 23, 30),  # November, outside the twelve months (22:30 UTC)
    (2025, 12, 1, 0, 30),  # December, inside (still 30 November in UTC)
    (2025, 12, 31, 23, 59),
    (2026, 1, 1, 0, 1),
    (2026, 1, 31, 23, 30),
    (2026, 2, 1, 0, 30),
    (2026, 2, 28, 23, 45),
    (2026, 3, 1, 0, 15),
    (2026, 3, 29, 1, 59),  # summer time starts at 02:00
    (2026, 3, 29, 3, 0),
    (2026, 3, 31, 23, 30),
    (2026, 4, 1, 1, 30),  # 23:30 UTC on 31 March
    (2026, 6, 30, 23, 59),
    (2026, 7, 1, 0, 0),
    (2026, 10, 25, 2, 30),  # winter time: 02:30 happens twice
    (2026, 10, 31, 23, 30),
    (2026, 11, 1, 0, 30),
]


def expected_figures(cases: list[Case], months: list[datetime.date]) -> dict[str, tuple]:
    """The page's figures counted straight from the cases, by the definitions in docs/staff.md."""
    rows: dict[str, dict] = {}

    def row(key: str) -> dict:
        return rows.setdefault(key, {"received": 0, "answered": 0, "in_time": 0, "yes": 0, "no": 0, "days": []})

    for case in cases:
        received_on = case.submitted_at.astimezone(STOCKHOLM).date()
        month = received_on.replace(day=1)
        if month not in months:
            continue
        for key in (f"month {month}", f"unit {case.unit_id}", "total"):
            figures = row(key)
            figures["received"] += 1
            figures["yes"] += case.resolved is True
            figures["no"] += case.resolved is False
            if case.answered_at is not None:
                answered_on = case.answered_at.astimezone(STOCKHOLM).date()
                figures["answered"] += 1
                figures["in_time"] += answered_on <= case.answer_due
                figures["days"].append(working_days_between(received_on, answered_on))
    return {
        key: (
            f["received"],
            f["answered"],
            f["in_time"],
            f["yes"],
            f["no"],
            pystatistics.median(f["days"]) if f["days"] else None,
        )
        for key, f in rows.items()
    }


def shown_figures(statistics) -> dict[str, tuple]:
    def of(f):
        return (f.received, f.answered, f.answered_in_time, f.resolved_yes, f.resolved_no, f.median_days)

    shown = {f"month {row.month}": of(row.figures) for row in statistics.months if row.figures.received}
    shown |= {f"unit {row.unit_id}": of(row.figures) for row in statistics.units}
    shown["total"] = of(statistics.total)
    return shown


@pytest.fixture
def many(org):
    """Cases at awkward moments and at random ones, answered (some at 00:30), moved, rejected, and resolved (some
    residents change their mind), all through the services with the clock fixed."""
    rng = random.Random(14)
    municipality = org["team"].municipality
    park = CategoryFactory(municipality=municipality, unit=org["team"], name="Parker")
    ServicePromiseFactory(category=park, acknowledge_days=1, answer_days=2)
    street_unit = UnitFactory(municipality=municipality, parent=org["admin_unit"], name="Gatuenheten")
    street = CategoryFactory(municipality=municipality, unit=street_unit, name="Gator")
    units = [org["team"], street_unit, org["admin_unit"]]
    moments = [datetime.datetime(*m, tzinfo=STOCKHOLM) for m in AWKWARD_MOMENTS]
    start = datetime.datetime(2025, 11, 20, tzinfo=STOCKHOLM)
    moments += [start + datetime.timedelta(minutes=rng.randrange(350 * 24 * 60)) for _ in range(25)]
    for moment in sorted(moments):
        with time_machine.travel(moment, tick=False):
            case = submit_case(rng.choice([park, street]), contact_email="a@example.se", wants_answer=True)[0]
        later = moment
        for step in rng.sample(["answer", "move", "reject", "resolve", "resolve"], k=rng.randrange(5)):
            later = min(later + datetime.timedelta(hours=rng.choice([1, 14.5, 23.5, 24 * 3, 24 * 9])), LATE_AUTUMN)
            with time_machine.travel(later, tick=False):
                case.refresh_from_db()
                if step == "answer" and case.rejection_reason == "":
                    case_answer(actor=None, case=case, text="Svar.", close=rng.random() < 0.5)
                elif step == "move":
                    case_assign(actor=None, case=case, unit=rng.choice(units))
                elif step == "reject" and case.answered_at is None and case.status != "closed":
                    case_reject(actor=None, case=case, reason="Inte vår.")
                elif step == "resolve" and case.answered_at is not None:
                    case_resolved_set(case=case, resolved=rng.random() < 0.5)
    return {"street_unit": street_unit}


def test_the_figures_equal_a_count_over_the_cases(org, many):
    cases = list(Case.objects.all())
    months = month_starts(LATE_AUTUMN.date())
    assert sum(c.answered_at is not None for c in cases) > 10 and any(c.resolved is False for c in cases)
    with time_machine.travel(LATE_AUTUMN, tick=False):
        statistics = case_statistics(person=org["registrar"], unit=None, today=LATE_AUTUMN.date())

    assert shown_figures(statistics) == expected_figures(cases, months)
    assert statistics.total.received == len(cases) - 1  # all but the one of November 2025


def test_the_figures_of_a_unit_and_below_equal_a_count_over_its_cases(org, many):
    below = list(Case.objects.filter(unit__path__startswith=org["admin_unit"].path))
    with time_machine.travel(LATE_AUTUMN, tick=False):
        statistics = case_statistics(person=org["registrar"], unit=org["admin_unit"], today=LATE_AUTUMN.date())
        street = case_statistics(person=org["registrar"], unit=many["street_unit"], today=LATE_AUTUMN.date())

    months = month_starts(LATE_AUTUMN.date())
    assert shown_figures(statistics) == expected_figures(below, months)
    street_cases = [c for c in below if c.unit_id == many["street_unit"].pk]
    assert shown_figures(street) == expected_figures(street_cases, months)


def test_the_kept_rollup_equals_the_rollup_counted_afresh_as_the_migration_does(org, many):
    counter = TallyCounter()
    for case in Case.objects.all():
        counter.add(tally_of(case))
    kept = {tally_row(r) for r in CaseTally.objects.filter(received__gt=0)}
    assert kept == {tally_row(r) for r in counter.rows()}

    migration = importlib.import_module("brobygget.dialog.migrations.0009_case_tally_category_kind")
    CaseTally.objects.all().delete()

    migration.tally_fill(apps, SimpleNamespace(connection=SimpleNamespace(alias="default")))
    assert {tally_row(r) for r in CaseTally.objects.all()} == kept


def tally_row(row: CaseTally) -> tuple:
    columns = ["unit_id", "category_id", "kind", "month", "received", "answered", "in_time", "resolved_yes"]
    return (*(getattr(row, c) for c in columns), row.resolved_no, tuple(sorted(row.answer_days.items())))


def test_a_case_counts_where_its_unit_is_now(org, data):
    with at(2026, 6, 3, 9):
        case_assign(actor=None, case=data["open"], unit=data["street_unit"])
    with time_machine.travel(TODAY, tick=False):
        statistics = case_statistics(person=org["registrar"], unit=None, today=TODAY.date())

    assert [(row.name, row.figures.received) for row in statistics.units] == [("Gatuenheten", 2), ("Parkenheten", 5)]
    assert statistics.total.received == 7


def test_a_case_counts_under_its_category_now_and_the_rollup_stays_true(org, data):
    counter = TallyCounter()
    with at(2026, 6, 3, 9):
        case_recategorise(actor=None, case=data["open"], category=data["street"])
    for case in Case.objects.all():
        counter.add(tally_of(case))

    kept = CaseTally.objects.filter(received__gt=0)
    assert {tally_row(r) for r in kept} == {tally_row(r) for r in counter.rows()}
    assert kept.get(category=data["street"], unit=org["team"]).received == 1


def test_the_figures_are_kept_a_minute_for_everyone_who_sees_the_same_units(org, data, login_client, settings):
    """STATISTICS_CACHE_SECONDS (60 in production): a new case shows within the minute, not at once; two people who
    see the same units share the figures; a person who sees other units gets their own."""
    from django.core.cache import cache

    settings.STATISTICS_CACHE_SECONDS = 60
    leader, member = login_client(org["leader"]), login_client(org["member"])
    with time_machine.travel(TODAY, tick=False):
        first = leader.get("/arenden/statistik/").content.decode()
        submit_case(data["street"])  # the street team's: not the park team's people's units
        park = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Lekplatser")
        submit_case(park)
        kept = member.get("/arenden/statistik/").content.decode()
        cache.clear()  # the minute has passed
        fresh = member.get("/arenden/statistik/").content.decode()

    def received(html: str) -> str:
        found = re.search(r'<tr><th scope="row">' + sv("All twelve months") + r"</th>\s*<td[^>]*>(\d+)", html)
        assert found, "no total row"
        return found.group(1)

    assert received(kept) == received(first)
    assert int(received(fresh)) == int(received(first)) + 1
    assert sv("The figures are counted anew at least once a minute.") in first
