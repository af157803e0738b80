"""Geometry of a server-rendered SVG bar chart: groups of bars with their values written above them.

The template draws it (dialog/staff/bar_chart.svg); this module only does the arithmetic, so the chart works
without JavaScript, prints, and is tested as plain numbers.
"""

from dataclasses import dataclass

WIDTH = 720
HEIGHT = 320
MARGIN_LEFT = 48
MARGIN_RIGHT = 12
MARGIN_TOP = 24
MARGIN_BOTTOM = 40
TICKS = 4


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    style: str  # a CSS class of staff.css; each series also has its own fill pattern, not only a colour


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    style: str
    label_y: float


@dataclass(frozen=True)
class Group:
    label: str
    label_x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    value: int
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
    series: list[Series]


def _nice_ceiling(value: int) -> int:
    """A round top for the axis (1, 2, 5 × 10^n, divisible into TICKS steps when it can be) at or above value."""
    if value <= TICKS:
        return TICKS
    step = 1
    while True:
        for factor in (1, 2, 5):
            top = factor * step * TICKS
            if top >= value:
                return top
        step *= 10


def bar_chart(*, labels: list[str], series: list[Series], width: int = WIDTH, height: int = HEIGHT) -> BarChart:
    """Place one group of bars per label, one bar per series, on a common scale starting at zero."""
    top = _nice_ceiling(max((v for s in series for v in s.values), default=0))
    plot_left, plot_right = float(MARGIN_LEFT), float(width - MARGIN_RIGHT)
    baseline = float(height - MARGIN_BOTTOM)
    plot_height = baseline - MARGIN_TOP
    group_width = (plot_right - plot_left) / max(len(labels), 1)
    bar_width = group_width * 0.8 / max(len(series), 1)
    groups = []
    for index, label in enumerate(labels):
        group_left = plot_left + index * group_width + group_width * 0.1
        bars = []
        for number, one in enumerate(series):
            value = one.values[index]
            bar_height = plot_height * value / top
            y = baseline - bar_height
            bars.append(
                Bar(
                    x=round(group_left + number * bar_width, 2),
                    y=round(y, 2),
                    width=round(bar_width - 2, 2),
                    height=round(bar_height, 2),
                    value=value,
                    style=one.style,
                    label_y=round(y - 4, 2),
                )
            )
        groups.append(Group(label, round(plot_left + (index + 0.5) * group_width, 2), bars))
    ticks = [Tick(top * step // TICKS, round(baseline - plot_height * step / TICKS, 2)) for step in range(TICKS + 1)]
    return BarChart(width, height, plot_left, plot_right, baseline, groups, ticks, series)
