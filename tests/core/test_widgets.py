"""core/widgets.py writes the plain widgets as Django's own templates do, with every attribute Django gives them."""

import datetime

import pytest
from django import forms
from django.test.html import parse_html
from django.utils import translation

from brobygget.core.widgets import choices, widget_html


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class Everything(forms.Form):
    name = forms.CharField(max_length=20, label="Namn")
    email = forms.EmailField(required=False)
    count = forms.IntegerField(min_value=0, required=False)
    latitude = forms.DecimalField(max_digits=8, decimal_places=5, required=False)
    agree = forms.BooleanField(required=False)
    must_agree = forms.BooleanField()
    colour = forms.ChoiceField(choices=[("", "Alla"), ("red", "Röd & rosa"), ("3", "Tre")], required=False)
    number = forms.TypedChoiceField(choices=[(1, "Ett"), (2, "Två")], coerce=int)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False)
    photos = forms.FileField(widget=forms.FileInput(attrs={"accept": "image/*"}), required=False)
    link = forms.URLField(required=False, disabled=True)
    password = forms.CharField(widget=forms.PasswordInput)  # never written back into the page
    pin = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    north = forms.DecimalField(required=False, localize=True, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel", "class": "short"}), required=False)


BOUND = {
    "name": 'Anna "A" <Andersson>',
    "email": "not an address",
    "count": "-3",
    "latitude": "59.37930",
    "agree": "on",
    "colour": "red",
    "number": "2",
    "text": "Rad ett\n<b>rad två</b> & mer",
    "secret": "x&y",
    "day": "2026-11-27",
    "north": "59,3793",
    "password": "hemligt-lösen",
    "pin": "1234",
}

ATTRS = [{}, {"aria-describedby": "id_x-hint id_x-error", "autocomplete": "name"}, {"data-limit": 4000, "hidden": True}]


@pytest.mark.parametrize("data", [None, BOUND, {}], ids=["unbound", "bound", "empty"])
@pytest.mark.parametrize("attrs", ATTRS, ids=["none", "aria", "data"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_plain_widget_is_written_as_django_writes_it(data, attrs, language):
    with translation.override(language):
        form = Everything(data, initial={"day": datetime.date(2026, 1, 2), "number": 1, "north": 59.5})
        form.is_valid() if data is not None else None

        for bound in form:
            ours = widget_html(bound, dict(attrs))
            django = bound.as_widget(attrs=dict(attrs))
            assert parse_html(ours) == parse_html(django), f"{bound.name}:\n{ours}\n{django}"


def test_what_it_does_not_write_itself_goes_to_django():
    class Other(forms.Form):
        many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")])
        radios = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)
        files = forms.FileField(widget=MultipleFileInput, required=False)

    for bound in Other({"many": ["b"]}):
        assert parse_html(widget_html(bound)) == parse_html(bound.as_widget())


def test_values_and_labels_are_escaped():
    html = widget_html(Everything(BOUND)["name"]) + widget_html(Everything(BOUND)["colour"])

    assert 'value="Anna &#34;A&#34; &lt;Andersson&gt;"' in html
    assert "Röd &amp; rosa" in html and "<Andersson>" not in html


@pytest.mark.parametrize("data", [None, {"number": "2"}, {"number": "7"}])
def test_the_options_of_a_radio_group_are_those_django_gives(data):
    class Radios(forms.Form):
        number = forms.TypedChoiceField(choices=[(1, "Ett"), (2, "Två & tre")], coerce=int, widget=forms.RadioSelect)

    bound = Radios(data)["number"]
    theirs = [(o.id_for_label, str(o.data["value"]), o.choice_label, o.data["selected"]) for o in bound.subwidgets]

    assert [(c.id, c.value, c.label, c.checked) for c in choices(bound)] == theirs


def test_a_password_is_never_written_back():
    form = Everything(BOUND)
    form.is_valid()

    assert "hemligt-lösen" not in widget_html(form["password"])
    assert 'value="1234"' in widget_html(form["pin"])  # unless the widget asks for it (render_value=True)
