"""The mail residents get (a receipt, each answer, and what we did: a letter from the municipality, in plain text and
HTML with the same content, in the language they wrote in), and the mail staff get about cases that came to their
unit or were given to them (in the site's language)."""

from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from brobygget.dialog.models import Case, CaseEntry, StaffNotice
from brobygget.dialog.tracking import tracking_url
from brobygget.organisation.models import Person


@dataclass(frozen=True)
class Letter:
    """What a mail to a resident says, once: its plain-text and HTML parts (dialog/mail/letter.txt and .html) lay
    out the same parts, so they never say different things."""

    language: str
    subject: str
    greeting: str
    before_quote: list[str]
    quote_intro: str
    quote: str  # what the resident wrote, as they wrote it
    after_quote: list[str]
    link_intro: str
    link: str
    closing: list[str]
    sign_off: str
    signature: list[str]  # the unit, the municipality and how to reach it


def _greeting(case: Case) -> str:
    name = case.contact_name.strip()
    return _("Hello %(name)s,") % {"name": name} if name else _("Hello,")


def _signature(case: Case) -> list[str]:
    """The unit that has the case, its municipality, and the municipality's phone, e-mail and visiting address as
    the administrator set them (core.Municipality; a detail left blank is left out)."""
    municipality = case.municipality
    lines = [case.unit.name, municipality.name]
    if municipality.phone:
        lines.append(_("Phone: %(phone)s") % {"phone": municipality.phone})
    if municipality.email:
        lines.append(_("E-mail: %(email)s") % {"email": municipality.email})
    if municipality.visiting_address.strip():
        address = ", ".join(line.strip() for line in municipality.visiting_address.splitlines() if line.strip())
        lines.append(_("Visiting address: %(address)s") % {"address": address})
    return lines


def _message(case: Case, letter: Letter) -> EmailMultiAlternatives:
    """The letter as a mail in plain text and HTML, from the municipality's name at our sending address, with
    replies going to the municipality's e-mail address when the administrator set one."""
    context = {"letter": letter}
    text = render_to_string("dialog/mail/letter.txt", context)
    html = render_to_string("dialog/mail/letter.html", context)
    sender = formataddr((case.municipality.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    reply_to = [case.municipality.email] if case.municipality.email else None
    message = EmailMultiAlternatives(letter.subject, text, sender, [case.contact_email], reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    return message


def receipt_message(case: Case) -> EmailMultiAlternatives:
    """The receipt: the case number, what the resident wrote, what we promise, and their private link."""
    with translation.override(case.language):
        letter = Letter(
            language=case.language,
            subject=_("We have received your case %(number)s") % {"number": case.number},
            greeting=_greeting(case),
            before_quote=[
                _("Thank you for contacting %(municipality)s.") % {"municipality": case.municipality.name},
                _("Case number: %(number)s") % {"number": case.number},
            ],
            quote_intro=_("You wrote:"),
            quote=case.text,
            after_quote=[
                _("We promise to answer by %(date)s.") % {"date": formats.date_format(case.answer_due, "DATE_FORMAT")}
                if case.wants_answer
                else _("You did not ask for an answer, but you can follow the case.")
            ],
            link_intro=_("Follow your case, add details or reply here:"),
            link=tracking_url(case),
            closing=[_("Keep the link to yourself: anyone who has it can read the case.")],
            sign_off=_("Kind regards,"),
            signature=_signature(case),
        )
    return _message(case, letter)


def answer_message(case: Case, entry: CaseEntry) -> EmailMultiAlternatives:
    """An answer or what we did: what the resident wrote quoted, then the municipality's words, and the link."""
    with translation.override(case.language):
        if entry.kind == CaseEntry.Kind.FOLLOW_UP:
            subject = _("What we did with what you told us, case %(number)s") % {"number": case.number}
        else:
            subject = _("Answer to your case %(number)s") % {"number": case.number}
        submitted = formats.date_format(timezone.localdate(case.submitted_at), "DATE_FORMAT")
        letter = Letter(
            language=case.language,
            subject=subject,
            greeting=_greeting(case),
            before_quote=[],
            quote_intro=_("On %(date)s you wrote to us, in case %(number)s:")
            % {"date": submitted, "number": case.number},
            quote=case.text,
            after_quote=[entry.text],
            link_intro=_("Did this solve it? Tell us, or reply, here:"),
            link=tracking_url(case),
            closing=[],
            sign_off=_("Kind regards,"),
            signature=_signature(case),
        )
    return _message(case, letter)


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
        elif notice.reason == StaffNotice.Reason.RESIDENT:
            subject = _("The resident has answered on case %(number)s") % {"number": case.number}
            said = _(
                "The resident has replied or answered “Was it solved?” on case %(number)s. Read it on the case."
            ) % {"number": case.number}
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
            reasons: dict[str, str] = {
                StaffNotice.Reason.ASSIGNED: _("Given to you"),
                StaffNotice.Reason.RESIDENT: _("The resident answered"),
            }
            reason = reasons.get(notice.reason, _("Came to your unit"))
            lines += [f"{reason}:", *_case_lines(notice.case), ""]
        lines.append(_("You get this summary once a day. Change it on My page: %(url)s") % {"url": _my_page_url()})
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


def _my_page_url() -> str:
    return settings.SITE_URL + reverse("my_page")
