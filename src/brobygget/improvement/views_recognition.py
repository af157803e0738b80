"""Thanking a colleague or a team ("uppmärksamma"), and choosing whether a thank-you to me shows in the organisation."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from brobygget.core.faults import not_saved, page_status, service_errors
from brobygget.core.text import PlainTextForm
from brobygget.improvement import recognitions
from brobygget.improvement.models import Improvement, Learning
from brobygget.improvement.views import _person
from brobygget.organisation.models import Person, Unit

MESSAGE_GIVEN = _("Thank you for noticing. The thank-you is on the unit's page, and the person sees it on Min sida.")
MESSAGE_SHOWN = _("The thank-you is shown on your unit's page again.")
MESSAGE_HIDDEN = _("The thank-you is no longer shown in the organisation. You still see it here.")
WHOLE_UNIT = ""


class RecognitionForm(PlainTextForm):
    to = forms.ChoiceField(label=_("Whom do you want to thank?"), required=False)
    text = forms.CharField(
        label=_("What do you thank them for?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, unit: Unit, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        whole = str(_("The whole unit: %(unit)s")) % {"unit": unit.name}
        to.choices = [(WHOLE_UNIT, whole), *((str(pk), name) for pk, name in people)]
        to.error_messages["invalid_choice"] = recognitions.ERROR_PERSON_NOT_IN_UNIT


def _about(request: HttpRequest, municipality_id: int) -> tuple[Improvement | None, Learning | None]:
    """The improvement or learning a thank-you is about, from the link that opened the form (`?forbattring=`,
    `?lardom=`), of the same municipality; anything else is a 404."""
    sent = request.POST if request.method == "POST" else request.GET
    found: list[Any] = []
    for name, model in (("forbattring", Improvement), ("lardom", Learning)):
        value = sent.get(name, "")
        if not value:
            found.append(None)
            continue
        if not value.isdigit() or len(value) > 10:
            raise Http404
        about = model.objects.filter(pk=int(value), municipality_id=municipality_id).only("pk", "title").first()
        if about is None:
            raise Http404
        found.append(about)
    return found[0], found[1]


@login_required
@require_http_methods(["GET", "POST"])
def recognition_give(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Thank the unit or one of its people for something concrete."""
    person = _person(request)
    if person is None:
        raise Http404
    unit = Unit.objects.filter(pk=unit_id, municipality_id=person.municipality_id).first()
    if unit is None:
        raise Http404
    improvement, learning = _about(request, unit.municipality_id)
    people = [
        (pk, f"{first} {last}")
        for pk, first, last in Person.objects.filter(memberships__unit=unit, is_active=True)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name", "last_name")
        .distinct()
    ]
    initial = {"to": request.GET.get("person", WHOLE_UNIT)}
    form = RecognitionForm(
        request.POST if request.method == "POST" else None, unit=unit, people=people, initial=initial
    )
    if form.is_bound and form.is_valid():
        chosen = form.cleaned_data["to"]
        try:
            recognitions.recognition_give(
                actor=request.user,
                unit=unit,
                text=form.cleaned_data["text"],
                person=Person.objects.get(pk=int(chosen)) if chosen else None,
                improvement=improvement,
                learning=learning,
            )
        except ValidationError as error:
            service_errors(form, error)
        except DatabaseError as error:
            not_saved(form, error, where="recognition_give")
        else:
            messages.success(request, str(MESSAGE_GIVEN))
            return redirect("organisation:unit", unit_id=unit.pk)
    context = {"form": form, "unit": unit, "about": improvement or learning}
    status = page_status(form)
    return render(request, "improvement/recognition_form.html", context, status=status)


@login_required
@require_POST
def recognition_shown(request: HttpRequest, recognition_id: int) -> HttpResponse:
    """Show a thank-you to me in the organisation, or not (from Min sida)."""
    recognition = recognitions.recognition_mine(person=_person(request), recognition_id=recognition_id)
    shown = request.POST.get("visa") == "ja"
    recognitions.recognition_shown_set(actor=request.user, recognition=recognition, shown=shown)
    messages.success(request, str(MESSAGE_SHOWN if shown else MESSAGE_HIDDEN))
    return redirect("my_page")
