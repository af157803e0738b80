"""The form of a follow-up: the span, a status and the analysis (the service checks them again)."""

import datetime
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.goals.followups import (
    ERROR_ANALYSIS_REQUIRED,
    ERROR_ANALYSIS_TOO_LONG,
    ERROR_SPAN,
    ERROR_STATUS,
    FollowUpInput,
)
from brobygget.goals.models import TEXT_MAX_LENGTH, FollowUp
from brobygget.goals.rollup import status_word

COLOURS = (FollowUp.Status.GREEN, FollowUp.Status.YELLOW, FollowUp.Status.RED)
ERROR_STATUS_NEEDED = _("Choose how it is going.")


class FollowUpForm(PlainTextForm):
    covers_until = forms.ChoiceField(
        label=_("The time followed up"), error_messages={"required": ERROR_SPAN, "invalid_choice": ERROR_SPAN}
    )
    status = forms.ChoiceField(
        label=_("How is it going?"),
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_STATUS_NEEDED, "invalid_choice": ERROR_STATUS},
    )
    analysis = forms.CharField(
        label=_("Analysis"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, spans: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        span_field = self.fields["covers_until"]
        status_field = self.fields["status"]
        assert isinstance(span_field, forms.ChoiceField) and isinstance(status_field, forms.ChoiceField)
        span_field.choices = [
            (day.isoformat(), _("Up to %(date)s") % {"date": formats.date_format(day, "DATE_FORMAT")}) for day in spans
        ]
        status_field.choices = [
            (value, f"{status_word(value)} – {label}" if value in COLOURS else str(label))
            for value, label in FollowUp.Status.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") in (FollowUp.Status.YELLOW, FollowUp.Status.RED) and not data.get("analysis", "").strip():
            self.add_error("analysis", forms.ValidationError(ERROR_ANALYSIS_REQUIRED, code="required"))
        if len(data.get("analysis", "")) > TEXT_MAX_LENGTH:
            self.add_error("analysis", forms.ValidationError(ERROR_ANALYSIS_TOO_LONG, code="max_length"))
        return data

    def covers_until_date(self) -> datetime.date:
        return datetime.date.fromisoformat(self.cleaned_data["covers_until"])

    def to_input(self) -> FollowUpInput:
        return FollowUpInput(status=self.cleaned_data["status"], analysis=self.cleaned_data.get("analysis", ""))
