"""The public numbers pages, "Så håller vi våra löften" and "Synpunkter i siffror": their filters and their tables.

Every figure comes from the dialog's statistics rollup (`dialog.statistics.tally_statistics`, the staff page's
definitions) or, for the map, from fault reports counted per cell of about 1 km in the database
(`dialog.statistics.fault_report_cells`); no case is read, and a page asks the same few queries whatever the number
of cases. A page is a list of `Table`s: the page, its CSV and JSON downloads and the API write the same tables, so
they show the same numbers. The tables are kept in the public cache (`openresults.cache`) per filter and language,
for at most `PUBLIC_RESULTS_CACHE_SECONDS`: the numbers may lag the cases by that long.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygget.dialog.models import Kind
from brobygget.dialog.public import public_setup
from brobygget.dialog.statistics import (
    Figures,
    FiguresRow,
    TallyStatistics,
    fault_report_cells,
    month_starts,
    statistics_choices,
    tally_statistics,
)
from brobygget.openresults.cache import public_cached

MONTHS_DEFAULT = 12
MONTHS_MOST = 36
# A cell of the map with fewer reports than this is not shown: few reports in a small area could point at a house.
CELL_SMALLEST = 5

ERROR_MONTH_FORMAT = gettext_lazy("Write the month as year and month, for example 2026-03.")
ERROR_MONTH_ORDER = gettext_lazy("The first month must come before the last month.")
ERROR_MONTH_RANGE = gettext_lazy("Choose at most 36 months.")
ERROR_MONTH_FUTURE = gettext_lazy("Choose a month that has begun.")


# --- Filters ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """The units (id, name, depth) and categories (id, name) the filters offer: the whole municipality's."""

    units: list[tuple[int, str, int, str]]
    categories: list[tuple[int, str]]


def choices() -> Choices:
    """The filters' choices, kept in the public cache."""
    municipality_id = public_setup().municipality.pk

    def build() -> Choices:
        units, categories = statistics_choices(municipality_id=municipality_id)
        return Choices(units, categories)

    return public_cached("numbers-choices", municipality_id, build=build)


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise forms.ValidationError(ERROR_MONTH_FORMAT, code="invalid") from None


class NumbersFilterForm(forms.Form):
    """The filters of a numbers page (GET): unit (and those below it), category, first and last month."""

    enhet = forms.TypedChoiceField(label=gettext_lazy("Unit"), required=False, coerce=int, empty_value=None)
    kategori = forms.TypedChoiceField(label=gettext_lazy("Category"), required=False, coerce=int, empty_value=None)
    fran = forms.CharField(label=gettext_lazy("From month"), required=False, max_length=7)
    till = forms.CharField(label=gettext_lazy("To month"), required=False, max_length=7)

    def __init__(self, data: Any, *, options: Choices, today: datetime.date) -> None:
        super().__init__(data)
        self.today = today
        self.options = options
        all_units = [("", _("All units"))]
        self.fields["enhet"].choices = all_units + [  # type: ignore[attr-defined]
            (str(pk), "\u2003" * depth + name) for pk, name, depth, _path in options.units
        ]
        self.fields["kategori"].choices = [("", _("All categories"))] + [  # type: ignore[attr-defined]
            (str(pk), name) for pk, name in options.categories
        ]
        months = month_starts(today, MONTHS_DEFAULT)
        for name, default in (("fran", months[0]), ("till", months[-1])):
            self.fields[name].widget.attrs.update({"placeholder": default.strftime("%Y-%m"), "inputmode": "numeric"})

    def clean_fran(self) -> datetime.date | None:
        value = self.cleaned_data["fran"]
        return _month(value) if value else None

    def clean_till(self) -> datetime.date | None:
        value = self.cleaned_data["till"]
        return _month(value) if value else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("fran"), data.get("till")
        this_month = self.today.replace(day=1)
        if last is not None and last > this_month:
            self.add_error("till", forms.ValidationError(ERROR_MONTH_FUTURE, code="future"))
        if first is not None and first > this_month:
            self.add_error("fran", forms.ValidationError(ERROR_MONTH_FUTURE, code="future"))
        if first is not None and last is not None and first > last:
            self.add_error("fran", forms.ValidationError(ERROR_MONTH_ORDER, code="order"))
        return data

    def filters(self) -> "Filters":
        """The filters asked for, each that is missing or wrong at its default (the last twelve months, all)."""
        valid = self.is_valid()
        data = self.cleaned_data if valid else {}
        months = month_starts(self.today, MONTHS_DEFAULT)
        last = data.get("till") or months[-1]
        first = data.get("fran") or month_starts(last, MONTHS_DEFAULT)[0]
        months_between = (last.year - first.year) * 12 + last.month - first.month + 1
        if months_between > MONTHS_MOST:
            if valid:
                self.add_error("fran", forms.ValidationError(ERROR_MONTH_RANGE, code="range"))
            first = month_starts(last, MONTHS_MOST)[0]
            months_between = MONTHS_MOST
        unit = next((u for u in self.options.units if u[0] == data.get("enhet")), None)
        category = next((c for c in self.options.categories if c[0] == data.get("kategori")), None)
        return Filters(
            months=month_starts(last, months_between),
            unit_id=unit[0] if unit else None,
            unit_name=unit[1] if unit else "",
            unit_path=unit[3] if unit else "",
            category_id=category[0] if category else None,
            category_name=category[1] if category else "",
        )


@dataclass(frozen=True)
class Filters:
    months: list[datetime.date]
    unit_id: int | None = None
    unit_name: str = ""
    unit_path: str = ""
    category_id: int | None = None
    category_name: str = ""

    def query(self) -> dict[str, str]:
        """The filters as the page's query string writes them (for the download links)."""
        found = {"fran": self.months[0].strftime("%Y-%m"), "till": self.months[-1].strftime("%Y-%m")}
        if self.unit_id is not None:
            found["enhet"] = str(self.unit_id)
        if self.category_id is not None:
            found["kategori"] = str(self.category_id)
        return found

    def cache_parts(self) -> tuple[object, ...]:
        return (self.months[0], self.months[-1], self.unit_id, self.category_id)


def filters_default(*, today: datetime.date | None = None) -> Filters:
    """The filters of a page asked for without any (the last twelve months, every unit and category): what
    `filters_read` gives for an empty query, without building the form and its choices."""
    return Filters(months=month_starts(today or timezone.localdate(), MONTHS_DEFAULT))


def filters_read(data: Any, *, today: datetime.date | None = None) -> tuple[NumbersFilterForm, Filters]:
    """The bound filter form and the filters it gives (its defaults for what is missing or wrong)."""
    form = NumbersFilterForm(data, options=choices(), today=today or timezone.localdate())
    return form, form.filters()


# --- Tables -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # the name in CSV and JSON
    label: str
    kind: str  # "text", "month", "int", "percent", "decimal", "coordinate": how the page writes it


@dataclass(frozen=True)
class Table:
    """A table of a page, as the page, CSV, JSON and API give it. Each row's first value names it; `keys` are the
    rows' stable ids (a month as YYYY-MM-DD, a unit's or category's id, a kind's code, a map cell's corner)."""

    slug: str
    title: str
    columns: list[Column]
    rows: list[list[Any]]
    keys: list[str]

    def records(self) -> list[dict[str, Any]]:
        """The rows as {column key: value}, with their id; months as ISO dates."""
        return [
            {"id": key, **{c.key: _plain(v) for c, v in zip(self.columns, row, strict=True)}}
            for key, row in zip(self.keys, self.rows, strict=True)
        ]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def cell_text(value: Any, kind: str) -> str:
    """A value as the page writes it in the active language ("–" for none)."""
    if value is None:
        return "–"
    if kind == "month":
        return formats.date_format(value, "YEAR_MONTH_FORMAT")
    if kind == "percent":
        return f"{value}\u00a0%"
    if kind == "coordinate":
        return formats.number_format(value, 3, use_l10n=True)
    if kind == "decimal":
        return formats.number_format(value, 1 if value % 1 else 0, use_l10n=True)
    if kind == "int":
        return formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    return str(value)


def _figure_columns(first: Column) -> list[Column]:
    return [
        first,
        Column("received", _("Cases received"), "int"),
        Column("answered", _("Answered"), "int"),
        Column("answered_in_time", _("Answered within the promise"), "int"),
        Column("share_in_time", _("Share answered within the promise"), "percent"),
        Column("median_working_days", _("Median working days to answer"), "decimal"),
        Column("solved_yes", _("Solved: yes"), "int"),
        Column("solved_no", _("Solved: no"), "int"),
    ]


def _figures(f: Figures) -> list[Any]:
    return [f.received, f.answered, f.answered_in_time, f.share_in_time, f.median_days, f.resolved_yes, f.resolved_no]


def _figures_table(slug: str, title: str, first: Column, rows: list[FiguresRow]) -> Table:
    return Table(
        slug,
        title,
        _figure_columns(first),
        [[row.key if first.kind == "month" else row.name, *_figures(row.figures)] for row in rows],
        [row.key.isoformat() if isinstance(row.key, datetime.date) else str(row.key) for row in rows],
    )


@dataclass(frozen=True)
class MapCell:
    """A shown cell of the map (at least CELL_SMALLEST reports), placed for the SVG."""

    south: float
    west: float
    count: int
    x: float
    y: float
    shade: int  # 1–4, darker with more reports


@dataclass(frozen=True)
class FaultMap:
    cells: list[MapCell]
    width: float
    height: float
    cell_width: float
    cell_height: float
    hidden: int  # reports in cells with too few to show


@dataclass(frozen=True)
class NumbersPage:
    """What a numbers page shows: its tables (by slug, in order), the total, and the map."""

    tables: dict[str, Table]
    total: Figures
    fault_map: FaultMap | None = None


def promises_page(filters: Filters) -> NumbersPage:
    """ "Så håller vi våra löften": per month, unit and category."""
    return _cached("promises", filters, _promises)


def figures_page(filters: Filters) -> NumbersPage:
    """ "Synpunkter i siffror": per kind and month, category and kind, and the fault reports' map."""
    return _cached("figures", filters, _figures_page)


def _cached(name: str, filters: Filters, build: Callable[[Filters, TallyStatistics], NumbersPage]) -> NumbersPage:
    municipality_id = public_setup().municipality.pk
    language = translation.get_language()

    def run() -> NumbersPage:
        statistics = tally_statistics(
            municipality_id=municipality_id,
            months=filters.months,
            unit_path=filters.unit_path or None,
            category_id=filters.category_id,
        )
        return build(filters, statistics)

    return public_cached(f"numbers-{name}", municipality_id, language, *filters.cache_parts(), build=run)


def _promises(filters: Filters, statistics: TallyStatistics) -> NumbersPage:
    tables = [
        _figures_table("per-manad", _("Per month"), Column("month", _("Month"), "month"), statistics.months),
        _figures_table("per-enhet", _("Per unit"), Column("unit", _("Unit"), "text"), statistics.units),
        _figures_table(
            "per-kategori", _("Per category"), Column("category", _("Category"), "text"), statistics.categories
        ),
    ]
    return NumbersPage({t.slug: t for t in tables}, statistics.total)


def _figures_page(filters: Filters, statistics: TallyStatistics) -> NumbersPage:
    kinds = [(value, str(label)) for value, label in Kind.choices]
    months = [(row.key, row.figures.received) for row in statistics.months if isinstance(row.key, datetime.date)]
    by_month = Table(
        "typ-per-manad",
        _("Received per kind and month"),
        [Column("month", _("Month"), "month")]
        + [Column(value, label, "int") for value, label in kinds]
        + [Column("total", _("All kinds"), "int")],
        [
            [month, *(statistics.received_by_kind_month.get((value, month), 0) for value, _label in kinds), received]
            for month, received in months
        ],
        [month.isoformat() for month, _received in months],
    )
    by_kind = Table(
        "per-typ",
        _("Received per kind"),
        [Column("kind", _("Kind"), "text"), Column("received", _("Cases received"), "int")],
        [[row.name, row.figures.received] for row in statistics.kinds],
        [str(row.key) for row in statistics.kinds],
    )
    by_category = Table(
        "per-kategori",
        _("Received per category"),
        [Column("category", _("Category"), "text"), Column("received", _("Cases received"), "int")],
        [[row.name, row.figures.received] for row in statistics.categories],
        [str(row.key) for row in statistics.categories],
    )
    fault_map = _fault_map(filters)
    cells = Table(
        "karta",
        _("Fault reports per square of about 1 km"),
        [
            Column("south", _("South edge (latitude)"), "coordinate"),
            Column("west", _("West edge (longitude)"), "coordinate"),
            Column("received", _("Fault reports"), "int"),
        ],
        [[round(c.south, 3), round(c.west, 3), c.count] for c in fault_map.cells],
        [f"{c.south:.3f},{c.west:.3f}" for c in fault_map.cells],
    )
    tables = [by_month, by_kind, by_category, cells]
    return NumbersPage({t.slug: t for t in tables}, statistics.total, fault_map)


MAP_CELL_PIXELS = 24


def _fault_map(filters: Filters) -> FaultMap:
    """The cells with at least CELL_SMALLEST fault reports, placed on a plain grid (north up)."""
    found = fault_report_cells(
        municipality_id=public_setup().municipality.pk,
        start=filters.months[0],
        end=_month_end(filters.months[-1]),
        unit_path=filters.unit_path or None,
        category_id=filters.category_id,
    )
    shown = [c for c in found if c.count >= CELL_SMALLEST]
    hidden = sum(c.count for c in found if c.count < CELL_SMALLEST)
    if not shown:
        return FaultMap([], 0, 0, MAP_CELL_PIXELS, MAP_CELL_PIXELS, hidden)
    top = max(c.row for c in shown)
    left = min(c.column for c in shown)
    most = max(c.count for c in shown)
    cells = [
        MapCell(
            south=c.south,
            west=c.west,
            count=c.count,
            x=(c.column - left) * MAP_CELL_PIXELS,
            y=(top - c.row) * MAP_CELL_PIXELS,
            shade=min(4, 1 + (4 * (c.count - CELL_SMALLEST)) // max(1, most - CELL_SMALLEST + 1)),
        )
        for c in shown
    ]
    width = (max(c.column for c in shown) - left + 1) * MAP_CELL_PIXELS
    height = (top - min(c.row for c in shown) + 1) * MAP_CELL_PIXELS
    return FaultMap(cells, width, height, MAP_CELL_PIXELS, MAP_CELL_PIXELS, hidden)


def _month_end(month: datetime.date) -> datetime.date:
    following = month.replace(year=month.year + month.month // 12, month=month.month % 12 + 1)
    return following - datetime.timedelta(days=1)
