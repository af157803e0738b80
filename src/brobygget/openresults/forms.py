"""The public page's filters (a GET form) and the staff's confirmation and withdrawal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.openresults.selectors import FilterOptions, PublicFilter

ERROR_CHOICE_GONE = _("That choice is no longer in the list. Choose again.")


class PublicFilterForm(forms.Form):
    """Unit, category, principle and year, each among what the live publications have; a choice no longer there
    is said beside its field and left out of the filter."""

    enhet = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    kategori = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    princip = forms.TypedChoiceField(label=_("Principle"), required=False, coerce=int, empty_value=None)
    ar = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: object, options: FilterOptions) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        everything = [("", _("All"))]
        for name, choices in (
            ("enhet", options.units),
            ("kategori", options.categories),
            ("princip", options.principles),
            ("ar", [(year, str(year)) for year in options.years]),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = everything + [(str(value), label) for value, label in choices]
            field.error_messages["invalid_choice"] = ERROR_CHOICE_GONE

    def chosen(self) -> PublicFilter:
        """The filter of the valid choices (an invalid one counts as "all")."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return PublicFilter(
            unit=data.get("enhet"), category=data.get("kategori"), principle=data.get("princip"), year=data.get("ar")
        )

    def params(self) -> str:
        """The valid choices as a query string (for the page links, the feed and the downloads)."""
        from urllib.parse import urlencode

        chosen = self.chosen()
        pairs = [
            ("enhet", chosen.unit),
            ("kategori", chosen.category),
            ("princip", chosen.principle),
            ("ar", chosen.year),
        ]
        return urlencode([(name, value) for name, value in pairs if value is not None])


class PublishForm(forms.Form):
    """The confirmation of the masked text the staff saw (its digest)."""

    confirmed = forms.CharField(widget=forms.HiddenInput, max_length=64)


class WithdrawForm(PlainTextForm):
    reason = forms.CharField(
        label=_("Why is it withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the service says what is missing, beside the field
    )
