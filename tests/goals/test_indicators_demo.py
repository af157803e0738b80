"""The demo's indicators (demo/goals_indicators.py): entered by hand, imported from a file, and filled from Kolada's
answers recorded with the demo through the sync's own code path (the paging of the recording, a null, an isdeleted
row); the recordings replay the nightly sync too, and no request leaves the machine."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from brobygget.demo.goals_indicators import KOLADA, MANUAL, demo_indicators_load, recorded_client
from brobygget.goals import services
from brobygget.goals.kolada.sync import kolada_sync
from brobygget.goals.models import Goal, Indicator, IndicatorTarget, Level, Measurement, Period
from brobygget.organisation.models import Person, Unit

pytestmark = pytest.mark.django_db


def _tree(municipality, people) -> None:
    """A goal for each unit the demo's indicators name, when the demo's goal tree has none (made as leaders do)."""
    today = timezone.localdate()
    period = Period.objects.filter(municipality=municipality, start__lte=today, end__gte=today).first()
    if period is None:
        period = Period.objects.create(
            municipality=municipality,
            name=str(today.year),
            start=datetime.date(today.year, 1, 1),
            end=datetime.date(today.year, 12, 31),
        )
    for unit_code, leader in {**{m.unit: m.by for m in MANUAL}, **{u: by for u, by, _kpi in KOLADA}}.items():
        unit = Unit.objects.get(municipality=municipality, code=unit_code)
        if Goal.objects.filter(period=period, unit=unit).exists():
            continue
        person = people[leader]
        user = person.user
        if user is None:
            from brobygget.organisation.services import staff_account_create

            user = staff_account_create(actor=None, person=person, username=f"leader{leader}", password=None)
        services.goal_create(
            actor=user,
            unit=unit,
            period=period,
            data=services.GoalInput(
                level=Level.COUNCIL if unit_code == "KS" else Level.UNIT,
                title=f"Mål för {unit.name}",
                responsible_id=person.pk,
            ),
        )


@pytest.fixture
def demo_indicators(demo):
    municipality = demo["municipality"]
    if Indicator.objects.filter(municipality=municipality).exists():
        return list(Indicator.objects.filter(municipality=municipality))  # the demo's loader called it already
    people = {person.employee_number: person for person in Person.objects.filter(municipality=municipality)}
    _tree(municipality, people)
    return demo_indicators_load(municipality, people)


def test_the_demo_has_indicators_by_hand_from_a_file_and_from_kolada(demo_indicators):
    by_source = {indicator.source for indicator in demo_indicators}
    assert by_source == {Indicator.Source.MANUAL, Indicator.Source.FILE, Indicator.Source.KOLADA}
    assert len(demo_indicators) == len(MANUAL) + len(KOLADA)
    assert IndicatorTarget.objects.count() == len(MANUAL) + 1
    faults = Indicator.objects.get(name="Felanmälningar om lekplatser per månad")
    assert Measurement.objects.filter(indicator=faults).count() == 7
    assert Measurement.objects.filter(indicator=faults, value=None).count() == 1  # not counted: no value, never 0
    assert set(Measurement.objects.filter(indicator=faults).values_list("source", flat=True)) == {"file"}


def test_every_value_of_the_demo_is_in_the_past(demo_indicators):
    today = timezone.localdate()
    for year, month in Measurement.objects.values_list("year", "month"):
        if month:
            assert (year, month) < (today.year, today.month), (year, month)  # a month that has ended
        else:
            assert year < today.year, year  # a year that has ended


def test_the_kolada_indicators_are_filled_from_the_recordings_with_riket_and_the_group(demo_indicators):
    population = Indicator.objects.get(kolada_kpi="N01951")
    values = Measurement.objects.filter(indicator=population)
    assert population.name == "Invånare totalt, antal"
    assert values.filter(area="", year=2025, gender="T").get().value == Decimal("36402")
    assert values.filter(area="0000", year=2025, gender="T").get().value == Decimal("10587710")
    assert values.filter(area="9997").exists() and values.filter(area="9998").exists()  # both pages of the recording
    assert not values.filter(area="9998", year=2015).exists()  # isdeleted
    school = Indicator.objects.get(kolada_kpi="N15413")
    assert Measurement.objects.get(indicator=school, area="", year=2023, gender="K").value is None  # null
    assert school.green_from == Decimal(228)


def test_the_recordings_replay_the_nightly_sync_without_changing_a_value(demo_indicators):
    before = sorted(Measurement.objects.values_list("indicator_id", "area", "year", "month", "gender", "value"))

    result = kolada_sync(client=recorded_client(), full=True)

    assert result.synced == len(KOLADA) and not result.failed and result.flagged == 0
    assert sorted(Measurement.objects.values_list("indicator_id", "area", "year", "month", "gender", "value")) == before
