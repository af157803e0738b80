"""An adopted improvement becomes a routine of its unit (leaders of the unit, and administrators)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.text import PlainTextForm
from brobygget.improvement import selectors
from brobygget.improvement.models import ImprovementRoutine
from brobygget.improvement.routines import ERROR_TITLE_EMPTY, improvement_to_routine
from brobygget.improvement.views import _person

MESSAGE_ROUTINE = _("The improvement is now a routine of the unit. It is on the unit's page with its review date.")
ERROR_DATE_INVALID = _("Write the date as year-month-day, for example 2027-03-31.")


class RoutineForm(PlainTextForm):
    title = forms.CharField(
        label=_("The routine's title"), max_length=200, error_messages={"required": ERROR_TITLE_EMPTY}
    )
    description = forms.CharField(label=_("How we work now"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    review_date = forms.DateField(
        label=_("Review by"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": ERROR_DATE_INVALID, "required": ERROR_DATE_INVALID},
    )


@login_required
@require_http_methods(["GET", "POST"])
def improvement_routine(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Make an adopted improvement a routine of its unit: what it says now, and when it is reviewed."""
    improvement = selectors.improvement_get(person=_person(request), improvement_id=improvement_id)
    today = timezone.localdate()
    link = ImprovementRoutine.objects.filter(improvement=improvement).select_related("routine").first()
    initial = {"title": improvement.title, "description": improvement.idea, "review_date": a_year_after(today)}
    form = RoutineForm(request.POST if request.method == "POST" and link is None else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            improvement_to_routine(actor=request.user, improvement=improvement, today=today, **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("Only a leader of the unit, or an administrator, makes it a routine."))
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="improvement_to_routine")
        else:
            messages.success(request, str(MESSAGE_ROUTINE))
            return redirect("improvement:detail", improvement_id=improvement.pk)
    status = page_status(form)
    context = {"improvement": improvement, "form": form, "routine": link.routine if link else None}
    return render(request, "improvement/routine_form.html", context, status=status)


def a_year_after(day: datetime.date) -> datetime.date:
    """The same day next year; 28 February for a 29 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
