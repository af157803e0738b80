"""Spreading a completed improvement to another unit's board, from its shared page."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from brobygget.improvement import selectors
from brobygget.improvement.models import Improvement, Stage
from brobygget.improvement.spreading import improvement_spread
from brobygget.improvement.views import _person
from brobygget.organisation.models import Person

MESSAGE_SPREAD = _("The improvement is on your unit's board, in Idea. Make it your own: who owns it, and the baseline.")
ERROR_CHOOSE_UNIT = _("Choose one of your units.")


class SpreadForm(forms.Form):
    unit = forms.ChoiceField(
        label=_("Your unit"), error_messages={"invalid_choice": ERROR_CHOOSE_UNIT, "required": ERROR_CHOOSE_UNIT}
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [(str(pk), name) for pk, name in units]


def spread_form(*, person: Person | None, improvement: Improvement, data: QueryDict | None = None) -> SpreadForm:
    """The form the shared page shows: the units the person belongs to, other than the improvement's own."""
    units = [(pk, name) for pk, name in selectors.my_board_units(person=person) if pk != improvement.unit_id]
    return SpreadForm(data, units=units)


@login_required
@require_POST
def improvement_spread_view(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """Adopt a completed improvement on one of my units' boards; back to the shared page with the reason if refused."""
    person = _person(request)
    if person is None:
        raise Http404
    original = Improvement.objects.filter(
        municipality_id=person.municipality_id, pk=improvement_id, stage=Stage.DONE
    ).first()
    if original is None:
        raise Http404
    form = spread_form(person=person, improvement=original, data=request.POST)
    if form.is_valid():
        unit = selectors.board_unit(person=person, unit_id=int(form.cleaned_data["unit"]))
        try:
            copy = improvement_spread(actor=request.user, original=original, unit=unit)
        except ValidationError as error:
            messages.error(request, str(error.messages[0]))
        except DatabaseError:
            messages.error(request, str(_("The improvement could not be saved just now. Try again in a moment.")))
        else:
            messages.success(request, str(MESSAGE_SPREAD))
            return redirect("improvement:detail", improvement_id=copy.pk)
    else:
        messages.error(request, str(ERROR_CHOOSE_UNIT))
    return redirect("improvement:shared", improvement_id=original.pk)
