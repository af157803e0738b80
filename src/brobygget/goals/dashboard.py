"""A unit's dashboard: where are we (each goal's status, rolled up with its explanation, and its indicators' trends
against their targets as SVG charts with a table), where are we going (the targets), and how do we get there (the
activities, and the improvement work that apps above add through `DASHBOARD`).

Read in a fixed number of queries whatever the tree's size: the unit and its periods, the unit's goals with their
kept roll-ups (goals.kept: and the rule, and the children that decide a red or yellow one), the indicators, their
targets and their values, and what the sections add."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from brobygget.core.charts import BarChart, ChartSeries, bar_chart
from brobygget.core.prepared import prepared
from brobygget.core.sections import Section, Sections
from brobygget.goals import rollup
from brobygget.goals.indicators import decimal_format, indicator_colour
from brobygget.goals.kept import KEPT_FIELDS, kept_rolled
from brobygget.goals.models import Goal, Indicator, IndicatorTarget, Level, Measurement, Period
from brobygget.goals.selectors import PeriodRow, chosen_period, level_labels, periods, visibility_of
from brobygget.organisation.models import Person, Unit

# The apps above add how the unit gets there (its improvement work); a provider gets the unit, the period and the
# reader, and reads what it shows in a fixed number of queries.
DASHBOARD: Sections[[Unit, Period, Person | None]] = Sections()

CHART_YEARS = 6
# What the dashboard shows of an indicator (and its colour needs).
INDICATOR_FIELDS = ("id", "goal_id", "name", "unit_of_measure", "direction", "baseline", "green_from", "red_from")


def number_text(value: Decimal | str | float | None) -> str:
    """A value as the pages write it (a decimal comma, a space between thousands); a dash for no value."""
    if value is None or value == "":
        return "–"
    return decimal_format(Decimal(str(value)))


@dataclass(frozen=True)
class IndicatorView:
    pk: int
    name: str
    unit_of_measure: str
    direction: str
    baseline: Decimal | None
    target: Decimal | None
    latest: Decimal | None
    colour: str | None
    years: list[int]
    values: list[Decimal | None]
    chart: BarChart


@dataclass(frozen=True)
class GoalView:
    pk: int
    title: str
    level: str
    level_label: str
    responsible: str
    rolled: rollup.Rolled
    indicators: list[IndicatorView] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    unit: Unit
    period: PeriodRow | None
    periods: list[PeriodRow]
    goals: list[GoalView]
    activities: list[GoalView]
    counts: list[tuple[str, str, int]]  # (status, word, how many of the unit's goals and activities)


def unit_for(*, person: Person | None, unit_id: int) -> Unit:
    """A unit the person sees; 404 for another's, or one they do not see (its internal goals are not theirs)."""
    visibility = visibility_of(person)
    unit = Unit.objects.filter(pk=unit_id, municipality_id=visibility.municipality_id).first()
    if unit is None or not visibility.sees(municipality_id=unit.municipality_id, path=unit.path):
        raise Http404
    return unit


def _year_values(points: list[tuple[int, int, Decimal | None]]) -> dict[int, Decimal | None]:
    """A value per year: the whole year's (month 0), else the latest month's."""
    years: dict[int, tuple[int, Decimal | None]] = {}
    for year, month, value in points:
        rank = 13 if month == 0 else month
        if year not in years or rank >= years[year][0]:
            years[year] = (rank, value)
    return {year: value for year, (_rank, value) in years.items()}


def indicator_views(goal_ids: list[int], period_id: int, until_year: int) -> dict[int, list[IndicatorView]]:
    """The indicators of these goals with their values of the last CHART_YEARS years up to `until_year`, the
    period's target and a chart. One query (prepared), and two more when there are indicators."""
    if not goal_ids:
        return {}
    indicators = [Indicator(**dict(zip(INDICATOR_FIELDS, row, strict=True))) for row in _indicators(goal_ids=goal_ids)]
    if not indicators:
        return {}
    ids = [indicator.pk for indicator in indicators]
    targets = dict(
        IndicatorTarget.objects.filter(indicator_id__in=ids, period_id=period_id).values_list("indicator_id", "value")
    )
    points: dict[int, list[tuple[int, int, Decimal | None]]] = defaultdict(list)
    for indicator_id, year, month, value in Measurement.objects.filter(
        indicator_id__in=ids,
        gender=Measurement.Gender.TOTAL,
        area="",
        year__gt=until_year - CHART_YEARS,
        year__lte=until_year,
    ).values_list("indicator_id", "year", "month", "value"):
        points[indicator_id].append((year, month, value))
    result: dict[int, list[IndicatorView]] = defaultdict(list)
    for indicator in indicators:
        by_year = _year_values(points[indicator.pk])
        years = sorted(by_year)
        values = [by_year[year] for year in years]
        latest = next((value for value in reversed(values) if value is not None), None)
        target = targets.get(indicator.pk)
        chart = bar_chart(
            labels=[str(year) for year in years],
            series=[ChartSeries(indicator.name, [None if v is None else float(v) for v in values])],
            styles=["series-a"],
            decimals=2,
            target=None if target is None else float(target),
            target_label=_("Target %(value)s") % {"value": number_text(target)} if target is not None else "",
        )
        result[indicator.goal_id].append(
            IndicatorView(
                indicator.pk,
                indicator.name,
                indicator.unit_of_measure,
                indicator.direction,
                indicator.baseline,
                target,
                latest,
                indicator_colour(indicator, latest),
                years,
                values,
                chart,
            )
        )
    return result


@prepared
def _unit_goals(*, period_id: int, unit_id: int) -> QuerySet[Goal, Any]:
    """The unit's goals in the period (not archived) with their kept roll-ups, and their paths last. The reader sees
    the unit, so every goal of it: no filter of what they see (an OR of their units' paths) to build. Read on the
    goals' index of a unit and period, and put in the tree's order in Python: ordered by path, SQLite walked the
    period's whole tree on its index of paths (2 ms at L)."""
    return Goal.objects.filter(period_id=period_id, unit_id=unit_id, archived=False).values_list(
        "pk", "title", "level", "responsible__first_name", "responsible__last_name", *KEPT_FIELDS, "path"
    )


@prepared
def _indicators(*, goal_ids: list[int]) -> QuerySet[Indicator, Any]:
    """The indicators (not archived) of these goals, with what the dashboard shows of them."""
    return (
        Indicator.objects.filter(goal_id__in=goal_ids, archived=False)
        .order_by("name", "pk")
        .values_list(*INDICATOR_FIELDS)
    )


def unit_dashboard(*, person: Person | None, unit: Unit, chosen: str, today: datetime.date) -> Dashboard:
    """The dashboard of a unit in a period (`chosen`, else the current one)."""
    visibility = visibility_of(person)
    if not visibility.sees(municipality_id=unit.municipality_id, path=unit.path):
        raise Http404  # as `unit_for`: then every goal of the unit is the reader's to read
    rows = periods(municipality_id=unit.municipality_id)
    period = chosen_period(rows, chosen, today)
    if period is None:
        return Dashboard(unit, None, rows, [], [], [])
    labels = level_labels()
    goals = sorted(_unit_goals(period_id=period.pk, unit_id=unit.pk), key=lambda row: (row[-1], row[0]))
    rolled = kept_rolled([(row[0], *row[5:-1]) for row in goals], municipality_id=unit.municipality_id)
    indicators = indicator_views([row[0] for row in goals], period.pk, min(today.year, period.end.year))
    views: list[GoalView] = []
    activities: list[GoalView] = []
    counts: dict[str, int] = defaultdict(int)
    for pk, title, level, first, last, *_kept in goals:
        one = rolled.get(pk, rollup.Rolled(None, None))
        view = GoalView(pk, title, level, labels[level], f"{first} {last}", one, indicators.get(pk, []))
        (activities if level == Level.ACTIVITY else views).append(view)
        counts[one.effective or ""] += 1
    order = [*rollup.STATUS_WORDS, ""]
    return Dashboard(
        unit,
        period,
        rows,
        views,
        activities,
        [(status, rollup.status_word(status or None), counts[status]) for status in order if counts.get(status)],
    )


def dashboard_sections(unit: Unit, period: PeriodRow | None, person: Person | None) -> list[Section]:
    if period is None:
        return []
    return DASHBOARD(unit, Period(pk=period.pk, name=period.name, start=period.start, end=period.end), person)
