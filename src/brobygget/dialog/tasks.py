"""Background work of the dialog: mail to residents (retried until the mail server takes it), and to staff about
cases that came to their unit or were given to them (at once, or in a daily summary: dialog/notify.py).

Every task here may run more than once: the worker runs again a task whose worker died in the middle of it
(`manage.py tasks_worker`, core/worker.py), or that met a database fault. So each records what reached the mail
server only after it did (an answer's `mail_status` on its CaseEntry) and sends what is not recorded as sent: a
mail is at worst sent twice, never lost. A receipt has no state of its own: run again, it is sent again.
"""

import datetime
import logging
import smtplib

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from brobygget.dialog.mail import answer_message, daily_summary_message, receipt_message, staff_notice_message
from brobygget.dialog.models import DEFAULT_DAILY_AT, Case, CaseEntry, CaseMailChoice, DailySummary, StaffNotice

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


@task()
def send_staff_notices(person_id: int) -> None:
    """Mail the person each case they are to hear of at once (StaffNotice, not daily) and not yet sent; retry later
    when the mail server is away. Run twice, it sends nothing twice but what the server took and the run lost."""
    pending = list(
        StaffNotice.objects.filter(
            person_id=person_id,
            person__is_active=True,  # someone who left since is not mailed
            daily=False,
            sent_at__isnull=True,
            attempts__lt=MAX_MAIL_ATTEMPTS,
        )
        .select_related("person", "case__unit", "case__category")
        .order_by("created_at", "id")
    )
    failed_attempts = 0
    for notice in pending:
        notice.attempts += 1
        try:
            staff_notice_message(notice.person, notice).send()
        except (smtplib.SMTPException, OSError):
            failed_attempts = max(failed_attempts, notice.attempts)
            logger.warning("Case mail to person %s failed (attempt %s)", person_id, notice.attempts)
        else:
            notice.sent_at = timezone.now()
        notice.save(update_fields=["attempts", "sent_at"])
    if failed_attempts and failed_attempts < MAX_MAIL_ATTEMPTS:
        run_after = timezone.now() + retry_delay(failed_attempts)
        transaction.on_commit(lambda: send_staff_notices.using(run_after=run_after).enqueue(person_id))


def _summary_due(person_ids: set[int], now: datetime.datetime) -> list[int]:
    """Those of the people whose time of day for the summary has come today (their choice, else 07:00) and who
    have not had today's."""
    times = dict(CaseMailChoice.objects.filter(person_id__in=person_ids).values_list("person_id", "daily_at"))
    had = set(DailySummary.objects.filter(person_id__in=person_ids, day=now.date()).values_list("person_id", flat=True))
    return sorted(
        person_id
        for person_id in person_ids
        if person_id not in had and times.get(person_id, DEFAULT_DAILY_AT) <= now.time()
    )


@task()
def send_daily_summaries() -> int:
    """Mail each person whose time of day has come their daily summary of the cases waiting for it; returns how many
    summaries were sent. Run every quarter of an hour (`manage.py dialog_send_summaries`): a person gets at most one
    a day (DailySummary), and one whose mail fails gets it on the next run."""
    now = timezone.localtime()
    waiting = StaffNotice.objects.filter(daily=True, sent_at__isnull=True, person__is_active=True)
    person_ids = set(waiting.values_list("person_id", flat=True).distinct())
    sent = 0
    for person_id in _summary_due(person_ids, now):
        notices = list(
            waiting.filter(person_id=person_id)
            .select_related("person", "case__unit", "case__category")
            .order_by("created_at", "id")
        )
        if not notices or not notices[0].person.email:
            continue
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        DailySummary.objects.create(person_id=person_id, day=now.date())
                except IntegrityError:
                    continue  # another run sent it
                StaffNotice.objects.filter(pk__in=[notice.pk for notice in notices]).update(sent_at=timezone.now())
                daily_summary_message(notices[0].person, notices).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Daily summary to person %s failed: %s", person_id, type(error).__name__)
            continue
        sent += 1
    return sent
