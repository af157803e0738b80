"""The mail residents get: a receipt, each answer, and what we did. Plain text, in the language they wrote in."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import formats, translation
from django.utils.translation import gettext as _

from brobygget.dialog.models import Case, CaseEntry
from brobygget.dialog.tracking import tracking_url


def receipt_message(case: Case) -> EmailMessage:
    with translation.override(case.language):
        subject = _("We have received your case %(number)s") % {"number": case.number}
        lines = [
            _("Thank you for contacting %(municipality)s.") % {"municipality": case.municipality.name},
            "",
            _("Case number: %(number)s") % {"number": case.number},
            _("We promise to answer by %(date)s.") % {"date": formats.date_format(case.answer_due, "DATE_FORMAT")}
            if case.wants_answer
            else _("You did not ask for an answer, but you can follow the case."),
            "",
            _("Follow your case, add details or reply here:"),
            tracking_url(case),
            "",
            _("Keep the link to yourself: anyone who has it can read the case."),
        ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [case.contact_email])


def answer_message(case: Case, entry: CaseEntry) -> EmailMessage:
    with translation.override(case.language):
        if entry.kind == CaseEntry.Kind.FOLLOW_UP:
            subject = _("What we did with what you told us, case %(number)s") % {"number": case.number}
        else:
            subject = _("Answer to your case %(number)s") % {"number": case.number}
        lines = [
            entry.text,
            "",
            _("Did this solve it? Tell us, or reply, here:"),
            tracking_url(case),
        ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [case.contact_email])
