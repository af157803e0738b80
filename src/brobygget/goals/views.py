"""Staff pages of the goal tree: the tree of a period, a goal's page, the forms to add and change a goal, to copy it
down to the units below and to start the next period.

Every change is a POST form that calls a service and redirects (POST/redirect/GET); a refused change shows the form
again with the error and what was typed. No JavaScript is needed."""

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from brobygget.core.models import Municipality
from brobygget.core.text import form_status
from brobygget.goals import selectors, services
from brobygget.goals.forms import GoalForm, PeriodForm
from brobygget.goals.models import Goal, Period
from brobygget.goals.sections import GOAL_PAGE
from brobygget.organisation.models import Person, Role, Unit
from brobygget.organisation.scoping import unit_filter_options
from brobygget.organisation.services import administers

logger = logging.getLogger(__name__)

MESSAGE_CREATED = _("The goal is saved.")
MESSAGE_UPDATED = _("The goal is saved.")
MESSAGE_NOTHING_COPIED = _("No copy was made: every unit below has one already, or has no leader.")
MESSAGE_PERIOD = _("The period %(name)s has started.")
ERROR_NOT_SAVED = _("We could not save just now. Your text is still here – try again in a while.")


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


def _add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the field it concerns, or on the form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, ValidationError(errors))


def _not_saved(form: forms.Form, error: DatabaseError, where: str) -> None:
    logger.warning("The database refused a write in %s (%s)", where, type(error).__name__)
    form.add_error(None, ValidationError(ERROR_NOT_SAVED, code="not_saved"))


def _status(form: forms.Form) -> int:
    return 503 if any(e.code == "not_saved" for e in form.non_field_errors().as_data()) else form_status(form)


def _led_units(person: Person | None) -> list[tuple[int, str]]:
    """The units the person leads or administers, as (id, name), from the roles read with them (no query)."""
    if person is None:
        return []
    seen: dict[int, str] = {}
    for membership in getattr(person, "unit_roles", []):
        if membership.role in (Role.LEADER, Role.ADMIN):
            seen.setdefault(membership.unit_id, membership.unit_name)
    return sorted(seen.items(), key=lambda item: item[1])


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The goal tree of a period (the current one unless chosen), indented by level, filtered by unit a level at a
    time as the inbox is."""
    person = _person(request)
    visibility = selectors.visibility_of(person)
    today = timezone.localdate()
    periods = selectors.periods(municipality_id=visibility.municipality_id)
    period = selectors.chosen_period(periods, request.GET.get("period", ""), today)
    chosen = request.GET.get("enhet", "")
    units = unit_filter_options(visibility=visibility, chosen=chosen)
    chosen_option = next((option for option in units if str(option.pk) == chosen), None)
    tree = (
        selectors.goal_tree(
            visibility=visibility, period_id=period.pk, unit_path=chosen_option.path if chosen_option else ""
        )
        if period
        else []
    )
    led = _led_units(person)
    # A new goal of the chosen unit is offered to those who may add one (its leaders and those above, administrators).
    may_add = (
        chosen_option is not None
        and chosen_option.pk not in dict(led)
        and services.may_edit(
            actor=request.user,
            unit=Unit(pk=chosen_option.pk, path=chosen_option.path, municipality_id=visibility.municipality_id),
        )
    )
    context = {
        "periods": periods,
        "period": period,
        "units": units,
        "chosen_unit": chosen_option,
        "may_add_to_chosen": may_add,
        "tree": tree,
        "led_units": led,
        "is_admin": administers(actor=request.user, municipality_id=visibility.municipality_id),
    }
    return render(request, "goals/index.html", context)


@login_required
@require_GET
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    """A goal: its fields, what it contributes to and what contributes to it, where it was copied from and to, the
    history of its changes, its principles, and the sections of the apps above (the improvement work)."""
    person = _person(request)
    if person is not None and person.user_id == request.user.pk:
        person.user = request.user  # type: ignore[assignment]  # the account read already: no query for the sections
    page = selectors.goal_page(person=person, goal_id=goal_id)
    context = {
        "page": page,
        "goal": page.goal,
        "may_edit": selectors.may_edit_read(person, page.goal.unit),
        "sections": GOAL_PAGE(page.goal, person),
        "localtime": timezone.localtime,
    }
    return render(request, "goals/goal_detail.html", context)


def _goal_form(
    request: HttpRequest, unit: Unit, period_id: int, goal: Goal | None, initial: dict[str, Any]
) -> GoalForm:
    return GoalForm(
        request.POST if request.method == "POST" else None,
        levels=selectors.level_choices(),
        people=selectors.unit_people(unit=unit),
        parents=selectors.goal_choices(unit=unit, period_id=period_id, exclude_below=goal.path if goal else ""),
        principles=selectors.principle_choices(),
        editing=goal is not None,
        initial=initial,
    )


def _render_form(request: HttpRequest, form: GoalForm, unit: Unit, period: Period, goal: Goal | None) -> HttpResponse:
    context = {"form": form, "unit": unit, "period": period, "goal": goal}
    return render(request, "goals/goal_form.html", context, status=_status(form))


def _editable_unit(request: HttpRequest, unit_id: int) -> Unit:
    """A unit of the person's municipality whose goals they may edit; 404 for another's, 403 for one they may not."""
    visibility = selectors.visibility_of(_person(request))
    unit = Unit.objects.filter(municipality_id=visibility.municipality_id, pk=unit_id).first()
    if unit is None:
        raise Http404
    if not services.may_edit(actor=request.user, unit=unit):
        raise PermissionDenied(services.ERROR_NOT_ALLOWED)
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest, unit_id: int) -> HttpResponse:
    """A new goal of a unit in a period (`?period=`, the current one unless given), under a goal (`?overordnat=`)."""
    unit = _editable_unit(request, unit_id)
    source = request.POST if request.method == "POST" else request.GET
    periods = selectors.periods(municipality_id=unit.municipality_id)
    row = selectors.chosen_period(periods, source.get("period", ""), timezone.localdate())
    if row is None:
        raise Http404
    period = Period.objects.get(pk=row.pk)
    person = _person(request)
    parent = source.get("overordnat", "")
    form = _goal_form(
        request,
        unit,
        period.pk,
        None,
        {"responsible": str(person.pk) if person else "", "parent": parent if parent.isdigit() else ""},
    )
    if form.is_bound and form.is_valid():
        try:
            goal = services.goal_create(actor=request.user, unit=unit, period=period, data=form.to_input())
        except ValidationError as error:
            _add_service_errors(form, error)
        except DatabaseError as error:
            _not_saved(form, error, "goal_create")
        else:
            messages.success(request, str(MESSAGE_CREATED))
            return redirect("goals:detail", goal_id=goal.pk)
    return _render_form(request, form, unit, period, None)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Change a goal (or archive it); each change is kept in its history."""
    goal = selectors.goal_get(person=_person(request), goal_id=goal_id)
    if not services.may_edit(actor=request.user, unit=goal.unit):
        raise PermissionDenied(services.ERROR_NOT_ALLOWED)
    initial = {
        "level": goal.level,
        "title": goal.title,
        "description": goal.description,
        "responsible": str(goal.responsible_id),
        "parent": str(goal.parent_id or ""),
        "principles": [str(pk) for pk in selectors.goal_principle_ids(goal=goal)],
        "archived": goal.archived,
        "rhythm": goal.rhythm,
    }
    form = _goal_form(request, goal.unit, goal.period_id, goal, initial)
    if form.is_bound and form.is_valid():
        try:
            services.goal_update(actor=request.user, goal=goal, data=form.to_input())
        except ValidationError as error:
            _add_service_errors(form, error)
        except DatabaseError as error:
            _not_saved(form, error, "goal_update")
        else:
            messages.success(request, str(MESSAGE_UPDATED))
            return redirect("goals:detail", goal_id=goal.pk)
    return _render_form(request, form, goal.unit, goal.period, goal)


@login_required
@require_http_methods(["GET", "POST"])
def goal_copy_down(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Copy a goal down to the units directly under its owner: the page lists them and asks for a confirmation; the
    POST makes the copies."""
    goal = selectors.goal_get(person=_person(request), goal_id=goal_id)
    if not services.may_edit(actor=request.user, unit=goal.unit):
        raise PermissionDenied(services.ERROR_NOT_ALLOWED)
    error = None
    if request.method == "POST":
        try:
            copies = services.goal_copy_down(actor=request.user, goal=goal)
        except ValidationError as refused:
            error = refused.messages[0]
        else:
            if copies:
                copied = ngettext(
                    "The goal was copied to %(count)s unit.", "The goal was copied to %(count)s units.", len(copies)
                )
                messages.success(request, copied % {"count": len(copies)})
            else:
                messages.info(request, str(MESSAGE_NOTHING_COPIED))
            return redirect("goals:detail", goal_id=goal.pk)
    context = {"goal": goal, "targets": services.copy_targets(goal=goal), "error": error}
    return render(request, "goals/copy_down.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def period_new(request: HttpRequest) -> HttpResponse:
    """Start a new period, from a copy of an earlier one (the latest unless chosen). Administrators only."""
    visibility = selectors.visibility_of(_person(request))
    municipality_id = visibility.municipality_id
    if not administers(actor=request.user, municipality_id=municipality_id):
        raise PermissionDenied(services.ERROR_NOT_ADMIN)
    periods = selectors.periods(municipality_id=municipality_id)
    form = PeriodForm(
        request.POST if request.method == "POST" else None,
        periods=[(row.pk, row.name) for row in periods],
        initial={"previous": str(periods[0].pk) if periods else ""},
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            if data["previous"]:
                previous = Period.objects.get(pk=int(data["previous"]), municipality_id=municipality_id)
                period = services.period_start_from(
                    actor=request.user, previous=previous, name=data["name"], start=data["start"], end=data["end"]
                )
            else:
                period = services.period_create(
                    actor=request.user,
                    municipality=Municipality.objects.get(pk=municipality_id),
                    name=data["name"],
                    start=data["start"],
                    end=data["end"],
                )
        except ValidationError as error:
            _add_service_errors(form, error)
        except DatabaseError as error:
            _not_saved(form, error, "period_start_from")
        else:
            messages.success(request, str(MESSAGE_PERIOD % {"name": period.name}))
            return redirect(f"{reverse('goals:index')}?period={period.pk}")
    return render(request, "goals/period_form.html", {"form": form}, status=_status(form))
