"""Staff's publishing: the summaries they may publish, the Publicera page (the text masked, each masked part marked,
and a confirmation) and the withdrawal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.masking import KIND_LABELS
from brobygget.openresults import selectors, services
from brobygget.openresults.forms import PublishForm, WithdrawForm
from brobygget.openresults.models import Publication
from brobygget.organisation.models import Person

MESSAGE_PUBLISHED = _("The summary is published in “You said – we did”.")
MESSAGE_WITHDRAWN = _("The publication is withdrawn. It no longer shows on the public pages.")


def _person(request: HttpRequest) -> Person | None:
    person = getattr(request, "person", None)
    return person if person else None


@login_required
@require_GET
def publish_index(request: HttpRequest) -> HttpResponse:
    """The summaries for residents the person sees, published or not."""
    rows = selectors.publishable_list(person=_person(request))
    return render(request, "openresults/publish_index.html", {"rows": rows})


def _render_publish(
    request: HttpRequest,
    improvement_id: int,
    publish_form: PublishForm | None = None,
    withdraw_form: WithdrawForm | None = None,
) -> HttpResponse:
    preview = selectors.publication_preview(person=_person(request), improvement_id=improvement_id)
    publish_form = publish_form or PublishForm(initial={"confirmed": preview.digest})
    withdraw_form = withdraw_form or WithdrawForm()
    context = {
        "preview": preview,
        "improvement": preview.summary.improvement,
        "publish_form": publish_form,
        "withdraw_form": withdraw_form,
        "kind_labels": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "localtime": timezone.localtime,
    }
    status = max(page_status(publish_form), page_status(withdraw_form))
    return render(request, "openresults/publish.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Publicera: the summary as it would be published (masked, each masked part marked), and the confirmation."""
    if request.method != "POST":
        return _render_publish(request, improvement_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publication_publish(
                actor=request.user, improvement_id=improvement_id, confirmed=form.cleaned_data["confirmed"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="publication_publish")
        else:
            messages.success(request, str(MESSAGE_PUBLISHED))
            return redirect("openresults:publish", improvement_id=improvement_id)
    return _render_publish(request, improvement_id, publish_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, publication_id: int) -> HttpResponse:
    """Take a publication off the public pages, with the reason."""
    publication = get_object_or_404(Publication.objects.only("pk", "improvement_id"), pk=publication_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.publication_withdraw(
                actor=request.user, publication=publication, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="publication_withdraw")
        else:
            messages.success(request, str(MESSAGE_WITHDRAWN))
            return redirect("openresults:publish", improvement_id=publication.improvement_id)
    return _render_publish(request, publication.improvement_id, withdraw_form=form)
