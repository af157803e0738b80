"""The dialog's parts of "Min sida": the cases a person answers for, the cases of the units a leader leads, and how
the person hears of new cases.

A leader answers for more than the cases given to her: everything overdue or due soon in the units she leads and
below (organisation.scoping), assigned or not, is listed with who has it. Praise ("Bra jobbat!") is given only where
it is true for what the section covers: the personal section praises only a person who leads no unit, and the
leader's section only when nothing in her units is overdue or due soon.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse

from brobygget.core.prepared import prepared
from brobygget.dialog.models import Case, CaseMail, CaseMailChoice
from brobygget.dialog.notify import MailChoice, default_choice
from brobygget.dialog.selectors_staff import OPEN_STATUSES, Deadlines, MyCases, my_cases_due
from brobygget.organisation.models import Role, Unit
from brobygget.organisation.scoping import units_below
from brobygget.organisation.workspace import Section, Viewer

# At most ten rows a list, most urgent first, then the counts and a link to the inbox's most urgent first: what a
# leader between two meetings needs (docs/staff.md, Min sida). The personal list is cut from the 20 read.
LED_LIMIT = 10
MY_CASES_LIMIT = 10


def _case_href() -> Callable[[int], str]:
    """The address of a case's page by its id, with one reverse() per page instead of one per row."""
    head, _sep, tail = reverse("inbox:case", args=[987654321]).partition("987654321")
    return lambda case_id: f"{head}{case_id}{tail}"


def my_cases_section(viewer: Viewer) -> Section:
    """The cases the person answers for (given to them, or waiting for a handler in a unit they lead) that are
    overdue or due soon."""
    cases = my_cases_due(person=viewer.person, today=viewer.today, led_unit_ids=viewer.led_unit_ids)
    if len(cases.rows) > MY_CASES_LIMIT:
        cases = MyCases(cases.rows[:MY_CASES_LIMIT], more=True)
    context = {"cases": cases, "case_href": _case_href(), "leads": bool(viewer.led_unit_ids)}
    return Section("dialog/staff/my_page_section.html", context)


@dataclass(frozen=True, slots=True)
class LedRow:
    id: int
    number: str
    answer_due: datetime.date
    state: str
    unit: str
    assignee: str  # "" when nobody has it yet


@dataclass(frozen=True)
class LedCases:
    rows: list[LedRow]
    overdue: int
    due_soon: int
    unassigned: int

    @property
    def more(self) -> bool:
        return self.overdue + self.due_soon > len(self.rows)


def _units_below(paths: list[str]) -> QuerySet[Unit, Any]:
    """The ids of the led units and those below, as a subquery (by the paths' index): the cases are then read by
    their unit's index (`unit, status, answer_due`) instead of every due case of the municipality joined to its unit.
    The municipality is checked on the unit joined to each case, not named on the cases nor in this subquery: there,
    SQLite took the index of the municipality's due cases (at size L 8.5 ms for a team's leader instead of 0.5 ms)
    or every unit of the municipality."""
    return Unit.objects.filter(units_below(paths)).values("id")


_LED_FIELDS = ("id", "number", "status", "answer_due", "unit__name", "assignee__first_name", "assignee__last_name")


@prepared
def _led_due(
    *, municipality_id: int, paths: list[str], today: datetime.date, soon_until: datetime.date
) -> QuerySet[Case, Any]:
    """The first LED_LIMIT cases, each with the counts of them all (window aggregates over every row the filter
    finds, before the limit): one query where a list and a count were two."""
    return (
        Case.objects.filter(status__in=OPEN_STATUSES, answer_due__lte=soon_until)
        .filter(unit_id__in=_units_below(paths), unit__municipality_id=municipality_id)
        .annotate(
            overdue=Window(Count("id", filter=Q(answer_due__lt=today))),
            due_soon=Window(Count("id", filter=Q(answer_due__gte=today))),
            unassigned=Window(Count("id", filter=Q(assignee__isnull=True))),
        )
        .order_by("answer_due", "id")
        .values_list(*_LED_FIELDS, "overdue", "due_soon", "unassigned")[:LED_LIMIT]
    )


def led_cases_due(*, viewer: Viewer) -> LedCases | None:
    """What is overdue or due soon in the units the viewer leads and below, assigned or not, most urgent first, and
    how many in all: one query, whatever the number of cases or units. None for a person who leads no unit."""
    paths = sorted({m.unit_path for m in getattr(viewer.person, "unit_roles", []) if m.role == Role.LEADER})
    if not paths:
        return None
    deadlines = Deadlines.on(viewer.today)
    found = _led_due(
        municipality_id=viewer.person.municipality_id,
        paths=paths,
        today=viewer.today,
        soon_until=deadlines.soon_until,
    )
    rows = [
        LedRow(pk, number, due, deadlines.state_of(status, due), unit, f"{first} {last}" if first is not None else "")
        for pk, number, status, due, unit, first, last, *_counts in found
    ]
    overdue, due_soon, unassigned = found[0][-3:] if found else (0, 0, 0)
    return LedCases(rows, overdue, due_soon, unassigned)


def led_cases_section(viewer: Viewer) -> Section | None:
    """The cases of the units the viewer leads, for leaders only."""
    cases = led_cases_due(viewer=viewer)
    if cases is None:
        return None
    return Section("dialog/staff/my_page_led.html", {"led": cases, "case_href": _case_href()})


@prepared
def _mail_choice(*, person_id: int) -> QuerySet[CaseMailChoice, Any]:
    return CaseMailChoice.objects.filter(person_id=person_id).order_by("pk").values_list("how", "daily_at")[:1]


def mail_choice_section(viewer: Viewer) -> Section:
    """How the person hears of new cases: the form to choose, with what holds now (notify.mail_choice, read in one
    prepared query)."""
    from brobygget.dialog.forms_notify import MailChoiceForm

    chosen = _mail_choice(person_id=viewer.person.pk)
    if chosen:
        how, daily_at = chosen[0]
        choice = MailChoice(how, daily_at, chosen=True)
    else:
        choice = default_choice([membership.role for membership in getattr(viewer.person, "unit_roles", [])])
    form = MailChoiceForm(initial={"how": choice.how, "daily_at": choice.daily_at.strftime("%H:%M")})
    return Section("dialog/staff/my_page_mail.html", {"form": form, "choice": choice, "how_labels": CaseMail})
