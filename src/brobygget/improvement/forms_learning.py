"""Forms of the deviation, learning and search pages. Choices come from lists the page has read ((id, name) pairs);
the services check them again, and the messages are constants the tests import."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.improvement.deviations import (
    ERROR_NOT_YOUR_UNIT,
    ERROR_REASON_EMPTY,
    ERROR_WHAT_EMPTY,
    ERROR_WHERE_EMPTY,
    ERROR_WHERE_TOO_LONG,
)
from brobygget.improvement.learnings import (
    ERROR_CHANGE_EMPTY,
    ERROR_EXPECTED_EMPTY,
    ERROR_HAPPENED_EMPTY,
    ERROR_LEARNED_EMPTY,
    ERROR_PRINCIPLE_UNKNOWN,
    ERROR_TEXT_TOO_LONG,
    ERROR_TITLE_EMPTY,
    ERROR_TITLE_TOO_LONG,
    LearningInput,
)
from brobygget.improvement.models import TEXT_MAX_LENGTH

ERROR_DATETIME_INVALID = _("Write the time as year-month-day and hours:minutes, for example 2027-03-31 14:30.")
ERROR_UNIT_NEEDED = _("Choose the unit where it happened.")


class _LongTextField(forms.CharField):
    """A text whose length is checked by the server with a message, not cut off by the browser's maxlength."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _text(label: Any, empty: Any, *, rows: int = 4) -> forms.CharField:
    return _LongTextField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": empty, "max_length": ERROR_TEXT_TOO_LONG},
    )


class DeviationForm(PlainTextForm):
    """ "Det blev inte som vi ville": what happened, where, when (now unless changed) and the unit (one's own)."""

    what_happened = _text(_("What happened?"), ERROR_WHAT_EMPTY)
    where = forms.CharField(
        label=_("Where?"),
        max_length=200,
        error_messages={"required": ERROR_WHERE_EMPTY, "max_length": ERROR_WHERE_TOO_LONG},
    )
    happened_at = forms.DateTimeField(
        label=_("When?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        error_messages={"required": ERROR_DATETIME_INVALID, "invalid": ERROR_DATETIME_INVALID},
    )
    unit = forms.ChoiceField(
        label=_("Unit"), error_messages={"required": ERROR_UNIT_NEEDED, "invalid_choice": ERROR_NOT_YOUR_UNIT}
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [(str(pk), name) for pk, name in units]

    @staticmethod
    def now() -> datetime.datetime:
        """The form's default time: now, to the minute, in the local time zone."""
        return timezone.localtime().replace(second=0, microsecond=0)


class LearningForm(PlainTextForm):
    """A learning, written without blame."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": ERROR_TITLE_EMPTY, "max_length": ERROR_TITLE_TOO_LONG},
    )
    what_happened = _text(_("What happened?"), ERROR_HAPPENED_EMPTY)
    what_we_expected = _text(_("What did we expect?"), ERROR_EXPECTED_EMPTY, rows=3)
    what_we_learned = _text(_("What did we learn?"), ERROR_LEARNED_EMPTY)
    what_we_change = _text(_("What do we change?"), ERROR_CHANGE_EMPTY, rows=3)
    unit = forms.ChoiceField(
        label=_("Unit"), error_messages={"required": ERROR_UNIT_NEEDED, "invalid_choice": ERROR_NOT_YOUR_UNIT}
    )
    principles = forms.MultipleChoiceField(
        label=_("The principles it concerns"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_PRINCIPLE_UNKNOWN},
    )
    anonymous = forms.BooleanField(label=_("Publish the learning without my name"), required=False)
    improvement = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, units: list[tuple[int, str]], principles: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        chosen = self.fields["principles"]
        assert isinstance(unit, forms.ChoiceField) and isinstance(chosen, forms.ChoiceField)
        unit.choices = [(str(pk), name) for pk, name in units]
        chosen.choices = [(str(pk), title) for pk, title in principles]

    def to_input(self) -> LearningInput:
        """What the service gets (call after is_valid())."""
        data = self.cleaned_data
        return LearningInput(
            title=data["title"],
            what_happened=data["what_happened"],
            what_we_expected=data["what_we_expected"],
            what_we_learned=data["what_we_learned"],
            what_we_change=data["what_we_change"],
            anonymous=data["anonymous"],
            improvement_id=data["improvement"],
            principle_ids=[int(pk) for pk in data["principles"]],
        )


class CloseForm(PlainTextForm):
    """Close a deviation, with the reason why."""

    reason = _text(_("Why is the deviation closed?"), ERROR_REASON_EMPTY, rows=3)


class SearchForm(forms.Form):
    """The search's words and filters, from the query string; a wrong value is left out rather than refused."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=200)
    enhet = forms.CharField(required=False)
    princip = forms.TypedChoiceField(label=_("Principle"), required=False, coerce=int, empty_value=None)
    ar = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, principles: list[tuple[int, str]], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        principle = self.fields["princip"]
        year = self.fields["ar"]
        assert isinstance(principle, forms.ChoiceField) and isinstance(year, forms.ChoiceField)
        principle.choices = [("", _("Every principle")), *((str(pk), title) for pk, title in principles)]
        year.choices = [("", _("Every year")), *((str(y), str(y)) for y in years)]

    def value(self, name: str) -> Any:
        """A filter's value, or None when it is missing or wrong."""
        if not self.is_bound:
            return None
        field = self.fields[name]
        try:
            return field.clean(field.to_python(self.data.get(name, "")))
        except forms.ValidationError:
            return None
