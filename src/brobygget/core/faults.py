"""A form a service refused: its reasons on the fields they concern (`service_errors`); and when the database refuses
a write (locked, read-only, gone), the form comes back with what was typed (`not_saved`, `page_status`).

The service's transaction has rolled back, so nothing is half-written; the page answers 503 with the form, its
text and a message to try again. 503 also keeps the session middleware from writing the session to the same
database (it saves only below 500), which would fail in the same way and turn the page into an error page.
"""

import logging

from django import forms
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from brobygget.core.text import form_status

logger = logging.getLogger(__name__)

ERROR_NOT_SAVED = _("We could not save just now. Your text is still here – try again in a while.")
ERROR_NOT_SAVED_NO_TEXT = _("We could not save just now. Try again in a while.")
NOT_SAVED_CODE = "not_saved"
NOT_SAVED_STATUS = 503


def not_saved(form: forms.Form, error: DatabaseError, *, where: str) -> None:
    """Put the "try again" message on the form, and log the fault (its kind only: no text, no query)."""
    logger.warning("The database refused a write in %s (%s)", where, type(error).__name__)
    message = ERROR_NOT_SAVED if _has_text(form) else ERROR_NOT_SAVED_NO_TEXT
    form.add_error(None, ValidationError(message, code=NOT_SAVED_CODE))


def page_status(form: forms.Form | None) -> int:
    """The status of a page shown again with `form`: 503 when the database refused to save it, else as usual."""
    if form is not None and form.is_bound and any(e.code == NOT_SAVED_CODE for e in form.non_field_errors().as_data()):
        return NOT_SAVED_STATUS
    return form_status(form)


def service_errors(form: forms.Form, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form field it concerns (its key, or the field `renamed` maps it to), or on the
    form as a whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = (renamed or {}).get(key, key)
        form.add_error(name if name in form.fields else None, ValidationError(errors))


def _has_text(form: forms.Form) -> bool:
    return any(isinstance(field.widget, forms.Textarea) for field in form.fields.values())
