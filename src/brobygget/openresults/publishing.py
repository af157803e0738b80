"""What the two Publicera pages ("Du sa – vi gjorde" in views_staff.py, "Våra mål" in views_goals.py) share: calling
the publishing or withdrawing service for a posted form, and rendering the page with its two forms."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.masking import KIND_LABELS
from brobygget.openresults.forms import PublishForm, WithdrawForm


def submitted(
    request: HttpRequest, form: forms.Form, service: Callable[[dict[str, Any]], object], *, where: str, done: str
) -> bool:
    """Whether `service(form.cleaned_data)` was done for the posted form (then `done` is shown as a message). A
    refusal to this person is 404, as for a missing page; the service's other reasons and a database fault land on
    the form, to be shown again."""
    if not form.is_valid():
        return False
    try:
        service(form.cleaned_data)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        service_errors(form, error)
    except DatabaseError as error:
        not_saved(form, error, where=where)
    else:
        messages.success(request, done)
        return True
    return False


def render_publish_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    digest: str,
    publish_form: PublishForm | None,
    withdraw_form: WithdrawForm | None,
) -> HttpResponse:
    """The Publicera page with its forms (fresh ones unless given back with errors; *Publicera* confirms `digest`),
    the masking's labels, and the status its forms call for (503 when the database refused to save)."""
    publish_form = publish_form or PublishForm(initial={"confirmed": digest})
    withdraw_form = withdraw_form or WithdrawForm()
    context = {
        **context,
        "publish_form": publish_form,
        "withdraw_form": withdraw_form,
        "kind_labels": {kind: str(label) for kind, label in KIND_LABELS.items()},
        "localtime": timezone.localtime,
    }
    status = max(page_status(publish_form), page_status(withdraw_form))
    return render(request, template, context, status=status)
