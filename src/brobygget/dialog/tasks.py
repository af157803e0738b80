"""Background work of the dialog: mail to residents (retried until the mail server takes it).

Every task here may run more than once: the worker runs again a task whose worker died in the middle of it
(`manage.py tasks_worker`, core/worker.py), or that met a database fault. So each records what reached the mail
server only after it did (an answer's `mail_status` on its CaseEntry) and sends what is not recorded as sent: a
mail is at worst sent twice, never lost. A receipt has no state of its own: run again, it is sent again.
"""

import datetime
import logging
import smtplib

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from brobygget.dialog.mail import answer_message, receipt_message
from brobygget.dialog.models import Case, CaseEntry

logger = logging.getLogger(__name__)

MAX_MAIL_ATTEMPTS = 8


def retry_delay(attempt: int) -> datetime.timedelta:
    """1, 2, 4 … minutes, at most two hours."""
    return datetime.timedelta(minutes=min(2 ** (attempt - 1), 120))


@task()
def send_receipt(case_id: int, attempt: int = 1) -> None:
    """Mail the resident their case number and tracking link; retry later when the mail server is away."""
    case = Case.objects.select_related("municipality").get(pk=case_id)
    if not case.contact_email:
        return
    try:
        receipt_message(case).send()
    except (smtplib.SMTPException, OSError):
        # The case itself is safe. Log the case id only, never the address.
        logger.warning("Receipt mail for case %s failed (attempt %s)", case_id, attempt)
        if attempt < MAX_MAIL_ATTEMPTS:
            run_after = timezone.now() + retry_delay(attempt)
            send_receipt.using(run_after=run_after).enqueue(case_id, attempt + 1)


@task()
def send_pending_mail(case_id: int) -> None:
    """Mail every answer and follow-up of the case not yet taken by the mail server; retry later on failure."""
    case = Case.objects.select_related("municipality").get(pk=case_id)
    pending = case.entries.filter(
        kind__in=[CaseEntry.Kind.ANSWER, CaseEntry.Kind.FOLLOW_UP],
        mail_status__in=[CaseEntry.MailStatus.PENDING, CaseEntry.MailStatus.FAILED],
        mail_attempts__lt=MAX_MAIL_ATTEMPTS,
    )
    failed_attempts = 0
    for entry in pending:
        try:
            answer_message(case, entry).send()
        except (smtplib.SMTPException, OSError):
            entry.mail_attempts += 1
            entry.mail_status = CaseEntry.MailStatus.FAILED
            entry.save(update_fields=["mail_attempts", "mail_status"])
            failed_attempts = max(failed_attempts, entry.mail_attempts)
            logger.warning("Answer mail for case %s failed (attempt %s)", case_id, entry.mail_attempts)
        else:
            entry.mail_attempts += 1
            entry.mail_status = CaseEntry.MailStatus.SENT
            entry.save(update_fields=["mail_attempts", "mail_status"])
    if failed_attempts and failed_attempts < MAX_MAIL_ATTEMPTS:
        run_after = timezone.now() + retry_delay(failed_attempts)
        transaction.on_commit(lambda: send_pending_mail.using(run_after=run_after).enqueue(case_id))
