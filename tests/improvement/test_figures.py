"""A team's figures: raised and completed per employee per year, time in each stage, the share completed with a
measured effect, rolled up the unit tree, each equal to what the test counts from the rows; scoping; query counts that
do not grow with the data."""

import datetime
import re
import statistics
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from brobygget.core.charts import ChartSeries, bar_chart, nice_top
from brobygget.improvement import figures, services
from brobygget.improvement.models import Improvement, ImprovementRound, Outcome, StageMove
from brobygget.organisation.models import Membership, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import improvement_input

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2026, 11, 16, 10, tzinfo=STOCKHOLM)


def at(month: int, day: int, year: int = 2026, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def raise_at(when, unit, owner, by, title="Förbättring") -> Improvement:
    with time_machine.travel(when, tick=False):
        return services.improvement_raise(actor=by.user, unit=unit, data=improvement_input(owner, title=title))


def walk(improvement, by, days, outcome: str | None = None) -> Improvement:
    """Moves the improvement on at the given times (Plan, Do, Study, Act), and finishes it at the next one."""
    answers = ["", "Färre samtal.", "Vi skrev en sida.", "Hälften så många samtal."]
    for when, stage, answer in zip(days, ["plan", "do", "study", "act"], answers, strict=False):
        with time_machine.travel(when, tick=False):
            improvement = services.improvement_move(actor=by.user, improvement=improvement, to=stage, answer=answer)
    if outcome:
        with time_machine.travel(days[4], tick=False):
            lesson = "Det gick inte som vi trodde."
            improvement = services.improvement_finish(
                actor=by.user, improvement=improvement, outcome=outcome, lesson=lesson
            )
    return improvement


@pytest.fixture
def tree(org, street):
    """Samhällsbyggnad with Parkenheten (and Lekplatsgruppen under it) and Gatuenheten, improvements over three years.

    People: Samhällsbyggnad itself 1; Parkenheten 2, Lekplatsgruppen 1 more and Mats again (counted once); Gatuenheten
    1; an inactive person counts nowhere."""
    municipality = org["team"].municipality
    admin, team, registrar = org["admin_unit"], org["team"], org["registrar"]
    play = UnitFactory(municipality=municipality, code="LEK", name="Lekplatsgruppen", parent=team)
    MembershipFactory(person=PersonFactory(municipality=municipality), unit=admin, role=Role.STAFF)
    MembershipFactory(person=PersonFactory(municipality=municipality), unit=play, role=Role.STAFF)
    MembershipFactory(person=org["member"], unit=play, role=Role.STAFF)
    MembershipFactory(person=PersonFactory(municipality=municipality, is_active=False), unit=play, role=Role.STAFF)
    member, gustav = org["member"], street["person"]

    old = raise_at(at(11, 3, 2025), team, member, registrar, "Från i fjol")
    walk(old, registrar, [at(11, 20, 2025), at(12, 1, 2025), at(1, 12), at(2, 2), at(2, 3)], Outcome.ADOPTED)
    quick = raise_at(at(1, 10), team, member, registrar, "Snabb")
    walk(quick, registrar, [at(1, 12), at(1, 22), at(2, 1), at(2, 4), at(2, 5)], Outcome.ABANDONED)
    blank = raise_at(at(3, 1), team, member, registrar, "Utan svar i Studera")
    blank = walk(blank, registrar, [at(3, 2), at(3, 9), at(4, 1), at(4, 2)])
    ImprovementRound.objects.filter(improvement=blank).update(result="")  # adopted, but with no result written
    with time_machine.travel(at(4, 30), tick=False):
        services.improvement_finish(actor=registrar.user, improvement=blank, outcome=Outcome.ADOPTED)
    walk(raise_at(at(3, 5), team, member, registrar, "Pågår"), registrar, [at(3, 6), at(5, 6)])
    adapted = raise_at(at(2, 14), play, member, registrar, "Gungorna")
    walk(adapted, registrar, [at(2, 20), at(3, 1), at(3, 30), at(6, 1), at(6, 2)], Outcome.ADAPTED)
    raise_at(at(6, 1, 2024), street["unit"], gustav, registrar, "Gammal gata")
    raise_at(at(9, 9), street["unit"], gustav, registrar, "Ny gata")
    raise_at(at(12, 31, 2025, hour=23), admin, member, registrar, "Nyårsafton")  # 2025 in Swedish time
    raise_at(at(4, 4), org["root"], member, registrar, "Ovanför")  # above: not counted
    return {"admin": admin, "team": team, "play": play, "street": street["unit"]}


def counted(path: str, year: int) -> dict[str, int]:
    """The figures counted in Python from the rows, as the page should give them."""
    rows = list(Improvement.objects.filter(unit__path__startswith=path))
    done = [i for i in rows if i.finished_at and timezone.localtime(i.finished_at).year == year]
    measured = [
        i
        for i in done
        if i.outcome in (Outcome.ADOPTED, Outcome.ADAPTED) and i.rounds.get(number=i.round_number).result
    ]
    people = Membership.objects.filter(unit__path__startswith=path, person__is_active=True)
    return {
        "raised": sum(1 for i in rows if timezone.localtime(i.created_at).year == year),
        "done": len(done),
        "measured": len(measured),
        "people": len({m.person_id for m in people}),
    }


def stays(path: str, year: int) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for move in StageMove.objects.filter(improvement__unit__path__startswith=path).order_by("at", "pk"):
        earlier = StageMove.objects.filter(improvement=move.improvement_id, at__lt=move.at).order_by("-at").first()
        arrived = earlier.at if earlier else move.improvement.created_at
        if timezone.localtime(move.at).year == year:
            days = (move.at - arrived) // datetime.timedelta(days=1)  # whole days of 24 hours
            found.setdefault(move.from_stage, []).append(days)
    return found


def as_dict(counts: figures.Counts) -> dict[str, int]:
    return {"raised": counts.raised, "done": counts.done, "measured": counts.measured, "people": counts.people}


def test_the_figures_equal_what_the_rows_say_per_year_and_rolled_up(tree):
    with time_machine.travel(NOW, tick=False):
        page = figures.unit_figures(unit=tree["admin"], year=2026)

    assert [row.year for row in page.years] == [2022, 2023, 2024, 2025, 2026]
    for row in page.years:
        assert as_dict(row.counts) == counted(tree["admin"].path, row.year), row.year
    total = page.total
    assert as_dict(total) == {"raised": 5, "done": 4, "measured": 2, "people": 5}
    assert total.raised_per_employee == 1 and total.done_per_employee == 4 / 5
    assert total.measured_share == 50
    # One level down, each rolled up: Parkenheten includes Lekplatsgruppen; the unit's own board and people first.
    assert [(row.pk, row.name) for row in page.units] == [
        (None, "Samhällsbyggnad"),
        (tree["street"].pk, "Gatuenheten"),
        (tree["team"].pk, "Parkenheten"),
    ]
    own, street, team = page.units
    assert as_dict(team.counts) == counted(tree["team"].path, 2026)
    assert as_dict(street.counts) == counted(tree["street"].path, 2026)
    assert as_dict(own.counts) == {"raised": 0, "done": 0, "measured": 0, "people": 1}
    assert team.counts.people == 3  # Mats is in two of its units and counted once; the inactive person not at all


def test_time_in_each_stage_is_the_median_of_the_stays_that_ended_in_the_year(tree):
    with time_machine.travel(NOW, tick=False):
        page = figures.unit_figures(unit=tree["admin"], year=2026)
        last_year = figures.unit_figures(unit=tree["team"], year=2025)

    expected = stays(tree["admin"].path, 2026)
    assert [row.stage for row in page.stages] == ["idea", "plan", "do", "study", "act"]
    for row in page.stages:
        assert row.stays == len(expected.get(row.stage, [])), row.stage
        assert row.median_days == (statistics.median(expected[row.stage]) if row.stage in expected else None)
    assert {row.stage: row.median_days for row in last_year.stages} == {
        "idea": 17.0,
        "plan": 11.0,
        "do": None,
        "study": None,
        "act": None,
    }


def test_the_figures_page_shows_charts_with_tables_and_drills_down(org, tree, login_client):
    with time_machine.travel(NOW, tick=False):
        html = (
            login_client(org["registrar"]).get(f"/forbattringar/enheter/{tree['admin'].pk}/siffror/").content.decode()
        )
        chosen = login_client(org["registrar"]).get(f"/forbattringar/enheter/{tree['team'].pk}/siffror/?ar=2025")
        wrong = login_client(org["registrar"]).get(f"/forbattringar/enheter/{tree['team'].pk}/siffror/?ar=1900")

    assert html.count('role="img"') == 2 and html.count("<table") == 3
    assert "Förbättringssiffror för Samhällsbyggnad" in html
    # 5 raised by 5 people: 1,0 per employee; 4 completed (0,8 per employee), 2 with a measured effect: 50 %.
    row = html.partition('<tr><th scope="row">2026</th>')[2].partition("</tr>")[0]
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert [c.strip() for c in cells[:5]] == ["5", "5", "1,0", "4", "0,8"] and cells[5].startswith("50&nbsp;%")
    assert f'href="/forbattringar/enheter/{tree["team"].pk}/siffror/?ar=2026">Parkenheten</a>' in html
    assert "Samhällsbyggnad själv (enhetens egen tavla)" in html and "Sammanlagt" in html
    # The team's figures, never a person's.
    assert "Mats" not in html and "Medarbetare" not in html
    page = chosen.content.decode()
    assert chosen.status_code == 200 and re.findall(r'<th scope="row">(\d{4})</th>', page) == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    assert '<option value="2025" selected>' in page
    assert f'href="/forbattringar/enheter/{tree["play"].pk}/siffror/?ar=2025">Lekplatsgruppen</a>' in page
    assert wrong.status_code == 200 and '<th scope="row">2026</th>' in wrong.content.decode()


def test_the_board_and_the_boards_list_link_to_the_figures(org, login_client):
    client = login_client(org["member"])
    html = client.get(f"/forbattringar/enheter/{org['team'].pk}/").content.decode()
    index = client.get("/forbattringar/").content.decode()
    assert f'href="/forbattringar/enheter/{org["team"].pk}/siffror/">Enhetens siffror</a>' in html
    assert f'href="/forbattringar/enheter/{org["team"].pk}/siffror/">Enhetens siffror<span' in index


def test_people_who_may_not_see_the_unit_get_404(org, street, tree, login_client):
    other_municipality = MunicipalityFactory(code="9995")
    stranger = PersonFactory(municipality=other_municipality)
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=other_municipality), role=Role.ADMIN)

    def status(person, unit) -> int:
        return login_client(person).get(f"/forbattringar/enheter/{unit.pk}/siffror/").status_code

    assert status(street["person"], tree["team"]) == 404
    assert status(street["person"], tree["admin"]) == 404
    assert status(stranger, tree["team"]) == 404
    assert status(org["member"], tree["admin"]) == 404  # a team's member sees their team and below, not above
    assert status(org["member"], tree["team"]) == 200 and status(org["member"], tree["play"]) == 200
    assert status(org["leader"], tree["team"]) == 200


def test_the_figures_query_count_does_not_grow_with_the_data(org, street, login_client, assert_max_queries):
    client = login_client(org["registrar"])
    url = f"/forbattringar/enheter/{org['admin_unit'].pk}/siffror/"
    registrar, member = org["registrar"], org["member"]
    with time_machine.travel(NOW, tick=False):
        raise_at(at(3, 1), org["team"], member, registrar)
        client.get(url)
        # session, user, person and roles, the unit, the units below, the people, the rollup's rows per unit and
        # year, their stays in the year, session save (3)
        with assert_max_queries(13) as small:
            client.get(url)

    for index in range(6):
        unit = org["team"] if index % 2 else street["unit"]
        owner = member if index % 2 else street["person"]
        improvement = raise_at(at(1, 1 + index), unit, owner, registrar)
        walk(improvement, registrar, [at(2, 1 + index), at(3, 1), at(4, 1), at(5, 1), at(6, 1)], Outcome.ADOPTED)
    UnitFactory(municipality=org["team"].municipality, code="NY", name="Ny enhet", parent=org["admin_unit"])
    with time_machine.travel(NOW, tick=False), assert_max_queries(len(small)) as large:
        response = client.get(url)

    assert "Ny enhet" in response.content.decode()
    assert len(large) == len(small)


def test_the_chart_scale_and_numbers_in_swedish():
    assert [nice_top(v) for v in (0, 0.3, 1.2, 4, 7, 38)] == [4.0, 0.4, 2.0, 4.0, 8.0, 40.0]
    chart = bar_chart(labels=["2025", "2026"], series=[ChartSeries("Upplagda", [0.5, 1.25])], styles=["bar-raised"])
    assert [bar.label for group in chart.groups for bar in group.bars] == ["0,5", "1,2"]
    assert [tick.label for tick in chart.ticks] == ["0", "0,5", "1", "1,5", "2"]
    assert chart.groups[1].bars[0].height > chart.groups[0].bars[0].height
    # No value (nobody in the unit, no stay ended) is a dash and no bar, not a zero.
    empty = bar_chart(labels=["Idé", "Planera"], series=[ChartSeries("Median", [None, 3])], styles=["bar-done"])
    assert [(bar.label, bar.height) for bar in empty.groups[0].bars] == [("–", 0)]


def test_the_charts_show_the_numbers_of_their_tables(org, tree, login_client):
    with time_machine.travel(NOW, tick=False):
        html = (
            login_client(org["registrar"]).get(f"/forbattringar/enheter/{tree['admin'].pk}/siffror/").content.decode()
        )

    years_chart = html.partition('id="years-chart-title"')[2].partition("</svg>")[0]
    bars = re.findall(r'<text class="value"[^>]*>([^<]+)</text>', years_chart)
    table = html.partition('id="years-caption"')[2].partition("</table>")[0]
    per_employee = []
    for row in re.findall(r"<tr><th scope=\"row\">\d{4}</th>(.*?)</tr>", table, re.S):
        cells = [cell.strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        per_employee += [cells[2], cells[4]]  # raised and completed per employee, as the bars go: year by year
    assert [bar.replace(",0", "") for bar in bars] == [value.replace(",0", "") for value in per_employee]
    assert bars[-2:] == ["1", "0,8"]  # 2026: 5 raised and 4 completed by 5 people
    stage_chart = html.partition('id="stages-chart-title"')[2].partition("</svg>")[0]
    assert 'aria-labelledby="stages-chart-title stages-chart-desc"' in html
    assert len(re.findall(r'<text class="value"', stage_chart)) == 5
