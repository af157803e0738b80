"""Back to the resident: the summary of an adopted improvement for the residents whose cases it came from."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.text import PlainTextForm
from brobygget.dialog.models import Case
from brobygget.improvement import selectors, services
from brobygget.improvement.models import ResidentSummary
from brobygget.improvement.sections import SUMMARY_PAGE
from brobygget.improvement.views import _person

MESSAGE_SUMMARY_SENT = _(
    "The summary is saved. Each resident sees it with their case, and those who asked for answers get it by e-mail."
)


class SummaryForm(PlainTextForm):
    you_said = forms.CharField(
        label=_("What residents told us"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says what is missing or too long, beside the field
    )
    we_did = forms.CharField(
        label=_("What we changed"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resident_summary(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Write the summary for residents (once), or read the one written."""
    improvement = selectors.improvement_get(person=_person(request), improvement_id=improvement_id)
    written = ResidentSummary.objects.filter(improvement=improvement).select_related("written_by").first()
    cases = Case.objects.filter(improvement_links__improvement=improvement)
    form = SummaryForm(request.POST if request.method == "POST" and written is None else None)
    if form.is_bound and form.is_valid():
        try:
            services.resident_summary_write(actor=request.user, improvement=improvement, **form.cleaned_data)
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="resident_summary_write")
        else:
            messages.success(request, str(MESSAGE_SUMMARY_SENT))
            return redirect("improvement:detail", improvement_id=improvement.pk)
    context = {
        "improvement": improvement,
        "summary": written,
        "written_on": timezone.localdate(written.written_at) if written else None,
        "form": form,
        "cases": cases.count(),
        "mailed": cases.filter(wants_answer=True).exclude(contact_email="").count(),
        "sections": SUMMARY_PAGE(improvement, _person(request)) if written else [],
    }
    status = page_status(form)
    return render(request, "improvement/resident_summary.html", context, status=status)
