"""Staff pages of deviations, learnings and the search: report a deviation, a leader's triage, write and read a
learning, search what other units learned and completed.

Every change is a small POST form that calls a service and redirects back with a message; a refused form comes back
with what was typed and the reasons in Swedish. No JavaScript is needed."""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.improvement import deviations, learnings, search, selectors
from brobygget.improvement.forms import ImprovementForm
from brobygget.improvement.forms_learning import CloseForm, DeviationForm, LearningForm, SearchForm
from brobygget.improvement.models import Deviation, DeviationState, Improvement, Outcome, Stage
from brobygget.improvement.views_board import href
from brobygget.improvement.views_spread import spread_form
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.scoping import Visibility, unit_filter_options
from brobygget.organisation.workspace import Section, Viewer

logger = logging.getLogger(__name__)

MESSAGE_REPORTED = _("Thank you. The deviation is reported, and the unit's leader will take a position on it.")
MESSAGE_LEARNING = _("The learning is published for the whole municipality.")
MESSAGE_LEARNING_ANONYMOUS = _("The learning is published for the whole municipality, without your name.")
MESSAGE_TO_IMPROVEMENT = _("The deviation is now an improvement on the board, in Idea.")
MESSAGE_CLOSED = _("The deviation is closed.")
# The search offers the years from this many years back to now.
SEARCH_YEARS = 10


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


# Deviations


@login_required
@require_http_methods(["GET", "POST"])
def deviation_new(request: HttpRequest) -> HttpResponse:
    """Report a deviation: what happened, where, when (now) and the unit (one's own)."""
    person = _person(request)
    units = selectors.my_board_units(person=person)
    if not units:
        raise Http404
    initial = {"happened_at": DeviationForm.now(), "unit": str(units[0][0])}
    form = DeviationForm(request.POST if request.method == "POST" else None, units=units, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        unit = Unit.objects.filter(pk=int(data["unit"])).first()
        try:
            if unit is None:
                raise ValidationError({"unit": deviations.ERROR_NOT_YOUR_UNIT})
            deviations.deviation_report(
                actor=request.user,
                unit=unit,
                what_happened=data["what_happened"],
                where=data["where"],
                happened_at=data["happened_at"],
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="deviation_report")
        else:
            messages.success(request, str(MESSAGE_REPORTED))
            return redirect("improvement:deviations")
    return render(request, "improvement/deviation_form.html", {"form": form}, status=page_status(form))


@login_required
@require_GET
def deviation_list(request: HttpRequest) -> HttpResponse:
    """The deviations waiting for the leader's triage, and those the person reported lately."""
    person = _person(request)
    context = {
        "waiting": deviations.deviations_waiting(person=person),
        "leads": bool(deviations.led_paths(person)),
        "reported": deviations.deviations_reported(person=person),
        "states": dict(DeviationState.choices),
        "localtime": timezone.localtime,
    }
    return render(request, "improvement/deviation_list.html", context)


def _deviation_page(
    request: HttpRequest, deviation: Deviation, close: CloseForm | None = None, status: int = 200
) -> HttpResponse:
    person = _person(request)
    context = {
        "deviation": deviation,
        "may_triage": deviation.state == DeviationState.NEW and deviations.may_triage(person, deviation),
        "learning": deviations.deviation_learning(deviation=deviation),
        "close": close or CloseForm(),
        "failed": close if close is not None and close.errors else None,
        "localtime": timezone.localtime,
    }
    return render(request, "improvement/deviation_detail.html", context, status=status)


@login_required
@require_GET
def deviation_detail(request: HttpRequest, deviation_id: int) -> HttpResponse:
    """A deviation: what, where, when, by whom; how it was triaged, or the leader's three ways to triage it."""
    return _deviation_page(request, deviations.deviation_get(person=_person(request), deviation_id=deviation_id))


def _leader_deviation(request: HttpRequest, deviation_id: int) -> Deviation:
    """A deviation the person may triage; 404 for anyone else (a reporter who is no leader included)."""
    person = _person(request)
    deviation = deviations.deviation_get(person=person, deviation_id=deviation_id)
    if not deviations.may_triage(person, deviation):
        raise Http404
    return deviation


def _triaged_already(request: HttpRequest, deviation: Deviation) -> HttpResponse:
    messages.error(request, str(deviations.ERROR_ALREADY_TRIAGED))
    return redirect("improvement:deviation", deviation_id=deviation.pk)


@login_required
@require_POST
def deviation_close(request: HttpRequest, deviation_id: int) -> HttpResponse:
    """Close a deviation with the reason why."""
    deviation = _leader_deviation(request, deviation_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            deviations.deviation_close(actor=request.user, deviation=deviation, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if getattr(error, "code", None) == "triaged":
                return _triaged_already(request, deviation)
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="deviation_close")
        else:
            messages.success(request, str(MESSAGE_CLOSED))
            return redirect("improvement:deviation", deviation_id=deviation.pk)
    return _deviation_page(request, deviation, form, page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def deviation_to_learning(request: HttpRequest, deviation_id: int) -> HttpResponse:
    """Make a deviation a learning of its unit: the learning's form, filled in from the deviation."""
    deviation = _leader_deviation(request, deviation_id)
    if deviation.state != DeviationState.NEW:
        return _triaged_already(request, deviation)
    initial = {"title": deviation.where, "what_happened": deviation.what_happened, "unit": str(deviation.unit_id)}
    form = _learning_form(request, [(deviation.unit_id, deviation.unit.name)], initial)
    if form.is_bound and form.is_valid():
        try:
            learning = deviations.deviation_to_learning(actor=request.user, deviation=deviation, data=form.to_input())
        except ValidationError as error:
            if getattr(error, "code", None) == "triaged":
                return _triaged_already(request, deviation)
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="deviation_to_learning")
        else:
            return _learning_written(request, learning.pk, learning.anonymous)
    context = {"form": form, "deviation": deviation, "improvement": None}
    return render(request, "improvement/learning_form.html", context, status=page_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def deviation_to_improvement(request: HttpRequest, deviation_id: int) -> HttpResponse:
    """Make a deviation an improvement on its unit's board: the improvement's form, its problem the deviation's."""
    person = _person(request)
    deviation = _leader_deviation(request, deviation_id)
    if deviation.state != DeviationState.NEW:
        return _triaged_already(request, deviation)
    initial = {"title": deviation.where, "problem": deviation.what_happened, "owner": str(person.pk) if person else ""}
    form = ImprovementForm(
        request.POST if request.method == "POST" else None,
        people=selectors.unit_people(unit=deviation.unit),
        principles=selectors.principle_choices(),
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            improvement = deviations.deviation_to_improvement(
                actor=request.user, deviation=deviation, data=form.to_input()
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "triaged":
                return _triaged_already(request, deviation)
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="deviation_to_improvement")
        else:
            messages.success(request, str(MESSAGE_TO_IMPROVEMENT))
            return redirect("improvement:detail", improvement_id=improvement.pk)
    context = {"form": form, "deviation": deviation}
    return render(request, "improvement/deviation_improvement.html", context, status=page_status(form))


def my_page_section(viewer: Viewer) -> Section | None:
    """The part of "Min sida" with the deviations waiting for this leader's triage (leaders only); one prepared
    query (improvement.my_page)."""
    from brobygget.improvement.my_page import deviations_waiting

    waiting = deviations_waiting(viewer=viewer)
    if waiting is None:
        return None
    return Section("improvement/my_page_deviations.html", {"waiting": waiting})


# Learnings


def _learning_form(request: HttpRequest, units: list[tuple[int, str]], initial: dict[str, Any]) -> LearningForm:
    return LearningForm(
        request.POST if request.method == "POST" else None,
        units=units,
        principles=selectors.principle_choices(),
        initial=initial,
    )


def _learning_written(request: HttpRequest, learning_id: int, anonymous: bool) -> HttpResponse:
    messages.success(request, str(MESSAGE_LEARNING_ANONYMOUS if anonymous else MESSAGE_LEARNING))
    return redirect("improvement:learning", learning_id=learning_id)


@login_required
@require_http_methods(["GET", "POST"])
def learning_new(request: HttpRequest) -> HttpResponse:
    """Write a learning for one of one's units; from an improvement's page (?forbattring=<id>) linked to it."""
    person = _person(request)
    units = selectors.my_board_units(person=person)
    if not units:
        raise Http404
    improvement = None
    linked = request.POST.get("improvement") if request.method == "POST" else request.GET.get("forbattring")
    if linked and linked.isdigit() and len(linked) < 12:
        improvement = selectors.improvement_get(person=person, improvement_id=int(linked))
    initial: dict[str, Any] = {"unit": str(improvement.unit_id if improvement else units[0][0])}
    if improvement is not None:
        initial["improvement"] = improvement.pk
        if improvement.unit_id not in dict(units):
            units = [(improvement.unit_id, improvement.unit.name), *units]
    form = _learning_form(request, units, initial)
    if form.is_bound and form.is_valid():
        unit = Unit.objects.filter(pk=int(form.cleaned_data["unit"])).first()
        try:
            if unit is None:
                raise ValidationError({"unit": learnings.ERROR_NOT_YOUR_UNIT})
            learning = learnings.learning_write(actor=request.user, unit=unit, data=form.to_input())
        except PermissionDenied:
            form.add_error("unit", ValidationError(learnings.ERROR_NOT_YOUR_UNIT))
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="learning_write")
        else:
            return _learning_written(request, learning.pk, learning.anonymous)
    context = {"form": form, "deviation": None, "improvement": improvement}
    return render(request, "improvement/learning_form.html", context, status=page_status(form))


@login_required
@require_GET
def learning_detail(request: HttpRequest, learning_id: int) -> HttpResponse:
    """A learning, shared with every staff member of the municipality; an anonymous one names nobody."""
    person = _person(request)
    page = learnings.learning_page(person=person, learning_id=learning_id)
    deviation_seen = False
    if page.deviation_id is not None:
        try:
            deviations.deviation_get(person=person, deviation_id=page.deviation_id)
            deviation_seen = True
        except Http404:
            deviation_seen = False
    context = {"page": page, "deviation_seen": deviation_seen, "localtime": timezone.localtime}
    return render(request, "improvement/learning_detail.html", context)


# Search and completed improvements


def _municipality_visibility(person: Person) -> Visibility:
    """Every unit of the person's municipality: the search is shared across the whole municipality."""
    return Visibility(person.municipality_id, everything=True, paths=())


def _page_url(request: HttpRequest) -> Callable[[int], str]:
    """The address of another page of the same search."""

    def url(number: int) -> str:
        query = request.GET.copy()
        query["sida"] = str(number)
        return f"?{query.urlencode()}"

    return url


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search the learnings and completed improvements of the whole municipality, by words, unit, principle, year."""
    person = _person(request)
    if person is None:
        raise Http404
    this_year = timezone.localdate().year
    form = SearchForm(
        request.GET,
        principles=selectors.principle_choices(),
        years=list(range(this_year, this_year - SEARCH_YEARS, -1)),
    )
    chosen_unit = request.GET.get("enhet", "")
    unit_path = ""
    if chosen_unit.isdigit() and len(chosen_unit) < 10:
        found = Unit.objects.filter(municipality_id=person.municipality_id, pk=int(chosen_unit)).values_list("path")
        unit_path = found[0][0] if found else ""
    if not unit_path:
        chosen_unit = ""
    filters = search.Filters(
        query=form.value("q") or "",
        unit_path=unit_path,
        principle_id=form.value("princip"),
        year=form.value("ar"),
    )
    page_number = request.GET.get("sida", "1")
    number = int(page_number) if page_number.isdigit() and len(page_number) < 6 else 1
    result = search.search(municipality_id=person.municipality_id, filters=filters, page=number)
    context = {
        "form": form,
        "filters": filters,
        "result": result,
        "units": unit_filter_options(
            visibility=_municipality_visibility(person), chosen=chosen_unit, chosen_path=unit_path
        ),
        "chosen_unit": chosen_unit,
        "page_url": _page_url(request),
        "latest_per_kind": search.LATEST_PER_KIND,
        # A hit's address by its id: one reverse() per kind, not one per hit.
        "hit_href": {"learning": href("improvement:learning"), "improvement": href("improvement:shared")},
    }
    return render(request, "improvement/search.html", context)


@login_required
@require_GET
def shared_improvement(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """A completed improvement as every staff member of the municipality may read it: what was tried, what was
    found and decided, and what was learned (an improvement still on a board is its unit's)."""
    person = _person(request)
    if person is None:
        raise Http404
    improvement = (
        Improvement.objects.filter(municipality_id=person.municipality_id, pk=improvement_id, stage=Stage.DONE)
        .select_related("unit", "owner")
        .first()
    )
    if improvement is None:
        raise Http404
    context = {
        "improvement": improvement,
        "spread": selectors.spread_links(improvement=improvement),
        "spread_form": spread_form(person=person, improvement=improvement),
        "rounds": list(improvement.rounds.order_by("number")),
        "outcome_label": dict(Outcome.choices).get(improvement.outcome, ""),
        "abandoned": improvement.outcome == Outcome.ABANDONED,
        "localtime": timezone.localtime,
    }
    return render(request, "improvement/shared_improvement.html", context)
