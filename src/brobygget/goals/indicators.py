"""Indicators of a goal and their values: every write checked against who may edit the goal
(`goals.services.may_edit`), audited, and kept in the goal's history where a reader of the goal wants to see it (an
indicator added, changed or archived, a target set); a measurement is audited only.

Colours (`indicator_colour`): with higher better, a value at or above `green_from` is green and one at or below
`red_from` is red; with lower better, at or below `green_from` green and at or above `red_from` red; in between
yellow. A value exactly on a threshold takes that threshold's colour. Without both thresholds, or without a value,
there is no colour.

Numbers are written the Swedish way on the pages and in files: "12,5", "1 250,5" (a space, a no-break space or a
thin space between thousands); a point is accepted as the decimal mark too ("12.5")."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import SystemOrActor
from brobygget.core.audit import audit_record
from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.models import Municipality
from brobygget.core.prepared import prepared
from brobygget.core.text import plain_text
from brobygget.goals.models import TITLE_MAX_LENGTH, Goal, GoalChange, Indicator, IndicatorTarget, Measurement, Period
from brobygget.goals.selectors import visibility_of, visible_goals
from brobygget.goals.services import ERROR_NOT_ALLOWED, may_edit
from brobygget.organisation.models import Membership, Person
from brobygget.organisation.selectors import person_for_actor

ERROR_NAME_EMPTY = _("Give the indicator a name.")
ERROR_NAME_TOO_LONG = _("The name can be at most 200 characters long. Shorten it a little.")
ERROR_UNIT_TOO_LONG = _("The unit of measure can be at most 40 characters long.")
ERROR_NUMBER = _("Write a number, for example 12,5 or 1 250.")
ERROR_NUMBER_TOO_LARGE = _("The number is too large. Write at most ten digits before the decimal comma.")
ERROR_DIRECTION = _("Choose whether higher or lower is better.")
ERROR_SOURCE = _("Choose a source in the list.")
ERROR_OWNER = _("Choose a person of the goal's unit or of a unit below it.")
ERROR_THRESHOLDS_BOTH = _("Give both thresholds, or neither.")
ERROR_THRESHOLDS_HIGHER = _("When higher is better, green must start above where red starts.")
ERROR_THRESHOLDS_LOWER = _("When lower is better, green must start below where red starts.")
ERROR_YEAR = _("Write a year between 1990 and 2100.")
ERROR_MONTH = _("Write a month from 1 to 12, or leave it empty for the whole year.")
ERROR_GENDER = _("Write T (everyone), K (women) or M (men).")
ERROR_PERIOD = _("Choose a period of the municipality.")
ERROR_ARCHIVED = _("The indicator is archived: no values can be added to it.")
ERROR_KOLADA_VALUES = _("The values of a Kolada indicator come from Kolada and cannot be changed here.")

YEAR_MIN, YEAR_MAX = 1990, 2100
# A DecimalField(max_digits=14, decimal_places=4) holds ten digits before the decimal mark.
_LIMIT = Decimal(10) ** 10
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_NUMBER = re.compile(r"^[+-−]?(\d+([.,]\d*)?|[.,]\d+)$")

# The fields of an indicator as its history names them.
INDICATOR_FIELDS = {
    "name": _("Name"),
    "unit_of_measure": _("Unit of measure"),
    "direction": _("Direction"),
    "baseline": _("Baseline"),
    "baseline_year": _("Baseline year"),
    "green_from": _("Green from"),
    "red_from": _("Red from"),
    "source": _("Source"),
    "owner": _("Owner"),
    "archived": _("Archived"),
}


def decimal_parse(text: str) -> Decimal | None:
    """A number as a person writes it in Swedish ("12,5", "1 250,5", "-3"), or None for an empty text; a
    ValidationError with ERROR_NUMBER for anything else and ERROR_NUMBER_TOO_LARGE beyond the field's ten digits."""
    cleaned = _SPACES.sub("", text or "").replace("−", "-")
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise ValidationError(ERROR_NUMBER, code="invalid")
    try:
        value = Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(ERROR_NUMBER, code="invalid") from None
    if abs(value) >= _LIMIT:
        raise ValidationError(ERROR_NUMBER_TOO_LARGE, code="max_value")
    return value.quantize(Decimal("0.0001"))


def decimal_format(value: Decimal | None) -> str:
    """A number as the pages write it: a decimal comma, no trailing zeros, a space between thousands ("1 250,5")."""
    if value is None:
        return ""
    normal = value.quantize(Decimal("0.0001")).normalize()
    sign, text = ("-" if normal < 0 else ""), f"{abs(normal):f}"
    whole, _dot, fraction = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + "\u00a0".join(groups) + ("," + fraction if fraction else "")


class Colour:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


COLOUR_LABELS = {Colour.GREEN: _("Green"), Colour.YELLOW: _("Yellow"), Colour.RED: _("Red")}


def colour_for(
    *, direction: str, green_from: Decimal | None, red_from: Decimal | None, value: Decimal | None
) -> str | None:
    """The colour of a value by the thresholds (module docstring), or None without a value or both thresholds."""
    if value is None or green_from is None or red_from is None:
        return None
    if direction == Indicator.Direction.LOWER:
        if value <= green_from:
            return Colour.GREEN
        return Colour.RED if value >= red_from else Colour.YELLOW
    if value >= green_from:
        return Colour.GREEN
    return Colour.RED if value <= red_from else Colour.YELLOW


def indicator_colour(indicator: Indicator, value: Decimal | None) -> str | None:
    """The colour of `value` on this indicator: "green", "yellow", "red", or None (no value or no thresholds)."""
    return colour_for(
        direction=indicator.direction, green_from=indicator.green_from, red_from=indicator.red_from, value=value
    )


@dataclass
class IndicatorInput:
    """What a leader writes about an indicator; numbers already parsed (`decimal_parse`), the owner by id."""

    name: str
    owner_id: int
    unit_of_measure: str = ""
    direction: str = Indicator.Direction.HIGHER
    baseline: Decimal | None = None
    baseline_year: int | None = None
    green_from: Decimal | None = None
    red_from: Decimal | None = None
    source: str = Indicator.Source.MANUAL
    archived: bool = False


def acting_editor(actor: SystemOrActor, goal: Goal) -> Person | None:
    """The acting person (None for a system job), after checking that they may edit the goal."""
    if not may_edit(actor=actor, unit=goal.unit):
        raise PermissionDenied(ERROR_NOT_ALLOWED)
    return person_for_actor(actor=actor) if actor is not None and actor.is_authenticated else None


def _cleaned(data: IndicatorInput, goal: Goal) -> dict[str, object]:
    """The indicator's fields as they are kept; refused field by field, nothing written."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        name = plain_text(data.name).strip()
    except ValidationError as error:
        errors["name"] = error.error_list
        name = ""
    if not name and "name" not in errors:
        errors["name"] = [ValidationError(ERROR_NAME_EMPTY, code="required")]
    elif len(name) > TITLE_MAX_LENGTH:
        errors["name"] = [ValidationError(ERROR_NAME_TOO_LONG, code="max_length")]
    unit_of_measure = (data.unit_of_measure or "").strip()
    if len(unit_of_measure) > 40:
        errors["unit_of_measure"] = [ValidationError(ERROR_UNIT_TOO_LONG, code="max_length")]
    if data.direction not in Indicator.Direction.values:
        errors["direction"] = [ValidationError(ERROR_DIRECTION, code="invalid")]
    if data.source not in Indicator.Source.values:
        errors["source"] = [ValidationError(ERROR_SOURCE, code="invalid")]
    if data.baseline_year is not None and not YEAR_MIN <= data.baseline_year <= YEAR_MAX:
        errors["baseline_year"] = [ValidationError(ERROR_YEAR, code="invalid")]
    for field_name in ("baseline", "green_from", "red_from"):
        value = getattr(data, field_name)
        if value is not None and abs(value) >= _LIMIT:
            errors[field_name] = [ValidationError(ERROR_NUMBER_TOO_LARGE, code="max_value")]
    green, red = data.green_from, data.red_from
    if (green is None) != (red is None):
        errors["red_from" if red is None else "green_from"] = [ValidationError(ERROR_THRESHOLDS_BOTH, code="invalid")]
    elif green is not None and red is not None and "green_from" not in errors and "red_from" not in errors:
        if data.direction == Indicator.Direction.LOWER and not green < red:
            errors["green_from"] = [ValidationError(ERROR_THRESHOLDS_LOWER, code="invalid")]
        elif data.direction == Indicator.Direction.HIGHER and not green > red:
            errors["green_from"] = [ValidationError(ERROR_THRESHOLDS_HIGHER, code="invalid")]
    if not Membership.objects.filter(
        person_id=data.owner_id, person__is_active=True, unit__path__below=goal.unit.path
    ).exists():
        errors["owner"] = [ValidationError(ERROR_OWNER, code="invalid")]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "unit_of_measure": unit_of_measure,
        "direction": data.direction,
        "baseline": data.baseline,
        "baseline_year": data.baseline_year,
        "green_from": green,
        "red_from": red,
        "source": data.source,
        "owner_id": data.owner_id,
        "archived": data.archived,
    }


def history_record(goal: Goal, person: Person | None, changes: dict[str, list[str]]) -> None:
    """A row in the goal's history (GoalChange of kind "changed"): `indicator` [old name, new name] and each changed
    field as `indicator_<field>` (labels in models.FIELD_LABELS)."""
    GoalChange.objects.create(
        goal=goal, kind=GoalChange.Kind.UPDATED, person=person, at=timezone.now(), changes=changes
    )


def _shown(name: str, value: object) -> str:
    """A field's value as the goal's history keeps it: as a reader saw it then (a choice's label in the language of
    the person who made the change, a number with a decimal comma, a person's name)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_format(value)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if name == "direction":
        return str(Indicator.Direction(str(value)).label)
    if name == "source":
        return str(Indicator.Source(str(value)).label)
    if name == "owner_id" and isinstance(value, int):
        person = Person.objects.filter(pk=value).values_list("first_name", "last_name").first()
        return f"{person[0]} {person[1]}" if person else ""
    return str(value)


@transaction.atomic
def indicator_create(
    *, actor: SystemOrActor, goal: Goal, data: IndicatorInput, kolada_kpi: str = "", kolada_title: str = ""
) -> Indicator:
    """A new indicator of the goal; in the goal's history and the audit log."""
    goal = Goal.objects.select_related("unit").get(pk=goal.pk)
    person = acting_editor(actor, goal)
    values = _cleaned(data, goal)
    values["archived"] = False
    indicator = Indicator.objects.create(
        municipality_id=goal.municipality_id, goal=goal, kolada_kpi=kolada_kpi, kolada_title=kolada_title, **values
    )
    history_record(goal, person, {"indicator": ["", indicator.name]})
    audit_record(
        actor=actor,
        action="indicator.created",
        target=indicator,
        municipality=Municipality.objects.get(pk=goal.municipality_id),
        extra={"goal": goal.pk, "source": indicator.source, "kpi": kolada_kpi},
    )
    return indicator


@transaction.atomic
def indicator_update(*, actor: SystemOrActor, indicator: Indicator, data: IndicatorInput) -> Indicator:
    """Change an indicator (or archive it: `data.archived`); each changed field is kept in the goal's history."""
    indicator = Indicator.objects.select_for_update(of=("self",)).select_related("goal__unit").get(pk=indicator.pk)
    person = acting_editor(actor, indicator.goal)
    values = _cleaned(data, indicator.goal)
    if indicator.source == Indicator.Source.KOLADA:
        values["source"] = Indicator.Source.KOLADA  # its values keep coming from Kolada
    changed: dict[str, list[str]] = {}
    for name, value in values.items():
        current = getattr(indicator, name)
        if current == value:
            continue
        changed[f"indicator_{name.removesuffix('_id')}"] = [_shown(name, current), _shown(name, value)]
        setattr(indicator, name, value)
    if changed:
        indicator.save()
        history_record(indicator.goal, person, {"indicator": [indicator.name, indicator.name], **changed})
        audit_record(
            actor=actor,
            action="indicator.updated",
            target=indicator,
            municipality=Municipality.objects.get(pk=indicator.municipality_id),
            fields=sorted(key.removeprefix("indicator_") for key in changed),
        )
    return indicator


def indicator_archive(*, actor: SystemOrActor, indicator: Indicator) -> Indicator:
    """Archive an indicator: it leaves the goal's page and the sync, and keeps its values and history."""
    data = IndicatorInput(
        name=indicator.name,
        owner_id=indicator.owner_id,
        unit_of_measure=indicator.unit_of_measure,
        direction=indicator.direction,
        baseline=indicator.baseline,
        baseline_year=indicator.baseline_year,
        green_from=indicator.green_from,
        red_from=indicator.red_from,
        source=indicator.source,
        archived=True,
    )
    return indicator_update(actor=actor, indicator=indicator, data=data)


@transaction.atomic
def target_set(*, actor: SystemOrActor, indicator: Indicator, period: Period, value: Decimal | None) -> None:
    """Set (or with None, remove) what the indicator should reach in the period; kept in the goal's history."""
    indicator = Indicator.objects.select_related("goal__unit").get(pk=indicator.pk)
    person = acting_editor(actor, indicator.goal)
    if period.municipality_id != indicator.municipality_id:
        raise ValidationError({"period": ERROR_PERIOD})
    if value is not None and abs(value) >= _LIMIT:
        raise ValidationError({"value": ERROR_NUMBER_TOO_LARGE})
    current = IndicatorTarget.objects.filter(indicator=indicator, period=period).first()
    old = current.value if current else None
    if old == value:
        return
    if value is None:
        IndicatorTarget.objects.filter(indicator=indicator, period=period).delete()
    else:
        IndicatorTarget.objects.update_or_create(indicator=indicator, period=period, defaults={"value": value})
    history_record(
        indicator.goal,
        person,
        {
            "indicator": [indicator.name, indicator.name],
            "indicator_target": [
                f"{period.name}: {_shown('', old)}" if old is not None else "",
                f"{period.name}: {_shown('', value)}" if value is not None else "",
            ],
        },
    )
    audit_record(
        actor=actor,
        action="indicator.target_set",
        target=indicator,
        municipality=Municipality.objects.get(pk=indicator.municipality_id),
        extra={"period": period.pk},
    )


@dataclass(frozen=True)
class MeasurementInput:
    """One value of an indicator: a year, a month (0 the whole year), a gender (T, K, M); None is "no value"."""

    year: int
    value: Decimal | None
    month: int = 0
    gender: str = Measurement.Gender.TOTAL


def measurement_errors(data: MeasurementInput) -> dict[str, list[ValidationError]]:
    """What is wrong with a value's year, month and gender, by field (empty when nothing is)."""
    errors: dict[str, list[ValidationError]] = {}
    if not YEAR_MIN <= data.year <= YEAR_MAX:
        errors["year"] = [ValidationError(ERROR_YEAR, code="invalid")]
    if not 0 <= data.month <= 12:
        errors["month"] = [ValidationError(ERROR_MONTH, code="invalid")]
    if data.gender not in Measurement.Gender.values:
        errors["gender"] = [ValidationError(ERROR_GENDER, code="invalid")]
    if data.value is not None and abs(data.value) >= _LIMIT:
        errors["value"] = [ValidationError(ERROR_NUMBER_TOO_LARGE, code="max_value")]
    return errors


def measurements_write(
    *, indicator: Indicator, rows: list[MeasurementInput], source: str, person: Person | None, area: str = ""
) -> int:
    """Write checked values (one per year, month, gender and area: a new value replaces the old one) in the
    caller's transaction, in bulk; returns how many were written."""
    if not rows:
        return 0
    now = timezone.now()
    keys = {(row.year, row.month, row.gender) for row in rows}
    existing = {
        (m.year, m.month, m.gender): m
        for m in Measurement.objects.filter(
            indicator=indicator, area=area, year__in={year for year, _m, _g in keys}
        ).only("pk", "year", "month", "gender", "value")
    }
    created, updated = [], []
    for row in {(row.year, row.month, row.gender): row for row in rows}.values():
        found = existing.get((row.year, row.month, row.gender))
        if found is None:
            created.append(
                Measurement(
                    indicator=indicator,
                    year=row.year,
                    month=row.month,
                    gender=row.gender,
                    area=area,
                    value=row.value,
                    source=source,
                    recorded_by=person,
                    recorded_at=now,
                )
            )
        else:
            found.value, found.source, found.recorded_by, found.recorded_at = row.value, source, person, now
            updated.append(found)
    Measurement.objects.bulk_create(created, batch_size=1000)
    Measurement.objects.bulk_update(updated, ["value", "source", "recorded_by", "recorded_at"], batch_size=1000)
    return len(created) + len(updated)


@transaction.atomic
def measurement_record(*, actor: SystemOrActor, indicator: Indicator, data: MeasurementInput) -> Measurement:
    """Record one value of the indicator by hand (a new value for the same year, month and gender replaces it)."""
    indicator = Indicator.objects.select_related("goal__unit").get(pk=indicator.pk)
    person = acting_editor(actor, indicator.goal)
    if indicator.archived:
        raise ValidationError(ERROR_ARCHIVED)
    if indicator.source == Indicator.Source.KOLADA:
        raise ValidationError(ERROR_KOLADA_VALUES)
    errors = measurement_errors(data)
    if errors:
        raise ValidationError(errors)
    measurements_write(indicator=indicator, rows=[data], source=Indicator.Source.MANUAL, person=person)
    audit_record(
        actor=actor,
        action="measurement.recorded",
        target=indicator,
        municipality=Municipality.objects.get(pk=indicator.municipality_id),
        extra={"year": data.year, "month": data.month, "gender": data.gender},
    )
    return Measurement.objects.get(indicator=indicator, year=data.year, month=data.month, gender=data.gender, area="")


# Selectors


def indicator_get(*, person: Person | None, indicator_id: int) -> Indicator:
    """An indicator of a goal the person may read, with its goal, unit, period and owner; 404 for missing and hidden
    alike (another unit's internal goal's indicator, another municipality's)."""
    visibility = visibility_of(person)
    goals = Goal.objects.filter(visible_goals(visibility))
    found = (
        Indicator.objects.filter(pk=indicator_id, goal__in=goals)
        .select_related("goal__unit", "goal__period", "owner")
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """An indicator as a goal's page lists it: its latest own value (the whole municipality, everyone) and colour."""

    pk: int
    name: str
    unit_of_measure: str
    source: str
    latest_year: int | None
    latest_month: int
    latest: str
    colour: str | None
    target: str
    title_changed: bool
    error: str


@prepared
def _goal_indicators(*, goal_id: int, period_id: int) -> QuerySet[Indicator, Any]:
    """The goal's indicators (not archived) with the latest value of each (the municipality's own, everyone) and its
    target in the period, read beside each on the measurements' index (indicator, year, month, …) and the targets'
    (indicator, period)."""
    values = (
        Measurement.objects.filter(indicator_id=OuterRef("pk"), area="", gender=Measurement.Gender.TOTAL)
        .filter(~Q(value=None))
        .order_by("-year", "-month")
    )
    targets = IndicatorTarget.objects.filter(indicator_id=OuterRef("pk"), period_id=period_id)
    return (
        Indicator.objects.filter(goal_id=goal_id, archived=False)
        .annotate(
            latest_year=Subquery(values.values("year")[:1]),
            latest_month=Subquery(values.values("month")[:1]),
            latest_value=Subquery(values.values("value")[:1]),
            target=Subquery(targets.values("value")[:1]),
        )
        .order_by("name", "pk")
        .values_list(
            "pk",
            "name",
            "unit_of_measure",
            "source",
            "direction",
            "green_from",
            "red_from",
            "kolada_title_changed_to",
            "kolada_error",
            "latest_year",
            "latest_month",
            "latest_value",
            "target",
        )
    )


def goal_indicators(*, goal: Goal) -> list[IndicatorRow]:
    """The goal's indicators that are not archived, each with its latest value, its colour and its target in the
    goal's period. One prepared query (core.prepared), however many indicators and values."""
    result = []
    for (
        pk,
        name,
        unit_of_measure,
        source,
        direction,
        green_from,
        red_from,
        title_changed_to,
        error,
        year,
        month,
        value,
        target,
    ) in _goal_indicators(goal_id=goal.pk, period_id=goal.period_id):
        result.append(
            IndicatorRow(
                pk,
                name,
                unit_of_measure,
                source,
                year,
                month or 0,
                decimal_format(value),
                colour_for(direction=direction, green_from=green_from, red_from=red_from, value=value),
                decimal_format(target),
                bool(title_changed_to),
                error,
            )
        )
    return result


@dataclass(frozen=True, slots=True)
class ValueRow:
    year: int
    month: int
    gender: str
    area: str
    value: str
    colour: str | None
    source: str


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    # The municipality's own values (everyone), the newest first, with their colours.
    values: list[ValueRow]
    # Values by gender and compared areas: {(year, month): {(gender, area): text}}.
    table: list[tuple[int, int, dict[tuple[str, str], str]]]
    columns: list[tuple[str, str]]
    targets: list[tuple[str, str]]
    # The own values of the latest years (or months, for an indicator followed monthly) as bars, with the target of
    # the goal's period as a line; None without values. The values table above gives the same figures.
    chart: BarChart | None = None


CHART_POINTS = 10


def _chart(own: list[tuple[int, int, Decimal | None]], target: Decimal | None) -> BarChart | None:
    """Bars of the latest yearly values (or monthly, when there are no yearly ones), oldest first."""
    yearly = [(year, value) for year, month, value in own if month == 0]
    if yearly:
        points = [(str(year), value) for year, value in yearly[:CHART_POINTS]]
    else:
        points = [(f"{year}-{month:02d}", value) for year, month, value in own[:CHART_POINTS]]
    if not points:
        return None
    points.reverse()
    return bar_chart(
        labels=[label for label, _value in points],
        series=[ChartSeries(str(_("Value")), [None if v is None else float(v) for _label, v in points])],
        styles=["series-a"],
        decimals=2,
        target=None if target is None else float(target),
        target_label=str(_("Target %(value)s") % {"value": decimal_format(target)}) if target is not None else "",
    )


def indicator_page(*, indicator: Indicator, areas: list[str]) -> IndicatorPage:
    """An indicator's values: its own with colours, and a table of every value by gender and compared area (in the
    order of `areas`), the newest year first; its targets by period. Two queries, however many values."""
    measurements = list(
        Measurement.objects.filter(indicator=indicator)
        .order_by("-year", "-month", "gender", "area")
        .values_list("year", "month", "gender", "area", "value", "source")
    )
    values = [
        ValueRow(year, month, gender, area, decimal_format(value), indicator_colour(indicator, value), source)
        for year, month, gender, area, value, source in measurements
        if area == "" and gender == Measurement.Gender.TOTAL
    ]
    by_point: dict[tuple[int, int], dict[tuple[str, str], str]] = {}
    seen: set[tuple[str, str]] = set()
    for year, month, gender, area, value, _source in measurements:
        by_point.setdefault((year, month), {})[(gender, area)] = decimal_format(value) if value is not None else "–"
        seen.add((gender, area))
    order = {area: index for index, area in enumerate(["", *areas])}
    genders: dict[str, int] = {"T": 0, "K": 1, "M": 2}
    columns = sorted(seen, key=lambda key: (order.get(key[1], len(order)), key[1], genders.get(key[0], 3)))
    table = [(year, month, cells) for (year, month), cells in by_point.items()]
    target_rows = list(
        IndicatorTarget.objects.filter(indicator=indicator)
        .order_by("-period__start")
        .values_list("period__name", "value", "period_id")
    )
    targets = [(name, decimal_format(value)) for name, value, _period in target_rows]
    goal_target = next((value for _name, value, period in target_rows if period == indicator.goal.period_id), None)
    own = [
        (year, month, value)
        for year, month, gender, area, value, _source in measurements
        if area == "" and gender == Measurement.Gender.TOTAL
    ]
    return IndicatorPage(indicator, values, table, columns, targets, _chart(own, goal_target))


def indicator_owner_choices(*, goal: Goal) -> list[tuple[int, str]]:
    """Who may own an indicator of the goal: the active people of its unit and the units below it."""
    rows = (
        Person.objects.filter(is_active=True, memberships__unit__path__below=goal.unit.path)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")
        .distinct()
    )
    return [(pk, f"{first} {last}") for pk, first, last in rows]
