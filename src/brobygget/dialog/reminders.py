"""The daily reminder to the people who answer for a case whose answer-by date is near or past.

Each responsible person (the case handler, else the leader of the case's unit) gets one mail listing their
cases; each case is reminded once per answer-by date (DeadlineReminder is unique per case and date), so running
the task twice a day, or on two workers at once, sends nothing twice. django.tasks has no scheduler: cron runs
`manage.py dialog_send_reminders` every morning (docs/operations.md).
"""

import datetime
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.tasks import task
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from brobygget.core.calendar import add_working_days
from brobygget.dialog.models import Case, DeadlineReminder
from brobygget.dialog.selectors_staff import OPEN_STATUSES
from brobygget.organisation.models import Membership, Person, Role

logger = logging.getLogger(__name__)


def reminder_cases(*, today: datetime.date) -> list[Case]:
    """Open cases due by the next working day (overdue ones included) not yet reminded for that answer-by date."""
    reminded = DeadlineReminder.objects.filter(case_id=OuterRef("pk"), due=OuterRef("answer_due"))
    return list(
        Case.objects.filter(status__in=OPEN_STATUSES, answer_due__lte=add_working_days(today, 1))
        .filter(~Exists(reminded))
        .select_related("assignee")
        .order_by("answer_due", "id")
    )


def _responsible(cases: list[Case]) -> dict[Person, list[Case]]:
    """The case handler when there is an active one, else the leader of the case's unit."""
    leaders = {
        m.unit_id: m.person
        for m in Membership.objects.filter(
            unit_id__in={c.unit_id for c in cases}, role=Role.LEADER, person__is_active=True
        ).select_related("person")
    }
    by_person: dict[Person, list[Case]] = defaultdict(list)
    for case in cases:
        person = case.assignee if case.assignee is not None and case.assignee.is_active else leaders.get(case.unit_id)
        if person is None or not person.email:
            # Nobody to remind: the case still stands out in the inbox. Log the case id only.
            logger.warning("No one to remind about case %s", case.pk)
            continue
        by_person[person].append(case)
    return by_person


def reminder_message(person: Person, cases: list[Case], today: datetime.date) -> EmailMessage:
    """The reminder mail: case numbers, answer-by dates and links to the staff pages, nothing the resident wrote."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Reminder: cases to answer (%(count)s)") % {"count": len(cases)}
        lines = [
            _("Hello %(name)s,") % {"name": person.first_name},
            "",
            _("These cases you answer for are due soon or overdue:"),
            "",
        ]
        for case in cases:
            due = formats.date_format(case.answer_due, "DATE_FORMAT")
            if case.answer_due < today:
                line = _("%(number)s – overdue, should have been answered by %(date)s")
            else:
                line = _("%(number)s – answer by %(date)s")
            lines.append(line % {"number": case.number, "date": due})
            lines.append(settings.SITE_URL + reverse("inbox:case", args=[case.pk]))
            lines.append("")
        lines.append(_("You get one reminder per case and deadline."))
    return EmailMessage(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [person.email])


def _claim(case: Case) -> bool:
    """Record the reminder of this case's deadline; False when another run already has."""
    try:
        with transaction.atomic():
            DeadlineReminder.objects.create(case=case, due=case.answer_due)
    except IntegrityError:
        return False
    return True


@task()
def send_deadline_reminders() -> int:
    """Mail each responsible person one reminder about their cases due by the next working day; returns how many
    cases were reminded. A person whose mail fails is reminded on the next run."""
    today = timezone.localdate()
    sent = 0
    for person, cases in _responsible(reminder_cases(today=today)).items():
        try:
            with transaction.atomic():
                claimed = [case for case in cases if _claim(case)]
                if claimed:
                    reminder_message(person, claimed, today).send()
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("Reminder mail to person %s failed: %s", person.pk, type(error).__name__)
            continue
        sent += len(claimed)
    return sent
