"""Forms of the staff pages: the inbox filter (GET) and one small form per action on a case (POST).

Choices come from lists the page has already read (no query per field), and the messages are constants the
tests import."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import PlainTextForm
from brobygget.dialog import search
from brobygget.dialog.models import TEXT_MAX_LENGTH, Kind, Status
from brobygget.dialog.selectors_staff import ORDER_NEWEST, ORDER_URGENT, CategoryOption, InboxQuery
from brobygget.dialog.services import ERROR_REASON_NEEDED, ERROR_TEXT_TOO_LONG
from brobygget.organisation.scoping import UnitOption

ERROR_ANSWER_EMPTY = _("Write the answer to the resident.")
ERROR_NOTE_EMPTY = _("Write the note.")
ERROR_CORRECTION_EMPTY = _("Write the corrected text.")
ERROR_NUMBER_EMPTY = _("Write the number of the case this one repeats, for example SYN-2026-00042.")
ERROR_NUMBER_UNKNOWN = _("There is no case with that number that you may see. Check the number.")
ERROR_CHOICE_UNKNOWN = _("Choose one of the alternatives in the list.")
ERROR_STATUS_UNKNOWN = _("That change of status is not possible.")
ERROR_SEARCH_TOO_LONG = _("Search for at most %(limit_value)d characters: a case number or a few words.")

ORDER_CHOICES = [(ORDER_NEWEST, _("Newest first")), (ORDER_URGENT, _("Most urgent first"))]
# The statuses a handler sets by hand; "answered" comes with an answer, "received" is where a case starts.
STATUS_ACTIONS = [Status.IN_PROGRESS, Status.CLOSED]


class _LongTextField(forms.CharField):
    """A text whose length is checked by the server with a message, not cut off by the browser's maxlength."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def _text_field(label: Any, empty: Any, rows: int = 6) -> forms.CharField:
    return _LongTextField(
        label=label,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": empty, "max_length": ERROR_TEXT_TOO_LONG},
    )


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _choice(label: Any, choices: list[tuple[str, Any]], *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"invalid_choice": ERROR_CHOICE_UNKNOWN, "required": ERROR_CHOICE_UNKNOWN},
    )


class InboxFilterForm(forms.Form):
    """The inbox's filters, read from the query string; a value that is not a choice is dropped and explained."""

    status = _choice(_("Status"), [("", _("All statuses")), *Status.choices], required=False)
    typ = _choice(_("Kind"), [("", _("All kinds")), *Kind.choices], required=False)
    kategori = _choice(_("Category"), [], required=False)
    enhet = _choice(_("Unit"), [], required=False)
    forsenade = forms.BooleanField(label=_("Only overdue cases"), required=False)
    mina = forms.BooleanField(label=_("Only cases assigned to me"), required=False)
    ordning = _choice(_("Order"), ORDER_CHOICES, required=False)
    sok = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=search.MAX_LENGTH,
        error_messages={"max_length": ERROR_SEARCH_TOO_LONG},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, categories: list[CategoryOption], units: list[UnitOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._categories = {str(c.pk): c for c in categories}
        self._units = {str(u.pk): u for u in units}
        _set_choices(self, "kategori", [("", _("All categories")), *((k, c.name) for k, c in self._categories.items())])
        _set_choices(self, "enhet", [("", _("All units you see")), *((k, u.label) for k, u in self._units.items())])

    def query(self) -> InboxQuery:
        """The valid part of the filters (call after is_valid(); invalid fields are left out), from the first page:
        `inbox_cursor` gives where a page starts."""
        data = getattr(self, "cleaned_data", {})
        return InboxQuery(
            status=data.get("status") or "",
            kind=data.get("typ") or "",
            category=self._categories.get(data.get("kategori") or ""),
            unit=self._units.get(data.get("enhet") or ""),
            overdue=bool(data.get("forsenade")),
            mine=bool(data.get("mina")),
            order=data.get("ordning") or ORDER_NEWEST,
            words=tuple(search.terms(data.get("sok") or "")),
        )

    def case_number(self) -> str | None:
        """The case number typed in the search box, written as we write it; None when the box holds words."""
        return search.case_number_typed(getattr(self, "cleaned_data", {}).get("sok") or "")


def inbox_cursor(data: QueryDict) -> dict[str, Any]:
    """Where a page of the inbox starts (`efter`, `fran`), made by its "Next page" link: a value we did not make
    is ignored (the first page is shown), not reported."""
    start = data.get("fran") or ""
    return {"after": data.get("efter") or "", "start": int(start) if start.isdigit() and len(start) < 10 else 1}


class StatisticsFilterForm(forms.Form):
    enhet = _choice(_("Unit"), [], required=False)

    def __init__(self, *args: Any, units: list[UnitOption], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._units = {str(u.pk): u for u in units}
        _set_choices(self, "enhet", [("", _("All units you see")), *((k, u.label) for k, u in self._units.items())])

    def unit(self) -> UnitOption | None:
        """The chosen unit (call after is_valid()); None for all the units the person sees."""
        return self._units.get(getattr(self, "cleaned_data", {}).get("enhet") or "")


class AnswerForm(PlainTextForm):
    text = _text_field(_("Answer to the resident"), ERROR_ANSWER_EMPTY, rows=8)
    close = forms.BooleanField(required=False)


class NoteForm(PlainTextForm):
    text = _text_field(_("Internal note"), ERROR_NOTE_EMPTY, rows=4)


class CorrectTextForm(PlainTextForm):
    text = _text_field(_("Corrected text"), ERROR_CORRECTION_EMPTY, rows=6)


class RejectForm(PlainTextForm):
    reason = _text_field(_("Why it is not for us"), ERROR_REASON_NEEDED, rows=4)


class DuplicateForm(PlainTextForm):
    number = forms.CharField(
        label=_("Number of the original case"),
        max_length=20,
        error_messages={"required": ERROR_NUMBER_EMPTY, "max_length": ERROR_NUMBER_UNKNOWN},
    )


class MoveForm(forms.Form):
    unit = _choice(_("Unit"), [])

    def __init__(self, *args: Any, units: list[UnitOption], **kwargs: Any) -> None:
        """`units` are the levels of the tree the page offers (organisation.scoping.unit_filter_options): a posted
        unit is offered again with its own level, so a unit of the municipality is always a valid choice."""
        super().__init__(*args, **kwargs)
        _set_choices(self, "unit", [(str(unit.pk), unit.label) for unit in units])


class AssignForm(forms.Form):
    assignee = _choice(_("Case handler"), [], required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        """`people` are (id, name) pairs of the people of the case's unit."""
        super().__init__(*args, **kwargs)
        people_choices = [(str(pk), name) for pk, name in people]
        _set_choices(self, "assignee", [("", _("No named case handler")), *people_choices])


class CategoryForm(forms.Form):
    category = _choice(_("Category"), [])

    def __init__(self, *args: Any, categories: list[tuple[int, str]], **kwargs: Any) -> None:
        """`categories` are (id, name) pairs; the chosen one is read when the form is posted."""
        super().__init__(*args, **kwargs)
        _set_choices(self, "category", [(str(pk), name) for pk, name in categories])


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(s.value, s.label) for s in STATUS_ACTIONS],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": ERROR_STATUS_UNKNOWN, "required": ERROR_STATUS_UNKNOWN},
    )
