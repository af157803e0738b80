"""A mail backend that keeps every message in the database (`OutboxMail`) instead of sending it.

Chosen by `MAIL_BACKEND=outbox` (the demo, `make run`); an administrator reads the mail in the admin's
Utkorg. Production sends by SMTP and never uses it unless chosen.
"""

from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from brobygget.core.models import OutboxMail


def outbox_mail_from(message: EmailMessage) -> OutboxMail:
    """The outbox row of one message: the plain text, the HTML alternative if any, and the whole message."""
    html = next(
        (str(content) for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        "",
    )
    if not html and message.content_subtype == "html":
        html, text = str(message.body), ""
    else:
        text = str(message.body)
    return OutboxMail(
        sender=str(message.from_email),
        recipients=", ".join(message.recipients()),
        subject=str(message.subject),
        body=text,
        html_body=html,
        message=message.message().as_string(),
    )


class OutboxBackend(BaseEmailBackend):
    """Stores each message as an `OutboxMail`; a message without recipients is skipped, as SMTP does."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        mails = [outbox_mail_from(message) for message in email_messages if message.recipients()]
        OutboxMail.objects.bulk_create(mails)
        return len(mails)
