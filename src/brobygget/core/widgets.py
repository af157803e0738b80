"""Form widgets written out in Python for the Jinja2 pages.

Django renders a widget through its own template engine (`django/forms/widgets/*.html`), which costs more than
the rest of a page: a select of a few hundred units, or the dozen fields of the resident form, took most of the
page's time. `widget_html` writes the same HTML for the plain widgets (inputs, check boxes, file inputs, text
areas and single selects): inputs and text areas from the widget's own `get_context` (so a password is not written
back), selects from the field's choices, with the attributes Django gives them (`BoundField.build_widget_attrs`:
required, disabled, aria-invalid; the widget's own attributes; the id). Every other widget goes to Django.
`tests/core/test_widgets.py` checks that both write the same.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.widgets import Input
from markupsafe import Markup, escape

# Django's templates for these only include django/forms/widgets/input.html.
_INPUT_NAMES = "input checkbox color date datetime email file hidden number password search tel text time url"
_PLAIN_INPUTS = {f"django/forms/widgets/{name}.html" for name in _INPUT_NAMES.split(" ")}


def _safe(html: str) -> Markup:
    """HTML this module wrote: every value in it went through `escape` (or is Django's own rendering)."""
    return Markup(html)  # noqa: S704 - see the docstring


def _attributes(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: True as a bare name, False (and None) left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _built_attrs(bound: BoundField, attrs: dict[str, Any] | None) -> dict[str, Any]:
    """The attributes `BoundField.as_widget` hands the widget: required, disabled, aria-invalid, the id."""
    widget = bound.field.widget
    built = bound.build_widget_attrs(attrs or {}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        built.setdefault("id", bound.auto_id)
    return built


def _final_attrs(bound: BoundField, attrs: dict[str, Any] | None) -> dict[str, Any]:
    """As the widget's template gets them: its own attributes, then those of `_built_attrs`."""
    widget = bound.field.widget
    return widget.build_attrs(widget.attrs, _built_attrs(bound, attrs))


def _select(bound: BoundField, attrs: dict[str, Any]) -> str:
    current = bound.value()
    selected = "" if current is None else str(current)
    options = "".join(
        f'\n<option value="{escape(value)}"{" selected" if str(value) == selected else ""}>{escape(label)}</option>'
        for value, label in bound.field.choices  # type: ignore[attr-defined]  # a select's field has choices
    )
    return f'<select name="{escape(bound.html_name)}"{_attributes(attrs)}>{options}\n</select>'


def widget_html(bound: BoundField, attrs: dict[str, Any] | None = None) -> Markup:
    """The HTML of the field's widget, as `bound.as_widget(attrs=attrs)` writes it."""
    widget = bound.field.widget
    if bound.field.localize:
        widget.is_localized = True  # as as_widget does: format_value then writes 59,3793 in Swedish
    multiple = getattr(widget, "allow_multiple_selected", False)
    if isinstance(widget, forms.Select) and not multiple and widget.template_name == "django/forms/widgets/select.html":
        return _safe(_select(bound, _final_attrs(bound, attrs)))
    plain_input = isinstance(widget, Input) and widget.template_name in _PLAIN_INPUTS
    textarea = isinstance(widget, forms.Textarea) and widget.template_name == "django/forms/widgets/textarea.html"
    if plain_input or textarea:
        # The widget's own context, as its template gets it: a password is not written back (render_value), a
        # check box is checked, a file input takes several files. Only the template is skipped.
        context = widget.get_context(bound.html_name, bound.value(), _built_attrs(bound, attrs))["widget"]
        name, value, final = escape(context["name"]), context["value"], _attributes(context["attrs"])
        if textarea:
            return _safe(f'<textarea name="{name}"{final}>\n{escape(value) if value else ""}</textarea>')
        shown = "" if value is None else f' value="{escape(value)}"'
        return _safe(f'<input type="{escape(context["type"])}" name="{name}"{shown}{final}>')
    return _safe(bound.as_widget(attrs=attrs))


@dataclass(frozen=True)
class Choice:
    """One option of a radio group, as the page writes it: `<input type="radio" id=… value=…>` and its label."""

    id: str
    value: str
    label: str
    checked: bool


def choices(bound: BoundField) -> list[Choice]:
    """The options of a single-choice field with the ids Django gives them (`<auto_id>_<n>`) and the chosen one
    checked; what `bound.subwidgets` gives, without a widget context for each option."""
    current = bound.value()
    chosen = "" if current is None else str(current)
    return [
        Choice(f"{bound.auto_id}_{index}", str(value), str(label), str(value) == chosen)
        for index, (value, label) in enumerate(bound.field.choices)  # type: ignore[attr-defined]  # a choice field
    ]
