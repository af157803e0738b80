"""Forms of the indicator pages: numbers are typed the Swedish way ("12,5", "1 250,5") and given back as typed when
refused; the messages are constants the tests import (goals.indicators)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.goals.indicators import (
    ERROR_DIRECTION,
    ERROR_GENDER,
    ERROR_MONTH,
    ERROR_NAME_EMPTY,
    ERROR_NAME_TOO_LONG,
    ERROR_OWNER,
    ERROR_PERIOD,
    ERROR_SOURCE,
    ERROR_UNIT_TOO_LONG,
    ERROR_YEAR,
    YEAR_MAX,
    YEAR_MIN,
    IndicatorInput,
    MeasurementInput,
    decimal_parse,
)
from brobygget.goals.models import Indicator, Measurement

ERROR_VALUE_NEEDED = _("Write the value, for example 12,5. Tick “No value” when there is none.")
ERROR_TARGET_NEEDED = _("Write the target, for example 85 or 12,5.")
ERROR_OWNER_NEEDED = _("Choose who owns the indicator.")
ERROR_FILE_NEEDED = _("Choose a CSV or Excel file (.csv, .xlsx).")
ERROR_SEARCH_SHORT = _("Write at least two letters of the key figure's title.")


class NumberField(forms.CharField):
    """A number typed the Swedish way; `clean` gives a Decimal (or None when empty and not required)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["inputmode"] = "decimal"
        return attrs

    def clean(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().clean(value)
        return decimal_parse(text) if text else None


class YearField(forms.CharField):
    def __init__(self, *args: Any, message: Any = ERROR_YEAR, low: int = YEAR_MIN, high: int = YEAR_MAX, **kw: Any):
        kw.setdefault("max_length", 10)
        super().__init__(*args, **kw)
        self.message, self.low, self.high = message, low, high

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs["inputmode"] = "numeric"
        return attrs

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if not text.isdigit() or not self.low <= int(text) <= self.high:
            raise ValidationError(self.message, code="invalid")
        return int(text)


def _choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class IndicatorForm(PlainTextForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": ERROR_NAME_EMPTY, "max_length": ERROR_NAME_TOO_LONG},
    )
    unit_of_measure = forms.CharField(
        label=_("Unit of measure"), required=False, max_length=40, error_messages={"max_length": ERROR_UNIT_TOO_LONG}
    )
    direction = forms.ChoiceField(
        label=_("Which way is better"),
        choices=Indicator.Direction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_DIRECTION, "invalid_choice": ERROR_DIRECTION},
    )
    baseline = NumberField(label=_("Baseline"), required=False)
    baseline_year = YearField(label=_("Baseline year"), required=False)
    green_from = NumberField(label=_("Green from"), required=False)
    red_from = NumberField(label=_("Red from"), required=False)
    source = forms.ChoiceField(
        label=_("Where the values come from"),
        choices=[
            (Indicator.Source.MANUAL, Indicator.Source.MANUAL.label),
            (Indicator.Source.FILE, Indicator.Source.FILE.label),
        ],
        error_messages={"required": ERROR_SOURCE, "invalid_choice": ERROR_SOURCE},
    )
    owner = forms.ChoiceField(
        label=_("Owner"), error_messages={"required": ERROR_OWNER_NEEDED, "invalid_choice": ERROR_OWNER}
    )
    archived = forms.BooleanField(label=_("Archive the indicator: it is no longer shown on the goal"), required=False)

    def __init__(
        self, *args: Any, owners: list[tuple[int, str]], editing: bool = False, kolada: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner", [("", str(_("Choose a person"))), *((str(pk), name) for pk, name in owners)])
        if kolada:
            del self.fields["source"]
        if not editing:
            del self.fields["archived"]

    def to_input(self, *, source: str = Indicator.Source.MANUAL) -> IndicatorInput:
        data = self.cleaned_data
        return IndicatorInput(
            name=data["name"],
            owner_id=int(data["owner"]),
            unit_of_measure=data["unit_of_measure"],
            direction=data["direction"],
            baseline=data["baseline"],
            baseline_year=data["baseline_year"],
            green_from=data["green_from"],
            red_from=data["red_from"],
            source=data.get("source") or source,
            archived=bool(data.get("archived")),
        )


class MeasurementForm(forms.Form):
    """A value of an indicator for a year, or a month of it, for everyone or one gender."""

    year = YearField(label=_("Year"), error_messages={"required": ERROR_YEAR})
    month = forms.ChoiceField(label=_("Month"), required=False, error_messages={"invalid_choice": ERROR_MONTH})
    gender = forms.ChoiceField(
        label=_("For"),
        choices=Measurement.Gender.choices,
        initial=Measurement.Gender.TOTAL,
        error_messages={"required": ERROR_GENDER, "invalid_choice": ERROR_GENDER},
    )
    value = NumberField(label=_("Value"), error_messages={"required": ERROR_VALUE_NEEDED})
    no_value = forms.BooleanField(label=_("No value for this period"), required=False)

    def __init__(self, *args: Any, months: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "month", [("", str(_("The whole year"))), *months])
        if self.is_bound and self.data.get("no_value"):
            self.fields["value"].required = False  # "no value" ticked: the value may be empty

    def to_input(self) -> MeasurementInput:
        data = self.cleaned_data
        return MeasurementInput(
            year=data["year"],
            value=None if data.get("no_value") else data["value"],
            month=int(data["month"] or 0),
            gender=data["gender"],
        )


class TargetForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"), error_messages={"required": ERROR_PERIOD, "invalid_choice": ERROR_PERIOD}
    )
    value = NumberField(label=_("Target"), required=False)

    def __init__(self, *args: Any, periods: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "period", [(str(pk), name) for pk, name in periods])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File"), error_messages={"required": ERROR_FILE_NEEDED, "empty": ERROR_FILE_NEEDED})


class KoladaSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Words of the key figure's title"),
        min_length=2,
        max_length=100,
        error_messages={"required": ERROR_SEARCH_SHORT, "min_length": ERROR_SEARCH_SHORT},
    )
