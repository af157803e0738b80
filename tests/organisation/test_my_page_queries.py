"""Min sida asks the same number of queries whatever there is to show: a leader with a little in every section (cases
given to her and waiting in her unit, improvements, deviations to triage, thanks, follow-ups due and overdue below
her), then more of everything than any section lists, in more units below her; and the registrar alike. The numbers
are the bench's ceilings (bench/pages.py)."""

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine

from brobygget.dialog.models import CaseMail, CaseMailChoice
from brobygget.dialog.services import case_assign
from brobygget.goals.models import Goal, Level, Period, Rhythm
from brobygget.improvement.models import Deviation, Improvement, Recognition
from tests.factories import CategoryFactory, MembershipFactory, ServicePromiseFactory, UnitFactory, submit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
SUBMITTED = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)  # answer by 16 March (10 working days)
TODAY = datetime.datetime(2026, 3, 17, 9, tzinfo=STOCKHOLM)  # overdue; the follow-ups of February overdue too

LEADER_QUERIES = 16  # session, user, person, responsibilities, routines, the 8 sections' 9 reads, session save (3)
REGISTRAR_QUERIES = 13  # no led units: no units' cases, deviations or follow-ups below


def _fill(org, unit, n: int) -> None:
    """n of everything Min sida shows, in `unit`: cases due (every other one given to the leader), improvements she
    owns, deviations waiting, thanks to her, follow-ups due for her and overdue for the member."""
    municipality, leader, member = unit.municipality, org["leader"], org["member"]
    category: Any = CategoryFactory(municipality=municipality, unit=unit)
    ServicePromiseFactory(category=category, answer_days=10)
    with time_machine.travel(SUBMITTED, tick=False):
        cases = [submit_case(category)[0] for _ in range(n)]
    for case in cases[::2]:
        case_assign(actor=None, case=case, unit=unit, assignee=leader)
    period, _created = Period.objects.get_or_create(
        municipality=municipality, name="2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    for index in range(n):
        Improvement.objects.create(
            municipality=municipality,
            unit=unit,
            title=f"Förbättring {index}",
            problem="p",
            value_for_resident="v",
            idea="i",
            measure="m",
            owner=leader,
            due_date=datetime.date(2026, 3, 1 + index % 28),
            stage_changed_at=SUBMITTED,
            created_by=leader,
        )
        Deviation.objects.create(
            municipality=municipality,
            unit=unit,
            what_happened="Det läckte.",
            where=f"Förrådet {index}",
            happened_at=SUBMITTED,
            reported_by=member,
            reported_at=SUBMITTED,
        )
        Recognition.objects.create(
            municipality=municipality, given_by=member, person=leader, unit=unit, text="Tack!", given_at=SUBMITTED
        )
        for responsible in (leader, member):
            Goal.objects.create(
                municipality=municipality,
                period=period,
                level=Level.ACTIVITY,
                title=f"Aktivitet {index}",
                unit=unit,
                responsible=responsible,
                rhythm=Rhythm.MONTHLY,
            )


def _queries(client, assert_max_queries, limit: int) -> int:
    with time_machine.travel(TODAY, tick=False):
        assert client.get("/min-sida/").status_code == 200
        with assert_max_queries(limit) as captured:
            html = client.get("/min-sida/").content.decode()
    assert "Ärenden att svara på snart" in html
    return len(captured)


def test_min_sida_asks_the_same_queries_however_much_there_is_in_every_section(org, login_client, assert_max_queries):
    _fill(org, org["team"], 1)
    leader, registrar = login_client(org["leader"]), login_client(org["registrar"])
    little = _queries(leader, assert_max_queries, LEADER_QUERIES)
    little_registrar = _queries(registrar, assert_max_queries, REGISTRAR_QUERIES)

    _fill(org, org["team"], 25)
    for index in range(3):
        below = UnitFactory(municipality=org["team"].municipality, name=f"Lag {index}", parent=org["team"])
        MembershipFactory(person=org["leader"], unit=below, role="leader")
        _fill(org, below, 5)
    CaseMailChoice.objects.create(person=org["leader"], how=CaseMail.EACH, daily_at=datetime.time(7))

    with time_machine.travel(TODAY, tick=False):
        html = leader.get("/min-sida/").content.decode()
    for shown in ("Ärenden i enheterna du leder", "Mina förbättringar", "Avvikelser att ta ställning till"):
        assert shown in html
    assert "Mål att följa upp" in html and "Försenade uppföljningar i dina enheter" in html and "Tack!" in html
    assert _queries(leader, assert_max_queries, little) == little == LEADER_QUERIES
    assert _queries(registrar, assert_max_queries, little_registrar) == little_registrar == REGISTRAR_QUERIES
