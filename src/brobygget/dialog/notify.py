"""Telling staff of cases: who hears that a case came to their unit or was given to them, and how.

Each person chooses in Min sida: a mail for each case, a daily summary at a time of their choosing, or no mail
(CaseMailChoice). Without a choice the default of their role in the unit holds (`DEFAULTS`): an employee, who
handles the cases, hears of each at once; a leader, who follows them, gets the daily summary at 07:00; a registrar
and an administrator, who see every case of the municipality, get no mail.

The services call `notices_for_arrival` and `notice_for_assignment` in their own transaction: a StaffNotice row per
person to tell, and for those who chose "each case" a task queued after commit (`tasks.send_staff_notices`). The
daily summaries are sent by `tasks.send_daily_summaries`, which cron starts every quarter of an hour
(`manage.py dialog_send_summaries`).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from brobygget.core.actors import Actor
from brobygget.core.audit import audit_record
from brobygget.dialog.models import DEFAULT_DAILY_AT, Case, CaseMail, CaseMailChoice, StaffNotice
from brobygget.organisation.models import Membership, Person, Role
from brobygget.organisation.selectors import person_for_actor

# What a person hears without having chosen, by their role in the case's unit.
DEFAULTS: dict[str, str] = {
    Role.STAFF: CaseMail.EACH,
    Role.LEADER: CaseMail.DAILY,
    Role.REGISTRAR: CaseMail.NONE,
    Role.ADMIN: CaseMail.NONE,
}
# Of a person's roles, the one whose default holds: the more they handle cases, the more they hear.
_ROLE_ORDER = (Role.STAFF, Role.LEADER, Role.REGISTRAR, Role.ADMIN)

ERROR_TIME_NEEDED = _("Choose the time of day for the summary.")


@dataclass(frozen=True)
class MailChoice:
    """How a person hears of cases, chosen or by default."""

    how: str
    daily_at: datetime.time
    chosen: bool


def default_choice(roles: list[str]) -> MailChoice:
    """The default for a person with these roles (an employee's when they have none)."""
    role = next((role for role in _ROLE_ORDER if role in roles), Role.STAFF)
    return MailChoice(DEFAULTS[role], DEFAULT_DAILY_AT, chosen=False)


def mail_choice(*, person: Person) -> MailChoice:
    """The person's choice, or the default of their roles (read with them: `person.unit_roles`)."""
    chosen = CaseMailChoice.objects.filter(person_id=person.pk).first()
    if chosen is not None:
        return MailChoice(chosen.how, chosen.daily_at, chosen=True)
    return default_choice([membership.role for membership in getattr(person, "unit_roles", [])])


@transaction.atomic
def mail_choice_set(*, actor: Actor, how: str, daily_at: datetime.time | None) -> CaseMailChoice:
    """Save the logged-in person's own choice of mail about cases."""
    person = person_for_actor(actor=actor)
    if person is None:
        raise PermissionDenied
    if how not in CaseMail.values:
        raise ValidationError({"how": _("Choose how you want to hear of cases.")})
    if how == CaseMail.DAILY and daily_at is None:
        raise ValidationError({"daily_at": ERROR_TIME_NEEDED})
    choice, _created = CaseMailChoice.objects.update_or_create(
        person=person, defaults={"how": how, "daily_at": daily_at or DEFAULT_DAILY_AT}
    )
    audit_record(
        actor=actor,
        action="case_mail.chosen",
        target=choice,
        municipality=person.municipality,
        extra={"how": how, "daily_at": choice.daily_at.isoformat(timespec="minutes")},
    )
    return choice


def _notices(case: Case, people: dict[int, str], reason: str) -> None:
    """A notice per person (id → how they hear), and for those who hear of each case a task after commit."""
    now = timezone.now()
    notices = [
        StaffNotice(person_id=person_id, case=case, reason=reason, daily=how == CaseMail.DAILY, created_at=now)
        for person_id, how in people.items()
        if how in (CaseMail.EACH, CaseMail.DAILY)
    ]
    StaffNotice.objects.bulk_create(notices)
    at_once = sorted(notice.person_id for notice in notices if not notice.daily)
    if at_once:
        from brobygget.dialog import tasks

        transaction.on_commit(lambda: [tasks.send_staff_notices.enqueue(person_id) for person_id in at_once])


def _how_for(memberships: list[tuple[int, str]]) -> dict[int, str]:
    """How each person (id, role in the unit) hears: their own choice, else their role's default (one query)."""
    roles: dict[int, list[str]] = {}
    for person_id, role in memberships:
        roles.setdefault(person_id, []).append(role)
    chosen = dict(CaseMailChoice.objects.filter(person_id__in=roles).values_list("person_id", "how"))
    return {person_id: chosen.get(person_id) or default_choice(held).how for person_id, held in roles.items()}


def notices_for_arrival(*, case: Case, except_person_id: int | None = None) -> None:
    """The case came to its unit (sent in, or moved there): tell the unit's active people with an address, except
    the one who moved it. Two queries, however many people the unit has."""
    people = Membership.objects.filter(unit_id=case.unit_id, person__is_active=True).exclude(person__email="")
    if except_person_id is not None:
        people = people.exclude(person_id=except_person_id)
    memberships = list(people.values_list("person_id", "role"))
    if memberships:
        _notices(case, _how_for(memberships), StaffNotice.Reason.ARRIVED)


def notice_for_resident(*, case: Case) -> None:
    """The resident replied or answered "Blev det löst?": tell the case handler, or, when nobody has the case, the
    leader of its unit, as they chose to hear of cases."""
    people = Membership.objects.filter(person__is_active=True).exclude(person__email="")
    if case.assignee_id is not None:
        memberships = list(people.filter(person_id=case.assignee_id).values_list("person_id", "role"))
    else:
        memberships = list(people.filter(unit_id=case.unit_id, role=Role.LEADER).values_list("person_id", "role"))
    if memberships:
        _notices(case, _how_for(memberships), StaffNotice.Reason.RESIDENT)


def notice_for_assignment(*, case: Case, person: Person, except_person_id: int | None = None) -> None:
    """The case was given to `person`: tell them, unless they took it themselves."""
    if person.pk == except_person_id or not person.is_active or not person.email:
        return
    memberships = list(Membership.objects.filter(person_id=person.pk).values_list("person_id", "role"))
    how = _how_for(memberships or [(person.pk, Role.STAFF)])
    _notices(case, how, StaffNotice.Reason.ASSIGNED)
