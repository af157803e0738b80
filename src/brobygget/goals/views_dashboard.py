"""Staff pages of a unit's goals: its dashboard, and the follow-up report of a period (HTML with a print
stylesheet, PDF) with the indicator data as CSV and XLSX. A unit the reader does not see is 404."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from brobygget.goals import dashboard, reports, selectors
from brobygget.goals.rollup import status_word
from brobygget.organisation.models import Person


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


@login_required
@require_GET
def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Where are we, where are we going and how do we get there: a unit's goals in a period."""
    person = _person(request)
    unit = dashboard.unit_for(person=person, unit_id=unit_id)
    board = dashboard.unit_dashboard(
        person=person, unit=unit, chosen=request.GET.get("period", ""), today=timezone.localdate()
    )
    context = {
        "board": board,
        "unit": unit,
        "status_word": status_word,
        "number": dashboard.number_text,
        "sections": dashboard.dashboard_sections(unit, board.period, person),
    }
    return render(request, "goals/dashboard.html", context)


def _report_context(request: HttpRequest, unit_id: int) -> dict[str, object]:
    person = _person(request)
    unit = dashboard.unit_for(person=person, unit_id=unit_id)
    rows = selectors.periods(municipality_id=unit.municipality_id)
    period = selectors.chosen_period(rows, request.GET.get("period", ""), timezone.localdate())
    if period is None:
        raise Http404
    until = None
    try:
        until = datetime.date.fromisoformat(request.GET.get("till", ""))
    except ValueError:
        until = None
    report = reports.unit_report(person=person, unit=unit, period=period, until=until)
    return {
        "report": report,
        "unit": unit,
        "periods": rows,
        "status_word": status_word,
        "number": dashboard.number_text,
        "printed_at": timezone.localtime(),
    }


@login_required
@require_GET
def unit_report(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The follow-up report of a unit and period, printable."""
    return render(request, "goals/report.html", _report_context(request, unit_id))


def _file_name(context: dict[str, object], extension: str) -> str:
    report = context["report"]
    assert isinstance(report, reports.Report)
    return f"uppfoljning-{report.unit.code or report.unit.pk}-{report.period.pk}-{report.until.isoformat()}.{extension}"


@login_required
@require_GET
def unit_report_pdf(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The report as a PDF (WeasyPrint)."""
    context = _report_context(request, unit_id)
    response = HttpResponse(reports.report_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(context, "pdf")}"'
    return response


@login_required
@require_GET
def unit_indicators_csv(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The indicator data of the report's goals as CSV."""
    context = _report_context(request, unit_id)
    report = context["report"]
    assert isinstance(report, reports.Report)
    text = reports.indicators_csv(person=_person(request), unit=report.unit, period=report.period)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(context, "csv")}"'
    return response


@login_required
@require_GET
def unit_indicators_xlsx(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The indicator data of the report's goals as XLSX."""
    context = _report_context(request, unit_id)
    report = context["report"]
    assert isinstance(report, reports.Report)
    data = reports.indicators_xlsx(person=_person(request), unit=report.unit, period=report.period)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(context, "xlsx")}"'
    return response
