"""Text from outside, made safe to keep and to show.

Control characters other than tab and line breaks have no place in what a person writes: PostgreSQL refuses a NUL,
and the others hide in a record that staff cannot see. They are refused, with a message, at every way in (the
resident pages, Open311, the staff forms) and again by the services that store the text.

Direction overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make a text read backwards on a staff page
("‮gnp.exe" shows as "exe.png"); they carry no content, so they are removed before the text is kept.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_CONTROL_CHARACTERS = _(
    "The text contains invisible control characters that cannot be saved. Write the text again, or copy it "
    "from somewhere else, and send it again."
)

# C0 controls except tab (\t), line feed (\n) and carriage return (\r, which browsers send before \n); DEL; C1.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def has_control_characters(value: str) -> bool:
    """True when the text holds a control character other than tab and line breaks."""
    return _CONTROL.search(value) is not None


def validate_plain_text(value: Any) -> None:
    """Refuse a text with control characters (a form field's or a service's validator)."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(ERROR_CONTROL_CHARACTERS, code="control_characters")


def plain_text(value: str) -> str:
    """The text as it may be kept: refused when it holds control characters, without direction overrides."""
    validate_plain_text(value)
    return _DIRECTION_OVERRIDES.sub("", value)


class PlainTextForm(forms.Form):
    """A form whose every text field refuses control characters, with the message beside the field.

    The services that keep the text check it again and remove direction overrides (`plain_text`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators = [*field.validators, validate_plain_text]


def form_status(form: forms.Form | None) -> int:
    """The status of a page shown again with `form`: 400 when it refused control characters (the request was bad,
    not merely incomplete), otherwise 200."""
    if form is None or not form.is_bound:
        return 200
    refused = any(error.code == "control_characters" for errors in form.errors.as_data().values() for error in errors)
    return 400 if refused else 200
