"""Forms of the improvement pages. Choices come from lists the page has read ((id, name) pairs); the services check
them again, and the messages are constants the tests import."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.improvement.models import TEXT_MAX_LENGTH, Outcome
from brobygget.improvement.services import (
    ERROR_GOAL_NOT_ALLOWED,
    ERROR_IDEA_EMPTY,
    ERROR_MEASURE_EMPTY,
    ERROR_PERSON_NOT_IN_UNIT,
    ERROR_PRINCIPLE_UNKNOWN,
    ERROR_PROBLEM_EMPTY,
    ERROR_TEXT_TOO_LONG,
    ERROR_TITLE_EMPTY,
    ERROR_VALUE_EMPTY,
    ImprovementInput,
)

ERROR_OWNER_NEEDED = _("Choose who owns the improvement.")
ERROR_DATE_INVALID = _("Write the date as year-month-day, for example 2027-03-31.")
ERROR_NUMBER_INVALID = _("Write the baseline as a number, for example 12 or 3.5, or leave it empty.")
ERROR_OUTCOME_NEEDED = _("Choose what you decided.")


class _LongTextField(forms.CharField):
    """A text whose length is checked by the server with a message, not cut off by the browser's maxlength."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _text(label: Any, empty: Any = None, *, rows: int = 4, max_length: int = TEXT_MAX_LENGTH) -> forms.CharField:
    return _LongTextField(
        label=label,
        required=empty is not None,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": empty or "", "max_length": ERROR_TEXT_TOO_LONG},
    )


class ImprovementForm(PlainTextForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": ERROR_TITLE_EMPTY, "max_length": ERROR_TEXT_TOO_LONG},
    )
    problem = _text(_("The problem, as residents or colleagues meet it"), ERROR_PROBLEM_EMPTY)
    value_for_resident = _text(_("What value does it create for the resident?"), ERROR_VALUE_EMPTY)
    idea = _text(_("The idea"), ERROR_IDEA_EMPTY)
    measure = _text(_("How will we know it got better?"), ERROR_MEASURE_EMPTY, rows=3)
    baseline = forms.CharField(
        label=_("Baseline: where we are today"),
        max_length=500,
        required=False,
        error_messages={"max_length": ERROR_TEXT_TOO_LONG},
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline as a number"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": ERROR_NUMBER_INVALID, "max_digits": ERROR_NUMBER_INVALID},
    )
    owner = forms.ChoiceField(
        label=_("Owner"), error_messages={"required": ERROR_OWNER_NEEDED, "invalid_choice": ERROR_PERSON_NOT_IN_UNIT}
    )
    involved = forms.MultipleChoiceField(
        label=_("People involved"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_PERSON_NOT_IN_UNIT},
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": ERROR_DATE_INVALID},
    )
    principles = forms.MultipleChoiceField(
        label=_("The principles it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_PRINCIPLE_UNKNOWN},
    )
    goal = forms.ChoiceField(
        label=_("The goal it contributes to"), required=False, error_messages={"invalid_choice": ERROR_GOAL_NOT_ALLOWED}
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        principles: list[tuple[int, str]],
        goals: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        involved = self.fields["involved"]
        chosen = self.fields["principles"]
        assert isinstance(owner, forms.ChoiceField) and isinstance(involved, forms.ChoiceField)
        assert isinstance(chosen, forms.ChoiceField)
        owner.choices = [("", _("Choose a person")), *((str(pk), name) for pk, name in people)]
        involved.choices = [(str(pk), name) for pk, name in people]
        chosen.choices = [(str(pk), title) for pk, title in principles]
        goal = self.fields["goal"]
        assert isinstance(goal, forms.ChoiceField)
        goal.choices = [("", _("No goal chosen")), *((str(pk), title) for pk, title in goals)]

    def to_input(self) -> ImprovementInput:
        """What the service gets (call after is_valid())."""
        data = self.cleaned_data
        return ImprovementInput(
            title=data["title"],
            problem=data["problem"],
            value_for_resident=data["value_for_resident"],
            idea=data["idea"],
            measure=data["measure"],
            owner_id=int(data["owner"]),
            baseline=data["baseline"],
            baseline_value=data["baseline_value"],
            due_date=data["due_date"],
            involved_ids=[int(pk) for pk in data["involved"]],
            principle_ids=[int(pk) for pk in data["principles"]],
            goal_id=int(data["goal"]) if data.get("goal") else None,
        )


class MoveForm(PlainTextForm):
    """A move to the next or the previous stage; moving on carries the answer to the stage's question."""

    to = forms.CharField(widget=forms.HiddenInput)
    answer = _text(_("Your answer"), rows=5)


class FinishForm(PlainTextForm):
    """Agera's decision to end the wheel: adopt, adopt with changes, or end without adoption with the lesson."""

    outcome = forms.ChoiceField(
        label=_("What did you decide?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_OUTCOME_NEEDED, "invalid_choice": ERROR_OUTCOME_NEEDED},
    )
    answer = _text(_("Why did you decide so?"), rows=3)
    lesson = _text(_("What did we learn?"), rows=4)


class YearForm(forms.Form):
    """The year of a unit's figures (`?ar=`), among the years offered; this year when missing or not offered."""

    ar = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ar"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(str(year), str(year)) for year in years]

    def year(self, default: int) -> int:
        if not self.is_valid():
            return default
        return self.cleaned_data.get("ar") or default
