"""The daily reminders about follow-ups: a mail to the person responsible `REMIND_DAYS` before a span ends, and
another when it is overdue (goals.followups). Each reminder is recorded once per goal, span and kind
(FollowUpReminder is unique), so running the task twice a day, or on two workers, sends nothing twice.

`send_follow_up_reminders` (the daily task; cron runs `manage.py goals_send_reminders` every morning) records what
is due and, after the commit, queues one mail per person (`mail_follow_up_reminder`), which the worker sends and
retries while the mail server is away."""

import datetime
import logging
import smtplib
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from brobygget.goals.followups import OVERDUE_DAYS, REMIND_DAYS, due_filter, is_overdue, open_end, overdue_end
from brobygget.goals.models import FollowUp, FollowUpReminder, Goal
from brobygget.organisation.models import Person

logger = logging.getLogger(__name__)

MAX_MAIL_ATTEMPTS = 8


def reminders_due(*, today: datetime.date) -> list[tuple[int, int, datetime.date, str]]:
    """(goal, responsible person, span end, kind) of each reminder to send today: a span ending within REMIND_DAYS,
    or overdue, without a follow-up and not yet reminded of that kind. Two queries."""
    rows = Goal.objects.filter(due_filter(today), responsible__is_active=True).values_list(
        "pk", "responsible_id", "rhythm", "period__start", "period__end"
    )
    found: list[tuple[int, int, datetime.date, str]] = []
    for pk, person_id, rhythm, start, end in rows:
        for day in sorted({overdue_end(rhythm, today), open_end(rhythm, today)}):
            if not start <= day <= end:
                continue
            if is_overdue(day, today):
                found.append((pk, person_id, day, FollowUpReminder.Kind.OVERDUE))
            elif day - datetime.timedelta(days=REMIND_DAYS) <= today:
                found.append((pk, person_id, day, FollowUpReminder.Kind.DUE))
    if not found:
        return []
    done = set(FollowUp.objects.filter(goal_id__in={row[0] for row in found}).values_list("goal_id", "covers_until"))
    sent = set(
        FollowUpReminder.objects.filter(goal_id__in={row[0] for row in found}).values_list(
            "goal_id", "covers_until", "kind"
        )
    )
    return [row for row in found if (row[0], row[2]) not in done and (row[0], row[2], row[3]) not in sent]


def _claim(goal_id: int, covers_until: datetime.date, kind: str) -> int | None:
    """Record the reminder; None when another run already has."""
    try:
        with transaction.atomic():
            return FollowUpReminder.objects.create(goal_id=goal_id, covers_until=covers_until, kind=kind).pk
    except IntegrityError:
        return None


@task()
def send_follow_up_reminders() -> int:
    """Record today's reminders and queue one mail per person after the commit; returns how many were recorded."""
    today = timezone.localdate()
    by_person: dict[int, list[int]] = defaultdict(list)
    with transaction.atomic():
        for goal_id, person_id, covers_until, kind in reminders_due(today=today):
            claimed = _claim(goal_id, covers_until, kind)
            if claimed is not None:
                by_person[person_id].append(claimed)
        for person_id, ids in by_person.items():
            transaction.on_commit(partial(mail_follow_up_reminder.enqueue, person_id, ids))
    return sum(len(ids) for ids in by_person.values())


def reminder_message(person: Person, reminders: list[FollowUpReminder], today: datetime.date) -> EmailMessage:
    """The mail: each goal's title, the span's end, whether it is overdue, and a link to its follow-up form."""
    with translation.override(settings.LANGUAGE_CODE):
        overdue = sum(1 for r in reminders if r.kind == FollowUpReminder.Kind.OVERDUE)
        subject = _("Reminder: goals to follow up (%(count)s)") % {"count": len(reminders)}
        lines = [
            _("Hello %(name)s,") % {"name": person.first_name},
            "",
            _("These goals you answer for are to be followed up:"),
            "",
        ]
        for reminder in reminders:
            goal = reminder.goal
            day = formats.date_format(reminder.covers_until, "DATE_FORMAT")
            if reminder.kind == FollowUpReminder.Kind.OVERDUE:
                line = _("%(title)s – the follow-up up to %(date)s is overdue")
            else:
                line = _("%(title)s – follow up the time up to %(date)s")
            lines.append(line % {"title": goal.title, "date": day})
            lines.append(settings.SITE_URL + reverse("goals:follow_up", args=[goal.pk]))
            lines.append("")
        if overdue:
            lines.append(
                _("A follow-up is overdue %(days)s days after its time ends; your leader sees it on their page.")
                % {"days": OVERDUE_DAYS}
            )
        lines.append(_("You get one reminder before each follow-up is due, and one if it is overdue."))
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


@task()
def mail_follow_up_reminder(person_id: int, reminder_ids: list[int], attempt: int = 1) -> None:
    """Mail the person their reminders; retried later while the mail server is away (a reminder at worst twice)."""
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    if person is None or not person.email:
        logger.warning("No address to remind person %s about follow-ups", person_id)
        return
    reminders = list(
        FollowUpReminder.objects.filter(pk__in=reminder_ids).select_related("goal").order_by("covers_until", "pk")
    )
    if not reminders:
        return
    try:
        reminder_message(person, reminders, timezone.localdate()).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Follow-up reminder to person %s failed: %s", person_id, type(error).__name__)
        if attempt < MAX_MAIL_ATTEMPTS:
            run_after = timezone.now() + datetime.timedelta(minutes=min(2 ** (attempt - 1), 120))
            mail_follow_up_reminder.using(run_after=run_after).enqueue(person_id, reminder_ids, attempt + 1)
