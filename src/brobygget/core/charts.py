"""Geometry of a server-rendered SVG bar chart, for every app's figures: cases per month (whole numbers),
improvements per employee and median days (decimals), and what has no value (None: no bar, a dash, never 0).

The template draws it (macros/charts.html `bar_chart`); this module does the arithmetic and writes the numbers in
the active language, so the chart works without JavaScript, prints, and is tested as plain numbers. A table beside
every chart gives the same figures."""

import math
from dataclasses import dataclass

from django.utils import formats

WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 48
MARGIN_RIGHT = 12
MARGIN_TOP = 24
MARGIN_BOTTOM = 40
TICKS = 4


@dataclass(frozen=True)
class ChartSeries:
    name: str
    values: list[float | None]  # None: no value (no bar, a dash), not zero


@dataclass(frozen=True)
class LegendEntry:
    name: str
    style: str  # a CSS class of the page's stylesheet
    hatched: bool  # the first series is hatched as well as coloured, so that the series differ by more than colour


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    style: str
    label_y: float
    hatched: bool


@dataclass(frozen=True)
class Group:
    label: str
    label_x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    label: str
    y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    baseline: float
    groups: list[Group]
    ticks: list[Tick]
    legend: list[LegendEntry]
    # A target drawn across the bars as a dashed line with its label (goals' indicators); None: no line.
    target_y: float | None = None
    target_label: str = ""


def nice_top(value: float) -> float:
    """A round top for the axis at or above value: TICKS steps of 1, 2 or 5 × 10^n (0.1, 0.2, 0.5, 1, 2, 5...)."""
    if value <= 0:
        return float(TICKS)
    exponent = math.floor(math.log10(value / TICKS))
    for power in (exponent, exponent + 1):
        for factor in (1, 2, 5):
            top = round(factor * 10.0**power * TICKS, 10)
            if top >= value:
                return top
    return round(10.0 ** (exponent + 2) * TICKS, 10)  # pragma: no cover - the loop always finds one


def _number(value: float, decimals: int) -> str:
    """The number in the active language with at most `decimals` decimals, and no trailing zeros (0,5, not 0,50)."""
    places = next((n for n in range(decimals) if round(value * 10**n, 6).is_integer()), decimals)
    return formats.number_format(value, places, use_l10n=True)


def bar_chart(
    *,
    labels: list[str],
    series: list[ChartSeries],
    styles: list[str],
    decimals: int = 1,
    target: float | None = None,
    target_label: str = "",
) -> BarChart:
    """Place one group of bars per label, one bar per series, on a common scale starting at zero; with `target`, a
    line across the bars at that value (the scale reaches it), labelled `target_label`."""
    highest = max((v for s in series for v in s.values if v is not None), default=0)
    top = nice_top(max(highest, target or 0))
    plot_left, plot_right = float(MARGIN_LEFT), float(WIDTH - MARGIN_RIGHT)
    baseline = float(HEIGHT - MARGIN_BOTTOM)
    plot_height = baseline - MARGIN_TOP
    group_width = (plot_right - plot_left) / max(len(labels), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    groups = []
    for index, label in enumerate(labels):
        group_left = plot_left + index * group_width + group_width * 0.1
        bars = []
        for number, one in enumerate(series):
            value = one.values[index]
            bar_height = plot_height * (value or 0) / top
            y = baseline - bar_height
            bars.append(
                Bar(
                    x=round(group_left + number * bar_width, 2),
                    y=round(y, 2),
                    width=round(bar_width - 2, 2),
                    height=round(bar_height, 2),
                    label="–" if value is None else _number(round(value, decimals), decimals),
                    style=styles[number],
                    label_y=round(y - 4, 2),
                    hatched=number == 0,
                )
            )
        groups.append(Group(label, round(plot_left + (index + 0.5) * group_width, 2), bars))
    ticks = [
        Tick(_number(round(top * step / TICKS, 6), 2), round(baseline - plot_height * step / TICKS, 2))
        for step in range(TICKS + 1)
    ]
    legend = [LegendEntry(one.name, styles[number], number == 0) for number, one in enumerate(series)]
    target_y = None if target is None else round(baseline - plot_height * max(target, 0) / top, 2)
    return BarChart(WIDTH, HEIGHT, plot_left, plot_right, baseline, groups, ticks, legend, target_y, target_label)
