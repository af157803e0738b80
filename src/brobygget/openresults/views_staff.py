"""Staff's publishing: the summaries they may publish, the Publicera page (the text masked, each masked part marked,
and a confirmation) and the withdrawal."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from brobygget.openresults import selectors, services
from brobygget.openresults.forms import PublishForm, WithdrawForm
from brobygget.openresults.models import Publication
from brobygget.openresults.publishing import render_publish_page, submitted
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
    context = {"preview": preview, "improvement": preview.summary.improvement}
    return render_publish_page(
        request,
        "openresults/publish.html",
        context,
        digest=preview.digest,
        publish_form=publish_form,
        withdraw_form=withdraw_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Publicera: the summary as it would be published (masked, each masked part marked), and the confirmation."""
    if request.method != "POST":
        return _render_publish(request, improvement_id)
    form = PublishForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: services.publication_publish(
            actor=request.user, improvement_id=improvement_id, confirmed=data["confirmed"]
        ),
        where="publication_publish",
        done=str(MESSAGE_PUBLISHED),
    ):
        return redirect("openresults:publish", improvement_id=improvement_id)
    return _render_publish(request, improvement_id, publish_form=form)


@login_required
@require_POST
def withdraw(request: HttpRequest, publication_id: int) -> HttpResponse:
    """Take a publication off the public pages, with the reason."""
    publication = get_object_or_404(Publication.objects.only("pk", "improvement_id"), pk=publication_id)
    form = WithdrawForm(request.POST)
    if submitted(
        request,
        form,
        lambda data: services.publication_withdraw(actor=request.user, publication=publication, reason=data["reason"]),
        where="publication_withdraw",
        done=str(MESSAGE_WITHDRAWN),
    ):
        return redirect("openresults:publish", improvement_id=publication.improvement_id)
    return _render_publish(request, publication.improvement_id, withdraw_form=form)
