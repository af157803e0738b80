"""macros/forms.html `widget`: Django's own widget templates as one macro, the same HTML as Django's form renderer
writes for the widget's context; a widget with a template of its own is left to the renderer."""

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.template import engines
from django.test.html import parse_html
from django.utils import translation


class _FancySelect(forms.Select):
    """Overrides create_option, as a widget of a library might."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["data-fancy"] = "yes"
        return option


class _Everything(forms.Form):
    text = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"size": 40, "placeholder": 'a "b" <c>'}))
    optional = forms.CharField(required=False)
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput)
    shown = forms.CharField(widget=forms.PasswordInput(render_value=True))
    long = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    number = forms.IntegerField(min_value=1)
    decimal = forms.DecimalField(localize=True, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    hidden = forms.CharField(widget=forms.HiddenInput)
    tick = forms.BooleanField(required=False)
    disabled = forms.CharField(disabled=True, initial="fast")
    plain = forms.ChoiceField(choices=[("", "Alla"), ("a", "A & a"), ("b", "B")], required=False)
    grouped = forms.ChoiceField(choices=[("Frukt", [("apple", "Äpple"), ("pear", "Päron")]), ("x", "Annat")])
    many = forms.MultipleChoiceField(choices=[("1", "Ett"), ("2", "Två"), ("3", "Tre")])
    fancy = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=_FancySelect)
    radios = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    photo = forms.FileField(required=False)
    clearable = forms.FileField(required=False, widget=forms.ClearableFileInput)


_DATA = {
    "text": 'Storgatan <12> & "13"',
    "email": "inte-en-adress",
    "secret": "hemligt-1",
    "shown": "synligt-2",
    "long": "rad ett\nrad <två>",
    "number": "0",
    "decimal": "59,3793",
    "day": "2026-02-30",
    "hidden": "dolt",
    "tick": "on",
    "plain": "a",
    "grouped": "pear",
    "many": ["1", "3"],
    "fancy": "b",
    "radios": "b",
}


def _both(bound: forms.BoundField, attrs: dict[str, Any]) -> tuple[str, str]:
    macro = engines["jinja2"].from_string('{% from "macros/forms.html" import widget %}{{ widget(bound, attrs) }}')
    return macro.render({"bound": bound, "attrs": attrs}), str(bound.as_widget(attrs=attrs))


@pytest.mark.parametrize("data", [None, _DATA], ids=["empty", "bound"])
@pytest.mark.parametrize("name", list(_Everything.base_fields))
def test_the_macro_writes_what_the_renderer_writes(name: str, data: dict[str, Any] | None) -> None:
    with translation.override("sv"):
        form = _Everything(data, initial={"day": datetime.date(2026, 1, 5), "decimal": Decimal("17.029")})
        form.is_valid()
        ours, django = _both(form[name], {"aria-describedby": f"id_{name}-hint"})

    assert parse_html(ours) == parse_html(django)


def test_a_password_is_not_written_back_and_a_localized_number_is_written_in_the_language() -> None:
    with translation.override("sv"):
        form = _Everything(_DATA)
        form.is_valid()
        secret, _ = _both(form["secret"], {})
        decimal, _ = _both(_Everything(initial={"decimal": Decimal("17.029")})["decimal"], {})

    assert "hemligt" not in secret
    assert 'value="17,029"' in decimal


def test_grouped_choices_keep_their_groups_and_a_widget_of_its_own_keeps_its_options() -> None:
    form = _Everything(_DATA)
    form.is_valid()

    grouped, _ = _both(form["grouped"], {})
    fancy, _ = _both(form["fancy"], {})

    assert '<optgroup label="Frukt">' in grouped and '<option value="pear" selected>Päron</option>' in grouped
    assert 'data-fancy="yes"' in fancy
