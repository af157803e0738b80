"""Staff pages of a goal's indicators: an indicator's values (with "Källa: Kolada" for Kolada's), the forms to add
and change an indicator, to record a value and set a target, the import of a file of values with its progress, and
the search of Kolada's key figures to connect one.

Reading follows the goal (`indicators.indicator_get`: another unit's internal goal's indicator is 404); changing
needs the goal's editors (`goals.services.may_edit`). Every page works without JavaScript: the import's progress
page reloads itself (a meta refresh) until the import is done."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import dates, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.sections import Section
from brobygget.goals import importing, indicators, selectors, services
from brobygget.goals.forms_indicators import (
    ImportForm,
    IndicatorForm,
    KoladaSearchForm,
    MeasurementForm,
    TargetForm,
)
from brobygget.goals.kolada.client import KoladaClient, KoladaError
from brobygget.goals.kolada.sync import (
    ERROR_KOLADA_UNAVAILABLE,
    kolada_areas,
    kolada_connect,
    kolada_title_confirm,
    kpi_search,
)
from brobygget.goals.models import Goal, Indicator, MeasurementImport, Period
from brobygget.organisation.models import Person

logger = logging.getLogger(__name__)

MESSAGE_SAVED = _("The indicator is saved.")
MESSAGE_VALUE_SAVED = _("The value is saved.")
MESSAGE_TARGET_SAVED = _("The target is saved.")
MESSAGE_TITLE_CONFIRMED = _("The new title from Kolada is confirmed.")
MESSAGE_CONNECTED = _("The key figure is connected, with its values from Kolada.")
ERROR_FILE_UNREADABLE = _("The file could not be read. Save it as CSV (UTF-8) or as an Excel workbook (.xlsx).")

# Django's own month names ("januari" in Swedish): our catalogue must not give "January" a text of its own, as
# every date the pages write takes its month from the same message.
MONTHS = list(dates.MONTHS.items())


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


def _editable_goal(request: HttpRequest, goal_id: int) -> Goal:
    goal = selectors.goal_get(person=_person(request), goal_id=goal_id)
    if not services.may_edit(actor=request.user, unit=goal.unit):
        raise PermissionDenied(services.ERROR_NOT_ALLOWED)
    return goal


def _editable_indicator(request: HttpRequest, indicator_id: int) -> Indicator:
    indicator = indicators.indicator_get(person=_person(request), indicator_id=indicator_id)
    if not services.may_edit(actor=request.user, unit=indicator.goal.unit):
        raise PermissionDenied(services.ERROR_NOT_ALLOWED)
    return indicator


def _area_labels(municipality_id: int) -> tuple[list[str], dict[str, str]]:
    areas = kolada_areas(municipality_id=municipality_id)
    labels = {"": str(_("Our municipality")), "0000": str(_("Riket (the whole country)"))}
    for area in areas.group:
        labels.setdefault(area, str(_("Kolada id %(id)s") % {"id": area}))
    return areas.compared, labels


@login_required
@require_GET
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """An indicator: its facts, its values with their colours, its targets, and its values by gender and compared
    with Riket and the municipality's group (Kolada's). A fixed handful of queries."""
    indicator = indicators.indicator_get(person=_person(request), indicator_id=indicator_id)
    compared, labels = _area_labels(indicator.municipality_id)
    page = indicators.indicator_page(indicator=indicator, areas=compared)
    context = {
        "indicator": indicator,
        "goal": indicator.goal,
        "page": page,
        "area_labels": labels,
        "gender_labels": {value: str(label) for value, label in indicator.measurements.model.Gender.choices},
        "month_labels": {number: str(label) for number, label in MONTHS},
        "colour_labels": {key: str(label) for key, label in indicators.COLOUR_LABELS.items()},
        "may_edit": services.may_edit(actor=request.user, unit=indicator.goal.unit),
        "fmt": indicators.decimal_format,
        "localtime": timezone.localtime,
    }
    return render(request, "goals/indicator_detail.html", context)


def _render_form(request: HttpRequest, form: IndicatorForm, goal: Goal, indicator: Indicator | None) -> HttpResponse:
    context = {"form": form, "goal": goal, "indicator": indicator}
    return render(request, "goals/indicator_form.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    """A new indicator of a goal, entered by hand or imported from files."""
    goal = _editable_goal(request, goal_id)
    person = _person(request)
    form = IndicatorForm(
        request.POST if request.method == "POST" else None,
        owners=indicators.indicator_owner_choices(goal=goal),
        initial={
            "direction": Indicator.Direction.HIGHER,
            "source": Indicator.Source.MANUAL,
            "owner": str(person.pk if person else goal.responsible_id),
        },
    )
    if form.is_bound and form.is_valid():
        try:
            indicator = indicators.indicator_create(actor=request.user, goal=goal, data=form.to_input())
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="indicator_create")
        else:
            messages.success(request, str(MESSAGE_SAVED))
            return redirect("goals:indicator", indicator_id=indicator.pk)
    return _render_form(request, form, goal, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Change an indicator, or archive it."""
    indicator = _editable_indicator(request, indicator_id)
    fmt = indicators.decimal_format
    form = IndicatorForm(
        request.POST if request.method == "POST" else None,
        owners=indicators.indicator_owner_choices(goal=indicator.goal),
        editing=True,
        kolada=indicator.source == Indicator.Source.KOLADA,
        initial={
            "name": indicator.name,
            "unit_of_measure": indicator.unit_of_measure,
            "direction": indicator.direction,
            "baseline": fmt(indicator.baseline),
            "baseline_year": str(indicator.baseline_year or ""),
            "green_from": fmt(indicator.green_from),
            "red_from": fmt(indicator.red_from),
            "source": indicator.source,
            "owner": str(indicator.owner_id),
            "archived": indicator.archived,
        },
    )
    if form.is_bound and form.is_valid():
        try:
            indicators.indicator_update(
                actor=request.user, indicator=indicator, data=form.to_input(source=indicator.source)
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="indicator_update")
        else:
            messages.success(request, str(MESSAGE_SAVED))
            return redirect("goals:indicator", indicator_id=indicator.pk)
    return _render_form(request, form, indicator.goal, indicator)


@login_required
@require_http_methods(["GET", "POST"])
def measurement_new(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Record a value of an indicator for a year or a month (`?ar=`, `?manad=` fill the form)."""
    indicator = _editable_indicator(request, indicator_id)
    if indicator.source == Indicator.Source.KOLADA:
        raise Http404
    year = request.GET.get("ar", "")
    month = request.GET.get("manad", "")
    form = MeasurementForm(
        request.POST if request.method == "POST" else None,
        months=[(str(number), str(label)) for number, label in MONTHS],
        initial={
            "year": year if year.isdigit() else str(timezone.localdate().year),
            "month": month if month.isdigit() else "",
            "gender": "T",
        },
    )
    if form.is_bound and form.is_valid():
        try:
            indicators.measurement_record(actor=request.user, indicator=indicator, data=form.to_input())
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="measurement_record")
        else:
            messages.success(request, str(MESSAGE_VALUE_SAVED))
            return redirect("goals:indicator", indicator_id=indicator.pk)
    context = {"form": form, "indicator": indicator, "goal": indicator.goal}
    return render(request, "goals/indicator_value_form.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Set what an indicator should reach in a period (the goal's period unless chosen); empty removes it."""
    indicator = _editable_indicator(request, indicator_id)
    periods = [(row.pk, row.name) for row in selectors.periods(municipality_id=indicator.municipality_id)]
    chosen = request.GET.get("period", str(indicator.goal.period_id))
    current = indicator.targets.filter(period_id=int(chosen) if chosen.isdigit() else 0).first()
    form = TargetForm(
        request.POST if request.method == "POST" else None,
        periods=periods,
        initial={"period": chosen, "value": indicators.decimal_format(current.value) if current else ""},
    )
    if form.is_bound and form.is_valid():
        period = Period.objects.filter(pk=int(form.cleaned_data["period"]), municipality_id=indicator.municipality_id)
        try:
            indicators.target_set(
                actor=request.user, indicator=indicator, period=period.get(), value=form.cleaned_data["value"]
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="target_set")
        else:
            messages.success(request, str(MESSAGE_TARGET_SAVED))
            return redirect("goals:indicator", indicator_id=indicator.pk)
    context = {"form": form, "indicator": indicator, "goal": indicator.goal}
    return render(request, "goals/indicator_target_form.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Import a CSV or XLSX file of values into the goal's indicators: a small file at once, a large one by the
    worker with a progress page. Nothing is written when a row is wrong; the page lists the bad rows by line."""
    goal = _editable_goal(request, goal_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[int, str]] = []
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(importing.MAX_FILE_BYTES + 1)
        if importing.rows_count(data) > importing.INLINE_ROWS:
            job = importing.import_queue(actor=request.user, goal=goal, data=data, file_name=upload.name or "")
            return redirect("goals:import_progress", import_id=job.pk)
        try:
            outcome = importing.measurements_import(
                actor=request.user, goal=goal, data=data, file_name=upload.name or ""
            )
        except DatabaseError as error:
            not_saved(form, error, where="measurements_import")
        else:
            if not outcome.errors:
                written = ngettext(
                    "%(count)s value was imported.", "%(count)s values were imported.", outcome.written
                ) % {"count": outcome.written}
                messages.success(request, written)
                return redirect("goals:detail", goal_id=goal.pk)
            problems = outcome.errors
    status = 400 if problems else page_status(form)
    context = {
        "form": form,
        "goal": goal,
        "problems": problems[: importing.MAX_ERRORS_KEPT],
        "more_problems": max(len(problems) - importing.MAX_ERRORS_KEPT, 0),
        "indicators": list(goal.indicators.filter(archived=False).order_by("name", "pk").values_list("pk", "name")),
    }
    return render(request, "goals/import_form.html", context, status=status)


@login_required
@require_GET
def import_progress(request: HttpRequest, import_id: int) -> HttpResponse:
    """How far an import has come: reloads itself every few seconds (no JavaScript) until it is done."""
    job = MeasurementImport.objects.select_related("goal").filter(pk=import_id).first()
    if job is None:
        raise Http404
    goal = selectors.goal_get(person=_person(request), goal_id=job.goal_id)
    person = _person(request)
    if person is None or (job.created_by_id != person.pk and not services.may_edit(actor=request.user, unit=goal.unit)):
        raise Http404
    running = job.status in (MeasurementImport.Status.QUEUED, MeasurementImport.Status.RUNNING)
    percent = int(100 * job.done / job.total) if job.total else 0
    context = {"job": job, "goal": goal, "running": running, "percent": percent}
    return render(request, "goals/import_progress.html", context)


@login_required
@require_GET
def kolada_search(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Search Kolada's key figures by title (a GET form; the server asks Kolada) and connect one to the goal."""
    goal = _editable_goal(request, goal_id)
    form = KoladaSearchForm(request.GET if "q" in request.GET else None)
    results: list[dict[str, str]] = []
    error = ""
    if form.is_bound and form.is_valid():
        try:
            results = kpi_search(title=form.cleaned_data["q"], client=KoladaClient())
        except KoladaError as problem:
            logger.warning("Searching Kolada failed: %s", problem.message)
            error = str(ERROR_KOLADA_UNAVAILABLE)
    connected = set(goal.indicators.filter(archived=False).values_list("kolada_kpi", flat=True))
    context = {"form": form, "goal": goal, "results": results, "error": error, "connected": connected}
    return render(request, "goals/kolada_search.html", context, status=503 if error else page_status(form))


@login_required
@require_POST
def kolada_connect_view(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Connect the chosen key figure to the goal: an indicator filled with its values from Kolada."""
    goal = _editable_goal(request, goal_id)
    kpi = request.POST.get("kpi", "")
    try:
        indicator = kolada_connect(actor=request.user, goal=goal, kpi=kpi, client=KoladaClient())
    except ValidationError as error:
        context = {"form": KoladaSearchForm(), "goal": goal, "results": [], "error": error.messages[0]}
        return render(request, "goals/kolada_search.html", {**context, "connected": set()}, status=400)
    except KoladaError as problem:
        logger.warning("Connecting Kolada's %s failed: %s", kpi[:20], problem.message)
        context = {"form": KoladaSearchForm(), "goal": goal, "results": [], "error": str(ERROR_KOLADA_UNAVAILABLE)}
        return render(request, "goals/kolada_search.html", {**context, "connected": set()}, status=503)
    messages.success(request, str(MESSAGE_CONNECTED))
    return redirect("goals:indicator", indicator_id=indicator.pk)


@login_required
@require_POST
def kolada_title_confirm_view(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Confirm the new title Kolada gives the indicator's key figure."""
    indicator = _editable_indicator(request, indicator_id)
    try:
        kolada_title_confirm(actor=request.user, indicator=indicator)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, str(MESSAGE_TITLE_CONFIRMED))
    return redirect("goals:indicator", indicator_id=indicator.pk)


def indicators_section(goal: Goal, person: Person | None) -> Section:
    """The goal page's indicators (GOAL_PAGE): each with its latest value, colour, target and source, and the links
    to add one, connect a Kolada key figure and import values for those who may edit the goal. Three queries."""
    context = {
        "goal": goal,
        "rows": indicators.goal_indicators(goal=goal),
        "may_edit": selectors.may_edit_read(person, goal.unit),
        "colour_labels": {key: str(label) for key, label in indicators.COLOUR_LABELS.items()},
        "source_labels": {value: str(label) for value, label in Indicator.Source.choices},
    }
    return Section("goals/indicator_section.html", context)
