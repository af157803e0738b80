"""The follow-up report of a unit and period, for the nämnd: each goal and activity of the unit and the units below
it, in the tree's order, with its latest follow-up up to a day as it was **kept** (its snapshot), so that last year's
report reads last year's words; and the indicator data of those goals as CSV and XLSX.

The report is HTML with a print stylesheet, and the same HTML as a PDF (WeasyPrint). Read in a fixed number of
queries: the goals, their follow-ups, the indicators with their targets and values."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from brobygget.goals.models import FollowUp, Goal, Indicator, IndicatorTarget, Measurement
from brobygget.goals.selectors import PeriodRow, level_labels, visibility_of, visible_goals
from brobygget.organisation.models import Person, Unit

REPORT_LIMIT = 500  # goals in one report; a larger subtree is cut, and the report says so


@dataclass(frozen=True)
class ReportGoal:
    pk: int
    title: str  # as the snapshot has it when followed up, else as it reads now
    level_label: str
    depth: int
    follow_up_id: int | None
    snap: dict[str, Any] | None


@dataclass(frozen=True)
class Report:
    unit: Unit
    period: PeriodRow
    until: datetime.date
    goals: list[ReportGoal]
    cut: bool
    followed_up: int


def _goals(person: Person | None, unit: Unit, period: PeriodRow) -> Q:
    return visible_goals(visibility_of(person)) & Q(period_id=period.pk, unit__path__below=unit.path, archived=False)


def unit_report(*, person: Person | None, unit: Unit, period: PeriodRow, until: datetime.date | None) -> Report:
    """The report of the unit's goals (and those of the units below it) in the period, each with its latest
    follow-up up to `until` (default: the period's end) as it was kept. Two queries."""
    until = until or period.end
    rows = list(
        Goal.objects.filter(_goals(person, unit, period))
        .order_by("path")
        .values_list("pk", "title", "level", "path")[: REPORT_LIMIT + 1]
    )
    cut = len(rows) > REPORT_LIMIT
    rows = rows[:REPORT_LIMIT]
    latest: dict[int, tuple[int, dict[str, Any]]] = {}
    for pk, goal_id, snapshot in (
        FollowUp.objects.filter(goal_id__in=[row[0] for row in rows], covers_until__lte=until)
        .order_by("goal_id", "covers_until", "pk")
        .values_list("pk", "goal_id", "snapshot")
    ):
        latest[goal_id] = (pk, snapshot)
    ids = {row[0] for row in rows}
    labels = level_labels()
    goals = []
    for pk, title, level, path in rows:
        depth = sum(1 for part in path.strip("/").split("/")[:-1] if int(part) in ids)
        follow_up_id, snap = latest.get(pk, (None, None))
        shown = snap.get("goal", {}).get("title", title) if snap else title
        goals.append(ReportGoal(pk, shown, labels[level], depth, follow_up_id, snap))
    return Report(unit, period, until, goals, cut, sum(1 for goal in goals if goal.snap))


def report_pdf(context: dict[str, Any]) -> bytes:
    """The report as a PDF: the same body as the page, with the print stylesheet inline."""
    from weasyprint import HTML

    found = finders.find("goals/followup.css")
    css = open(str(found), encoding="utf-8").read() if found else ""  # noqa: SIM115 - a small file read whole
    html = render_to_string("goals/report_pdf.html", {**context, "css": css})
    return bytes(HTML(string=html).write_pdf())


def _indicator_rows(person: Person | None, unit: Unit, period: PeriodRow) -> tuple[list[str], list[list[Any]]]:
    """The header and rows of the indicator data: every value of the indicators of the report's goals. Three
    queries."""
    indicators = list(
        Indicator.objects.filter(
            goal__in=Goal.objects.filter(_goals(person, unit, period)).values("pk"), archived=False
        )
        .select_related("goal")
        .order_by("goal__path", "name", "pk")
    )
    ids = [indicator.pk for indicator in indicators]
    targets = dict(
        IndicatorTarget.objects.filter(indicator_id__in=ids, period_id=period.pk).values_list("indicator_id", "value")
    )
    by_id = {indicator.pk: indicator for indicator in indicators}
    order = {pk: number for number, pk in enumerate(ids)}
    header = [
        _("Goal"),
        _("Indicator"),
        _("Unit of measure"),
        _("Year"),
        _("Month"),
        _("Gender"),
        _("Compared area"),
        _("Value"),
        _("Target"),
        _("Source"),
    ]
    genders = dict(Measurement.Gender.choices)
    sources = dict(Indicator.Source.choices)
    ranked: list[tuple[int, list[Any]]] = []
    for indicator_id, year, month, gender, area, value, source in (
        Measurement.objects.filter(indicator_id__in=ids)
        .order_by("indicator_id", "year", "month", "gender", "area")
        .values_list("indicator_id", "year", "month", "gender", "area", "value", "source")
    ):
        indicator = by_id[indicator_id]
        target = targets.get(indicator_id)
        ranked.append(
            (
                order[indicator_id],
                [
                    indicator.goal.title,
                    indicator.name,
                    indicator.unit_of_measure,
                    year,
                    month or "",
                    str(genders.get(gender, gender)),
                    area,
                    value,
                    target,
                    str(sources.get(source, source)),
                ],
            )
        )
    ranked.sort(key=lambda item: item[0])
    return header, [row for _rank, row in ranked]


def _csv_number(value: Decimal | None) -> str:
    """A number with a decimal comma and no trailing zeros (55,5; 85), blank for no value."""
    return "" if value is None else format(value.normalize(), "f").replace(".", ",")


def indicators_csv(*, person: Person | None, unit: Unit, period: PeriodRow) -> str:
    """The indicator data as CSV (semicolons and decimal commas, as Swedish spreadsheets read them; a BOM)."""
    header, rows = _indicator_rows(person, unit, period)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_number(v) if i in (7, 8) else v for i, v in enumerate(row)])
    return out.getvalue()


def indicators_xlsx(*, person: Person | None, unit: Unit, period: PeriodRow) -> bytes:
    """The indicator data as an XLSX workbook (numbers as numbers)."""
    from openpyxl import Workbook

    header, rows = _indicator_rows(person, unit, period)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Indicators")[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([float(v) if i in (7, 8) and v is not None else v for i, v in enumerate(row)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
