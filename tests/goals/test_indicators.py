"""Indicators: colours at the threshold edges in both directions, Swedish numbers, the services (who may, what is
checked, the goal's history and the audit log), the pages (manual entry with the typed text kept, targets), scoping
(another unit's internal indicators are 404) and query counts."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brobygget.core.models import AuditEvent
from brobygget.goals import indicators
from brobygget.goals.indicators import (
    ERROR_NUMBER,
    ERROR_THRESHOLDS_BOTH,
    ERROR_THRESHOLDS_HIGHER,
    ERROR_THRESHOLDS_LOWER,
    IndicatorInput,
    MeasurementInput,
    colour_for,
    decimal_format,
    decimal_parse,
)
from brobygget.goals.models import GoalChange, Indicator, IndicatorTarget, Measurement
from tests.goals.conftest import sv

D = Decimal
HIGHER, LOWER = Indicator.Direction.HIGHER, Indicator.Direction.LOWER


# Colours: exactly at a threshold takes that threshold's colour


@pytest.mark.parametrize(
    ("value", "colour"),
    [("90", "green"), ("80", "green"), ("79.9999", "yellow"), ("60.0001", "yellow"), ("60", "red"), ("10", "red")],
)
def test_higher_is_better_green_at_or_above_green_from_red_at_or_below_red_from(value, colour):
    assert colour_for(direction=HIGHER, green_from=D(80), red_from=D(60), value=D(value)) == colour


@pytest.mark.parametrize(
    ("value", "colour"),
    [("1", "green"), ("5", "green"), ("5.0001", "yellow"), ("9.9999", "yellow"), ("10", "red"), ("30", "red")],
)
def test_lower_is_better_green_at_or_below_green_from_red_at_or_above_red_from(value, colour):
    assert colour_for(direction=LOWER, green_from=D(5), red_from=D(10), value=D(value)) == colour


def test_no_value_or_no_thresholds_has_no_colour():
    assert colour_for(direction=HIGHER, green_from=D(80), red_from=D(60), value=None) is None
    assert colour_for(direction=HIGHER, green_from=None, red_from=None, value=D(70)) is None
    assert colour_for(direction=HIGHER, green_from=D(80), red_from=D(60), value=D(0)) == "red"  # 0 is a value


# Swedish numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12,5", "12.5"),
        ("1 250,5", "1250.5"),
        ("1\u00a0250,5", "1250.5"),
        ("1\u202f250", "1250"),
        ("12.5", "12.5"),
        ("-3", "-3"),
        ("−3,25", "-3.25"),
        (",5", "0.5"),
        (" 7 ", "7"),
    ],
)
def test_numbers_are_read_the_swedish_way(text, value):
    assert decimal_parse(text) == D(value)


@pytest.mark.parametrize("text", ["12,5,1", "tolv", "1.250,5", "12 %", "1e5", "--3"])
def test_what_is_not_a_number_is_refused_with_a_swedish_message(text):
    with pytest.raises(ValidationError) as raised:
        decimal_parse(text)
    assert sv(raised.value.messages[0]) == sv(ERROR_NUMBER)


def test_numbers_are_written_with_a_decimal_comma_and_spaces_between_thousands():
    assert decimal_format(D("1250.5000")) == "1\u00a0250,5"
    assert decimal_format(D("-1234567")) == "-1\u00a0234\u00a0567"
    assert decimal_format(D("0.0400")) == "0,04"
    assert decimal_format(None) == ""
    assert decimal_parse("") is None


# Services


def data(goals_org, **fields) -> IndicatorInput:
    values = {"name": "Andel nöjda besökare", "owner_id": goals_org["member"].pk, "unit_of_measure": "%"}
    values.update(fields)
    return IndicatorInput(**values)


@pytest.fixture
def indicator(goals_org, tree) -> Indicator:
    return indicators.indicator_create(
        actor=goals_org["leader"].user,
        goal=tree["park"],
        data=data(goals_org, green_from=D(80), red_from=D(60), baseline=D("71.5"), baseline_year=2026),
    )


@pytest.mark.django_db
def test_a_leader_adds_an_indicator_kept_in_the_goals_history_and_audited(indicator, tree):
    assert indicator.goal == tree["park"] and indicator.source == Indicator.Source.MANUAL
    change = GoalChange.objects.filter(goal=tree["park"]).last()
    assert change.changes == {"indicator": ["", "Andel nöjda besökare"]}
    assert AuditEvent.objects.filter(action="indicator.created").exists()


@pytest.mark.django_db
def test_staff_who_are_not_leaders_may_not_add_or_change_indicators(goals_org, tree, indicator):
    with pytest.raises(PermissionDenied):
        indicators.indicator_create(actor=goals_org["member"].user, goal=tree["park"], data=data(goals_org))
    with pytest.raises(PermissionDenied):
        indicators.measurement_record(
            actor=goals_org["street_leader"].user, indicator=indicator, data=MeasurementInput(2027, D(1))
        )
    # A leader above (the förvaltning's chief) and an administrator may.
    indicators.measurement_record(actor=goals_org["chief"].user, indicator=indicator, data=MeasurementInput(2027, D(1)))
    indicators.measurement_record(actor=goals_org["admin"].user, indicator=indicator, data=MeasurementInput(2027, D(2)))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("direction", "green", "red", "field", "message"),
    [
        (HIGHER, "60", "80", "green_from", ERROR_THRESHOLDS_HIGHER),
        (HIGHER, "70", "70", "green_from", ERROR_THRESHOLDS_HIGHER),
        (LOWER, "10", "5", "green_from", ERROR_THRESHOLDS_LOWER),
        (HIGHER, "80", None, "red_from", ERROR_THRESHOLDS_BOTH),
        (HIGHER, None, "60", "green_from", ERROR_THRESHOLDS_BOTH),
    ],
)
def test_thresholds_must_fit_the_direction(goals_org, tree, direction, green, red, field, message):
    fields = {"direction": direction, "green_from": green and D(green), "red_from": red and D(red)}
    with pytest.raises(ValidationError) as raised:
        indicators.indicator_create(actor=goals_org["leader"].user, goal=tree["park"], data=data(goals_org, **fields))
    assert sv(raised.value.error_dict[field][0].messages[0]) == sv(message)
    assert not Indicator.objects.exists()


@pytest.mark.django_db
def test_the_owner_must_be_of_the_goals_unit_or_below(goals_org, tree):
    with pytest.raises(ValidationError) as raised:
        indicators.indicator_create(
            actor=goals_org["leader"].user,
            goal=tree["park"],
            data=data(goals_org, owner_id=goals_org["street_member"].pk),
        )
    assert "owner" in raised.value.error_dict


@pytest.mark.django_db
def test_changes_and_archiving_are_kept_field_by_field(goals_org, tree, indicator):
    indicators.indicator_update(
        actor=goals_org["leader"].user,
        indicator=indicator,
        data=data(
            goals_org,
            name="Andel nöjda parkbesökare",
            green_from=D(85),
            red_from=D(60),
            baseline=D("71.5"),
            baseline_year=2026,
        ),
    )
    indicators.indicator_archive(actor=goals_org["leader"].user, indicator=Indicator.objects.get(pk=indicator.pk))

    changes = [c.changes for c in GoalChange.objects.filter(goal=tree["park"]).order_by("pk")][-2:]
    assert changes[0]["indicator_name"] == ["Andel nöjda besökare", "Andel nöjda parkbesökare"]
    assert changes[0]["indicator_green_from"] == ["80", "85"]
    assert set(changes[1]) == {"indicator", "indicator_archived"}
    assert Indicator.objects.get(pk=indicator.pk).archived
    assert AuditEvent.objects.filter(action="indicator.updated").count() == 2


@pytest.mark.django_db
def test_a_target_per_period_is_set_changed_and_removed(goals_org, tree, indicator):
    period = goals_org["period"]
    actor = goals_org["leader"].user
    indicators.target_set(actor=actor, indicator=indicator, period=period, value=D(85))
    indicators.target_set(actor=actor, indicator=indicator, period=period, value=D("87.5"))
    assert IndicatorTarget.objects.get(indicator=indicator, period=period).value == D("87.5")
    indicators.target_set(actor=actor, indicator=indicator, period=period, value=None)
    assert not IndicatorTarget.objects.exists()
    last = GoalChange.objects.filter(goal=tree["park"]).last().changes
    assert last["indicator_target"] == ["2027: 87,5", ""]


@pytest.mark.django_db
def test_a_new_value_for_the_same_point_replaces_the_old_and_no_value_is_none(goals_org, indicator):
    actor = goals_org["leader"].user
    indicators.measurement_record(actor=actor, indicator=indicator, data=MeasurementInput(2027, D(70), month=4))
    indicators.measurement_record(actor=actor, indicator=indicator, data=MeasurementInput(2027, D(72), month=4))
    indicators.measurement_record(actor=actor, indicator=indicator, data=MeasurementInput(2027, None, month=8))
    assert dict(Measurement.objects.values_list("month", "value")) == {4: D(72), 8: None}


@pytest.mark.django_db
def test_a_kolada_indicators_values_are_not_entered_by_hand(goals_org, indicator):
    Indicator.objects.filter(pk=indicator.pk).update(source=Indicator.Source.KOLADA, kolada_kpi="N00945")
    with pytest.raises(ValidationError):
        indicators.measurement_record(
            actor=goals_org["leader"].user, indicator=indicator, data=MeasurementInput(2027, D(1))
        )


# Pages


@pytest.mark.django_db
def test_the_indicator_page_shows_values_colours_and_thresholds(goals_org, indicator, login_client):
    actor = goals_org["leader"].user
    indicators.measurement_record(actor=actor, indicator=indicator, data=MeasurementInput(2026, D("80")))
    indicators.measurement_record(actor=actor, indicator=indicator, data=MeasurementInput(2027, D("59.5")))
    html = login_client(goals_org["member"]).get(reverse("goals:indicator", args=[indicator.pk])).content.decode()
    assert "badge-colour-green" in html and "badge-colour-red" in html
    assert "59,5" in html and ">Grön<" in html and ">Röd<" in html
    assert "grönt vid 80 eller mer, rött vid 60 eller mindre" in html
    assert "Registrera ett värde" not in html  # a member reads, does not edit


@pytest.mark.django_db
def test_a_leader_records_a_value_with_a_decimal_comma(goals_org, indicator, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:measurement_new", args=[indicator.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, {"year": "2027", "month": "4", "gender": "T", "value": "1 250,5"})

    assert response.status_code == 302
    assert Measurement.objects.get().value == D("1250.5")


@pytest.mark.django_db
def test_a_bad_value_is_refused_in_swedish_with_the_typed_text_kept(goals_org, indicator, login_client):
    client = login_client(goals_org["leader"])
    response = client.post(
        reverse("goals:measurement_new", args=[indicator.pk]), {"year": "20x7", "gender": "T", "value": "tolv,5"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Skriv ett tal, till exempel 12,5 eller 1 250." in html
    assert "Skriv ett år mellan 1990 och 2100." in html
    assert 'value="tolv,5"' in html and 'value="20x7"' in html
    assert not Measurement.objects.exists()


@pytest.mark.django_db
def test_an_empty_value_asks_for_one_or_no_value(goals_org, indicator, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:measurement_new", args=[indicator.pk])
    html = client.post(url, {"year": "2027", "gender": "T", "value": ""}).content.decode()
    assert "Kryssa i ”Inget värde”" in html
    assert client.post(url, {"year": "2027", "gender": "T", "no_value": "on"}).status_code == 302
    assert Measurement.objects.get().value is None


@pytest.mark.django_db
def test_a_leader_adds_an_indicator_from_the_form(goals_org, tree, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:indicator_new", args=[tree["park"].pk])
    response = client.post(
        url,
        {
            "name": "Felanmälningar per månad",
            "unit_of_measure": "antal",
            "direction": LOWER,
            "green_from": "10",
            "red_from": "5",
            "source": "manual",
            "owner": str(goals_org["member"].pk),
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "När lägre är bättre måste grönt börja under den nivå där rött börjar." in html
    assert 'value="Felanmälningar per månad"' in html

    response = client.post(
        url,
        {
            "name": "Felanmälningar per månad",
            "unit_of_measure": "antal",
            "direction": LOWER,
            "green_from": "5",
            "red_from": "12,5",
            "source": "manual",
            "owner": str(goals_org["member"].pk),
        },
    )
    indicator = Indicator.objects.get()
    assert response.status_code == 302
    assert indicator.red_from == D("12.5") and indicator.direction == LOWER


@pytest.mark.django_db
def test_a_leader_sets_a_target(goals_org, indicator, login_client):
    client = login_client(goals_org["leader"])
    url = reverse("goals:indicator_target", args=[indicator.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"period": str(goals_org["period"].pk), "value": "85,5"}).status_code == 302
    assert IndicatorTarget.objects.get().value == D("85.5")


@pytest.mark.django_db
def test_the_edit_form_shows_numbers_with_a_decimal_comma(goals_org, indicator, login_client):
    html = login_client(goals_org["leader"]).get(reverse("goals:indicator_edit", args=[indicator.pk])).content.decode()
    assert 'value="71,5"' in html


@pytest.mark.django_db
def test_another_units_internal_indicators_are_404(goals_org, tree, indicator, login_client):
    street = login_client(goals_org["street_member"])
    for name in ("goals:indicator", "goals:indicator_edit", "goals:measurement_new", "goals:indicator_target"):
        assert street.get(reverse(name, args=[indicator.pk])).status_code == 404, name
    assert street.get(reverse("goals:indicator_new", args=[tree["park"].pk])).status_code == 404
    assert street.get(reverse("goals:import", args=[tree["park"].pk])).status_code == 404
    member = login_client(goals_org["member"])
    assert member.get(reverse("goals:indicator", args=[indicator.pk])).status_code == 200
    assert member.get(reverse("goals:indicator_edit", args=[indicator.pk])).status_code == 403


@pytest.mark.django_db
def test_an_indicator_of_a_shared_goal_is_read_by_all_staff(goals_org, tree, login_client):
    shared = indicators.indicator_create(
        actor=goals_org["chief"].user, goal=tree["committee"], data=data(goals_org, owner_id=goals_org["chief"].pk)
    )
    assert login_client(goals_org["street_member"]).get(reverse("goals:indicator", args=[shared.pk])).status_code == 200


def add_values(goals_org, indicator, years):
    for year in years:
        for gender in "TKM":
            indicators.measurement_record(
                actor=goals_org["leader"].user,
                indicator=indicator,
                data=MeasurementInput(year, D(year % 97), 0, gender),
            )


@pytest.mark.django_db
def test_the_indicator_page_asks_the_same_number_of_queries_however_many_values(
    goals_org, indicator, login_client, assert_max_queries
):
    client = login_client(goals_org["leader"])
    url = reverse("goals:indicator", args=[indicator.pk])
    add_values(goals_org, indicator, [2020])
    client.get(url)
    with assert_max_queries(20) as small:
        client.get(url)
    add_values(goals_org, indicator, range(2000, 2020))
    with assert_max_queries(len(small)) as large:
        response = client.get(url)
    assert response.content.decode().count("<tr>") > 20
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_goal_page_asks_the_same_number_of_queries_however_many_indicators(
    goals_org, tree, indicator, login_client, assert_max_queries
):
    client = login_client(goals_org["leader"])
    url = reverse("goals:detail", args=[tree["park"].pk])
    client.get(url)
    with assert_max_queries(40) as small:
        client.get(url)
    for index in range(6):
        more = indicators.indicator_create(
            actor=goals_org["leader"].user, goal=tree["park"], data=data(goals_org, name=f"Indikator {index}")
        )
        add_values(goals_org, more, [2025, 2026])
        indicators.target_set(actor=goals_org["leader"].user, indicator=more, period=goals_org["period"], value=D(3))
    with assert_max_queries(len(small)) as large:
        response = client.get(url)
    html = response.content.decode()
    assert html.count("/mal/indikatorer/") >= 7
    assert len(large) == len(small)


@pytest.mark.django_db
def test_the_indicator_page_draws_the_latest_years_with_the_target_as_a_line(goals_org, indicator, login_client):
    indicators.target_set(actor=goals_org["leader"].user, indicator=indicator, period=goals_org["period"], value=D(85))
    add_values(goals_org, indicator, range(2014, 2027))
    html = login_client(goals_org["member"]).get(reverse("goals:indicator", args=[indicator.pk])).content.decode()
    assert html.count('class="bar-chart"') == 1
    chart = html.split('class="bar-chart"')[1].split("</svg>")[0]
    assert ">2017<" in chart and ">2026<" in chart and ">2016<" not in chart  # the ten latest years
    assert 'class="target"' in chart and "Målvärde 85" in chart


@pytest.mark.django_db
def test_the_goals_history_names_the_indicators_changes_in_swedish(goals_org, tree, indicator, login_client):
    indicators.target_set(actor=goals_org["leader"].user, indicator=indicator, period=goals_org["period"], value=D(85))
    html = login_client(goals_org["leader"]).get(reverse("goals:detail", args=[tree["park"].pk])).content.decode()
    history = html.split('id="history-title"')[1]
    assert "Andel nöjda besökare" in history.split("Indikator:")[1].split("</li>")[0]
    assert "Indikatorns målvärde" in history and "2027: 85" in history


@pytest.mark.django_db
def test_a_kolada_indicator_keeps_its_source_when_changed_on_the_form(goals_org, indicator, login_client):
    Indicator.objects.filter(pk=indicator.pk).update(source=Indicator.Source.KOLADA, kolada_kpi="N01951")
    client = login_client(goals_org["leader"])
    url = reverse("goals:indicator_edit", args=[indicator.pk])
    assert 'name="source"' not in client.get(url).content.decode()
    response = client.post(
        url,
        {"name": "Invånare", "direction": HIGHER, "owner": str(goals_org["member"].pk), "source": "manual"},
    )
    assert response.status_code == 302
    changed = Indicator.objects.get(pk=indicator.pk)
    assert changed.source == Indicator.Source.KOLADA and changed.name == "Invånare"
    assert "Registrera ett värde" not in client.get(reverse("goals:indicator", args=[indicator.pk])).content.decode()
