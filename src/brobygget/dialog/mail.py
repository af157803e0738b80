"""The mail residents get (a receipt, each answer, and what we did: plain text, in the language they wrote in), and
the mail staff get about cases that came to their unit or were given to them (in the site's language)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygget.dialog.models import Case, CaseEntry, StaffNotice
from brobygget.dialog.tracking import tracking_url
from brobygget.organisation.models import Person


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


def _case_lines(case: Case) -> list[str]:
    """A case as staff mail names it: number, category, unit, answer-by date and the link to its staff page; never
    what the resident wrote or who they are (the mail may be read where the case register is not)."""
    return [
        f"{case.number} – {case.category.name}, {case.unit.name}",
        _("Answer by %(date)s") % {"date": formats.date_format(case.answer_due, "DATE_FORMAT")},
        settings.SITE_URL + reverse("inbox:case", args=[case.pk]),
    ]


def staff_notice_message(person: Person, notice: StaffNotice) -> EmailMessage:
    """One case that came to the person's unit or was given to them (they chose a mail for each case)."""
    case = notice.case
    with translation.override(settings.LANGUAGE_CODE):
        if notice.reason == StaffNotice.Reason.ASSIGNED:
            subject = _("Case %(number)s has been given to you") % {"number": case.number}
            said = _("Case %(number)s has been given to you to handle.") % {"number": case.number}
        else:
            subject = _("New case %(number)s for %(unit)s") % {"number": case.number, "unit": case.unit.name}
            said = _("A case has come to %(unit)s.") % {"unit": case.unit.name}
        lines = [
            _("Hello %(name)s,") % {"name": person.first_name},
            "",
            said,
            "",
            *_case_lines(case),
            "",
            _("You get a mail for each case. Change it on My page: %(url)s") % {"url": _my_page_url()},
        ]
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


def daily_summary_message(person: Person, notices: list[StaffNotice]) -> EmailMessage:
    """The day's cases that came to the person's units or were given to them, in one mail."""
    with translation.override(settings.LANGUAGE_CODE):
        count = len(notices)
        subject = ngettext("Summary: %(count)s case for you", "Summary: %(count)s cases for you", count) % {
            "count": count
        }
        lines = [
            _("Hello %(name)s,") % {"name": person.first_name},
            "",
            ngettext(
                "Since the last summary, %(count)s case has come to your unit or been given to you:",
                "Since the last summary, %(count)s cases have come to your units or been given to you:",
                count,
            )
            % {"count": count},
            "",
        ]
        for notice in notices:
            reason = _("Given to you") if notice.reason == StaffNotice.Reason.ASSIGNED else _("Came to your unit")
            lines += [f"{reason}:", *_case_lines(notice.case), ""]
        lines.append(_("You get this summary once a day. Change it on My page: %(url)s") % {"url": _my_page_url()})
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


def _my_page_url() -> str:
    return settings.SITE_URL + reverse("my_page")
