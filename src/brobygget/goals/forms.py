"""Forms of the goal pages. Choices come from lists the page has read ((id, name) pairs); the services check them
again, and the messages are constants the tests import."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.goals.models import PERIOD_NAME_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Rhythm
from brobygget.goals.services import (
    ERROR_LEVEL_UNKNOWN,
    ERROR_PARENT_NOT_ALLOWED,
    ERROR_PERIOD_NAME_EMPTY,
    ERROR_PERIOD_NAME_TOO_LONG,
    ERROR_PERIOD_UNKNOWN,
    ERROR_PERSON_NOT_IN_UNIT,
    ERROR_PRINCIPLE_UNKNOWN,
    ERROR_RHYTHM_UNKNOWN,
    ERROR_TEXT_TOO_LONG,
    ERROR_TITLE_EMPTY,
    ERROR_TITLE_TOO_LONG,
    GoalInput,
)

ERROR_RESPONSIBLE_NEEDED = _("Choose who is responsible for the goal.")
ERROR_LEVEL_NEEDED = _("Choose the goal's level.")
ERROR_DATE_INVALID = _("Write the date as year-month-day, for example 2028-01-01.")


class _LongTextField(forms.CharField):
    """A text whose length is checked by the server with a message, not cut off by the browser's maxlength."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class GoalForm(PlainTextForm):
    level = forms.ChoiceField(
        label=_("Level"), error_messages={"required": ERROR_LEVEL_NEEDED, "invalid_choice": ERROR_LEVEL_UNKNOWN}
    )
    title = _LongTextField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": ERROR_TITLE_EMPTY, "max_length": ERROR_TITLE_TOO_LONG},
    )
    description = _LongTextField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": ERROR_TEXT_TOO_LONG},
    )
    responsible = forms.ChoiceField(
        label=_("Responsible"),
        error_messages={"required": ERROR_RESPONSIBLE_NEEDED, "invalid_choice": ERROR_PERSON_NOT_IN_UNIT},
    )
    parent = forms.ChoiceField(
        label=_("Contributes to"), required=False, error_messages={"invalid_choice": ERROR_PARENT_NOT_ALLOWED}
    )
    principles = forms.MultipleChoiceField(
        label=_("The principles it serves"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": ERROR_PRINCIPLE_UNKNOWN},
    )
    archived = forms.BooleanField(label=_("Archive the goal: it is no longer shown in the tree"), required=False)
    rhythm = forms.ChoiceField(
        label=_("Follow-up rhythm"),
        choices=Rhythm.choices,
        initial=Rhythm.YEARLY,
        required=False,  # a form sent without it (an older page) keeps the yearly rhythm
        error_messages={"invalid_choice": ERROR_RHYTHM_UNKNOWN},
    )

    def __init__(
        self,
        *args: Any,
        levels: list[tuple[str, str]],
        people: list[tuple[int, str]],
        parents: list[tuple[int, str]],
        principles: list[tuple[int, str]],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("level", [("", _("Choose a level")), *levels]),
            ("responsible", [("", _("Choose a person")), *((str(pk), name) for pk, name in people)]),
            ("parent", [("", _("Nothing above it (the top of the tree)")), *((str(pk), t) for pk, t in parents)]),
            ("principles", [(str(pk), title) for pk, title in principles]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        if not editing:
            del self.fields["archived"]

    def to_input(self) -> GoalInput:
        """What the service gets (call after is_valid())."""
        data = self.cleaned_data
        return GoalInput(
            level=data["level"],
            title=data["title"],
            description=data["description"],
            responsible_id=int(data["responsible"]),
            parent_id=int(data["parent"]) if data["parent"] else None,
            principle_ids=[int(pk) for pk in data["principles"]],
            archived=bool(data.get("archived")),
            rhythm=data.get("rhythm") or Rhythm.YEARLY,
        )


class PeriodForm(PlainTextForm):
    """A new period: its name and dates, and the period whose goals it starts from (or none)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=PERIOD_NAME_MAX_LENGTH,
        error_messages={"required": ERROR_PERIOD_NAME_EMPTY, "max_length": ERROR_PERIOD_NAME_TOO_LONG},
    )
    start = forms.DateField(
        label=_("Starts"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": ERROR_DATE_INVALID, "required": ERROR_DATE_INVALID},
    )
    end = forms.DateField(
        label=_("Ends"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": ERROR_DATE_INVALID, "required": ERROR_DATE_INVALID},
    )
    previous = forms.ChoiceField(
        label=_("Start from a copy of"), required=False, error_messages={"invalid_choice": ERROR_PERIOD_UNKNOWN}
    )

    def __init__(self, *args: Any, periods: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["previous"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*((str(pk), name) for pk, name in periods), ("", _("Nothing: an empty tree"))]
