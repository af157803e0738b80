"""Forms of the public resident pages: the feedback form and a reply through the tracking link.

Abuse protection without a captcha: a honeypot field people never see, a minimum time between showing the
form and sending it (a signed timestamp), and a limit per address and hour (brobygget.dialog.public).
"""

import hashlib
import time
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from brobygget.core.face import municipality_face
from brobygget.core.text import PlainTextForm
from brobygget.dialog.models import TEXT_MAX_LENGTH, Category, Kind
from brobygget.dialog.photos import ERROR_TOO_MANY_PHOTOS, MAX_PHOTOS, PHOTOS_HINT, ProcessedPhoto, photo_process
from brobygget.dialog.public import resident_post_allowed
from brobygget.dialog.services import (
    ERROR_ANSWER_NEEDS_EMAIL,
    ERROR_CATEGORY_UNKNOWN,
    ERROR_TEXT_EMPTY,
    ERROR_TEXT_TOO_LONG,
    SubmissionInput,
)

ERROR_KIND_MISSING = _("Choose what you want to send: a complaint, a suggestion, praise, a question or a fault report.")
ERROR_LATITUDE = _("Write the latitude as a number between -90 and 90, for example 59.3793.")
ERROR_LONGITUDE = _("Write the longitude as a number between -180 and 180, for example 17.0290.")
ERROR_POSITION_HALF = _("Give both latitude and longitude, or leave both empty.")
ERROR_EMAIL_INVALID = _("Write the email address like this: name@example.se")
# Said to a person and to a bot alike: what tripped is not told.
ERROR_NOT_RECEIVED = _("We could not receive your message. Check it and press “Send” again.")


def _too_many_sent() -> str:
    """The message with the municipality's number when it has one (core/face.py), read when the message is shown."""
    if phone := municipality_face().phone:
        return gettext(
            "Many messages have been sent from your connection in the last hour. Wait an hour and try again, "
            "or call the municipality on %(phone)s."
        ) % {"phone": phone}
    return gettext(
        "Many messages have been sent from your connection in the last hour. Wait an hour and try again, "
        "or call the municipality."
    )


ERROR_TOO_MANY_SENT = lazy(_too_many_sent, str)()
ERROR_PHOTOS_AGAIN = _("Choose your photos again: the browser cannot keep them while something is corrected.")

KIND_HINTS = {
    Kind.COMPLAINT: _("Something did not turn out the way it should."),
    Kind.SUGGESTION: _("You have an idea for how we can do better."),
    Kind.PRAISE: _("Something worked well and you want to tell us."),
    Kind.QUESTION: _("You wonder about something."),
    Kind.FAULT_REPORT: _("Something is broken or dangerous, such as a street light, a hole in the road or a swing."),
}

_STARTED_SALT = "brobygget.dialog.form-started"
# A form shown more than a day ago gets a fresh timestamp: an old one cannot be replayed for ever.
_STARTED_MAX_AGE = 24 * 60 * 60


def started_token() -> str:
    """A signed record of when the form was shown."""
    return signing.dumps(time.time(), salt=_STARTED_SALT)


def form_digest(token: str) -> str:
    """What a case keeps of the showing it came from (services.SubmissionInput.form_digest)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _started_at(token: str) -> float | None:
    try:
        value = signing.loads(token, salt=_STARTED_SALT, max_age=_STARTED_MAX_AGE)
    except signing.BadSignature:
        return None
    return float(value) if isinstance(value, int | float) else None


def _resident_text(value: str) -> str:
    """The text as the resident sees it in the box: browsers send line breaks as two characters, count them as one."""
    text = value.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError(ERROR_TEXT_EMPTY, code="required")
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(ERROR_TEXT_TOO_LONG, code="max_length")
    return text


class _PhotoInput(forms.FileInput):
    allow_multiple_selected = True


class _PhotoField(forms.FileField):
    """Up to MAX_PHOTOS files in one input; each is checked by FileField and then by photo_process."""

    widget = _PhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super().clean(upload, initial) for upload in files if upload]


def _coordinate(label: Any, limit: int, error: Any) -> forms.DecimalField:
    messages = dict.fromkeys(("invalid", "min_value", "max_value", "max_digits", "max_decimal_places"), error)
    return forms.DecimalField(
        label=label,
        required=False,
        localize=True,  # accepts 59,3793 as well as 59.3793
        min_value=-limit,
        max_value=limit,
        error_messages=messages,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class FeedbackForm(PlainTextForm):
    """Synpunkt or felanmälan from a resident; `submission()` gives what services.feedback_submit takes."""

    kind = forms.ChoiceField(
        label=_("What do you want to send?"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_KIND_MISSING, "invalid_choice": ERROR_KIND_MISSING},
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_CATEGORY_UNKNOWN, "invalid_choice": ERROR_CATEGORY_UNKNOWN},
    )
    text = forms.CharField(
        label=_("Your message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": ERROR_TEXT_EMPTY},
    )
    address = forms.CharField(
        label=_("Address or place"), required=False, max_length=300, widget=forms.TextInput(attrs={"size": 40})
    )
    latitude = _coordinate(_("Latitude"), 90, ERROR_LATITUDE)
    longitude = _coordinate(_("Longitude"), 180, ERROR_LONGITUDE)
    photos = _PhotoField(
        label=_("Photos"),
        required=False,
        help_text=PHOTOS_HINT,
        widget=_PhotoInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    contact_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    contact_email = forms.EmailField(
        label=_("Email"), required=False, max_length=254, error_messages={"invalid": ERROR_EMAIL_INVALID}
    )
    contact_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    wants_answer = forms.BooleanField(label=_("I want an answer"), required=False)
    # The honeypot: hidden from people (CSS, aria-hidden, out of the tab order); bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, categories: list[Category], sender_address: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = {str(category.pk): category for category in categories}
        category_field = self.fields["category"]
        assert isinstance(category_field, forms.ChoiceField)
        category_field.choices = [(key, category.name) for key, category in self.categories.items()]
        self.sender_address = sender_address
        self._refusal_checked = False
        self._refusal: ValidationError | None = None

    def started_value(self) -> str:
        """The timestamp to send again: the one the form was first shown with, unless it is missing, forged or has
        given a case already."""
        token = str(self.data.get("started", "")) if self.is_bound else ""
        used = self.is_bound and self.has_error(NON_FIELD_ERRORS, "form_used")
        return token if _started_at(token) is not None and not used else started_token()

    def refusal(self) -> ValidationError | None:
        """Why the submission is refused before its content is looked at: looks automated, or too many sent."""
        if not self._refusal_checked:
            self._refusal, self._refusal_checked = self._refusal_decide(), True
        return self._refusal

    def _refusal_decide(self) -> ValidationError | None:
        started = _started_at(str(self.data.get("started", "")))
        if self.data.get("website") or started is None or time.time() - started < settings.DIALOG_MIN_FILL_SECONDS:
            return ValidationError(ERROR_NOT_RECEIVED, code="refused")
        if not resident_post_allowed(address=self.sender_address):
            return ValidationError(ERROR_TOO_MANY_SENT, code="throttled")
        return None

    def clean_category(self) -> Category:
        return self.categories[self.cleaned_data["category"]]

    def clean_text(self) -> str:
        return _resident_text(self.cleaned_data["text"])

    def clean_photos(self) -> list[ProcessedPhoto]:
        uploads: list[UploadedFile] = self.cleaned_data.get("photos") or []
        if self.refusal() is not None:
            return []  # re-encoding photos is work; not for refused submissions
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(ERROR_TOO_MANY_PHOTOS, code="max")
        processed, errors = [], []
        for upload in uploads:
            try:
                processed.append(photo_process(upload))
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
        return processed

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (refusal := self.refusal()) is not None:
            raise refusal
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        position_errors = self.has_error("latitude") or self.has_error("longitude")
        if (latitude is None) != (longitude is None) and not position_errors:
            self.add_error("latitude" if latitude is None else "longitude", ERROR_POSITION_HALF)
        if cleaned.get("wants_answer") and not cleaned.get("contact_email") and not self.has_error("contact_email"):
            self.add_error("contact_email", ERROR_ANSWER_NEEDS_EMAIL)
        return cleaned

    def submission(self, *, language: str) -> SubmissionInput:
        """What the resident sent, for services.feedback_submit (call after is_valid())."""
        data = self.cleaned_data
        return SubmissionInput(
            kind=data["kind"],
            category=data["category"],
            text=data["text"],
            address=data["address"],
            latitude=_six_places(data["latitude"]),
            longitude=_six_places(data["longitude"]),
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            wants_answer=data["wants_answer"],
            language=language,
            photos=data["photos"],
            form_digest=form_digest(str(self.data.get("started", ""))),
        )


def _six_places(value: Decimal | None) -> Decimal | None:
    """What the database keeps (about 10 cm); a phone's position comes with more decimals."""
    return None if value is None else value.quantize(Decimal("0.000001"))


class ReplyForm(PlainTextForm):
    """A reply, or a detail the resident forgot, added through the tracking link."""

    text = forms.CharField(
        label=_("Your message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": ERROR_TEXT_EMPTY},
    )

    def clean_text(self) -> str:
        return _resident_text(self.cleaned_data["text"])
