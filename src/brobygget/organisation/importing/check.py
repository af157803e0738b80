"""Checking the rows of both files, and planning: every problem of every row (so that one run lists them all), and
what the import would change, compared with the database."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from brobygget.core.models import Municipality
from brobygget.organisation.importing.read import (
    PERSON_EMAIL,
    PERSON_FIRST_NAME,
    PERSON_LAST_NAME,
    PERSON_NUMBER,
    PERSON_ROLE,
    PERSON_TITLE,
    PERSON_UNIT,
    UNIT_CODE,
    UNIT_DESCRIPTION,
    UNIT_KIND,
    UNIT_NAME,
    UNIT_PARENT,
    FileKind,
    ImportIssue,
    ImportRow,
)
from brobygget.organisation.models import Membership, Person, Role, Unit

KINDS = {
    "kommunstyrelse": Unit.Kind.BOARD,
    "förvaltning": Unit.Kind.ADMINISTRATION,
    "avdelning": Unit.Kind.DEPARTMENT,
    "enhet": Unit.Kind.TEAM,
}
ROLES = {
    "medarbetare": Role.STAFF,
    "chef": Role.LEADER,
    "registrator": Role.REGISTRAR,
    "systemförvaltare": Role.ADMIN,
}

ERROR_REQUIRED = _("Line %(line)s: the column %(column)s is empty.")
ERROR_TOO_LONG = _("Line %(line)s: the value in the column %(column)s is longer than %(max)s characters.")
ERROR_DUPLICATE_UNIT = _("Line %(line)s: the unit code %(code)s is also on line %(other)s.")
ERROR_DUPLICATE_PERSON = _("Line %(line)s: the employee number %(number)s is also on line %(other)s.")
ERROR_UNKNOWN_KIND = _("Line %(line)s: the type %(value)s is unknown. Use one of: %(choices)s.")
ERROR_UNKNOWN_PARENT = _("Line %(line)s: the parent unit %(code)s is not in the file or in the organisation.")
ERROR_PARENT_CYCLE = _("Line %(line)s: the unit %(code)s would be placed under itself or one of its own sub-units.")
ERROR_INVALID_EMAIL = _("Line %(line)s: the email address is not valid.")
ERROR_UNKNOWN_UNIT = _("Line %(line)s: the unit %(code)s is not in the units file or in the organisation.")
ERROR_UNKNOWN_ROLE = _("Line %(line)s: the role %(value)s is unknown. Use one of: %(choices)s.")
ERROR_TWO_LEADERS = _(
    "Line %(line)s: the unit %(code)s already has a leader on line %(other)s. A unit has exactly one leader."
)
ERROR_NO_LEADER = _(
    "Line %(line)s: the unit %(code)s has no leader. Give one person the role chef for the unit in the people file."
)
ERROR_LEADER_REMOVED = _(
    "Line %(line)s: this person leads the unit %(code)s today, and the unit would be left without a leader. "
    "Name its new leader (role chef) in the people file."
)
IMPORT_SUMMARY = _(
    "Units – created: %(units_created)s, updated: %(units_updated)s, unchanged: %(units_unchanged)s. "
    "People – created: %(people_created)s, updated: %(people_updated)s, unchanged: %(people_unchanged)s. "
    "Roles in units – added: %(memberships_added)s, removed: %(memberships_removed)s."
)
IMPORT_DRY_RUN = _("Only checked: nothing was saved.")

Progress = Callable[[int], object]


def _max_length(model: type[models.Model], name: str) -> int:
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert isinstance(length, int)
    return length


class _RowCheck:
    """Reads the values of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, kind: FileKind, row: ImportRow, issues: list[ImportIssue]) -> None:
        self.kind, self.row, self.issues = kind, row, issues
        self.ok = True

    def error(self, message: Any, **params: object) -> None:
        self.ok = False
        text = str(message) % {"line": self.row.line, **params}
        self.issues.append(ImportIssue(kind=self.kind, line=self.row.line, message=text))

    def text(self, column: str, max_length: int | None = None, *, required: bool = False) -> str | None:
        """The value; None when the column is not in the file at all."""
        if column not in self.row.values and not required:
            return None
        value = self.row.value(column)
        if required and not value:
            self.error(ERROR_REQUIRED, column=column)
        elif max_length is not None and len(value) > max_length:
            self.error(ERROR_TOO_LONG, column=column, max=max_length)
        return value

    def choice(self, column: str, choices: Mapping[str, str], message: Any) -> str | None:
        """The mapped value; None when the cell is empty or the column missing."""
        value = self.row.value(column)
        if not value:
            return None
        if value.casefold() not in choices:
            self.error(message, value=value, choices=", ".join(choices))
            return None
        return choices[value.casefold()]


@dataclass(frozen=True)
class _UnitLine:
    line: int
    code: str
    name: str
    parent_code: str
    kind: str | None  # None: not given; a new unit becomes a team, an existing one keeps its kind
    description: str | None  # None: the column is not in the file; an existing unit keeps its description
    ok: bool  # False when the row has an error of its own; later checks then leave it alone


@dataclass(frozen=True)
class _PersonLine:
    line: int
    number: str
    first_name: str
    last_name: str
    email: str | None
    title: str | None
    unit_code: str
    role: str | None  # None only when the role was not understood (an error is already recorded)
    role_given: bool  # False when the file has no role column: a person who has a role in the unit keeps it


def _unit_lines(rows: Sequence[ImportRow], issues: list[ImportIssue], tick: Progress) -> list[_UnitLine]:
    lines: list[_UnitLine] = []
    first_line: dict[str, int] = {}
    for row in rows:
        check = _RowCheck(FileKind.UNITS, row, issues)
        code = check.text(UNIT_CODE, _max_length(Unit, "code"), required=True) or ""
        name = check.text(UNIT_NAME, _max_length(Unit, "name"), required=True) or ""
        parent_code = check.text(UNIT_PARENT, _max_length(Unit, "code")) or ""
        kind = check.choice(UNIT_KIND, KINDS, ERROR_UNKNOWN_KIND)
        description = check.text(UNIT_DESCRIPTION)
        tick(1)
        if not code:
            continue
        if code in first_line:
            check.error(ERROR_DUPLICATE_UNIT, code=code, other=first_line[code])
            continue
        first_line[code] = row.line
        lines.append(_UnitLine(row.line, code, name, parent_code, kind, description, check.ok))
    return lines


def _person_lines(rows: Sequence[ImportRow], issues: list[ImportIssue], tick: Progress) -> list[_PersonLine]:
    lines: list[_PersonLine] = []
    first_line: dict[str, int] = {}
    for row in rows:
        check = _RowCheck(FileKind.PEOPLE, row, issues)
        number = check.text(PERSON_NUMBER, _max_length(Person, "employee_number"), required=True) or ""
        first_name = check.text(PERSON_FIRST_NAME, _max_length(Person, "first_name"), required=True) or ""
        last_name = check.text(PERSON_LAST_NAME, _max_length(Person, "last_name"), required=True) or ""
        email = check.text(PERSON_EMAIL, _max_length(Person, "email"))
        if email and len(email) <= _max_length(Person, "email"):
            try:
                validate_email(email)
            except ValidationError:
                check.error(ERROR_INVALID_EMAIL)
        title = check.text(PERSON_TITLE, _max_length(Person, "title"))
        unit_code = check.text(PERSON_UNIT, _max_length(Unit, "code"), required=True) or ""
        role = check.choice(PERSON_ROLE, ROLES, ERROR_UNKNOWN_ROLE) if row.value(PERSON_ROLE) else Role.STAFF
        tick(1)
        if number in first_line:
            check.error(ERROR_DUPLICATE_PERSON, number=number, other=first_line[number])
            continue
        if number:
            first_line[number] = row.line
        role_given = PERSON_ROLE in row.values
        lines.append(_PersonLine(row.line, number, first_name, last_name, email, title, unit_code, role, role_given))
    return lines


_MembershipKey = tuple[str, str, str]  # employee number, unit code, role


@dataclass(frozen=True)
class _ExistingMembership:
    pk: int
    unit_id: int


@dataclass
class ImportPlan:
    """The rows of both files beside what the municipality has now, and what the import would change."""

    municipality: Municipality
    unit_lines: list[_UnitLine]
    person_lines: list[_PersonLine]
    units: dict[str, Unit]  # every unit of the municipality, by code
    people: dict[str, Person]  # every person of the municipality, by employee number
    unit_changes: dict[str, list[str]] = field(default_factory=dict)  # code → changed fields; [] for new units
    person_changes: dict[str, list[str]] = field(default_factory=dict)
    memberships_add: list[_MembershipKey] = field(default_factory=list)
    memberships_remove: dict[_MembershipKey, _ExistingMembership] = field(default_factory=dict)


@dataclass
class ImportResult:
    """What the import did, or would do on a dry run; with errors, nothing at all."""

    errors: list[ImportIssue] = field(default_factory=list)
    dry_run: bool = False
    units_created: int = 0
    units_updated: int = 0
    units_unchanged: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    memberships_added: int = 0
    memberships_removed: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        counts = {name: getattr(self, name) for name in self.__dataclass_fields__ if name not in {"errors", "dry_run"}}
        text = str(IMPORT_SUMMARY) % counts
        return f"{text} {IMPORT_DRY_RUN}" if self.dry_run else text


def _unit_parents_check(plan: ImportPlan, codes_in_file: set[str], issues: list[ImportIssue]) -> None:
    """Every parent exists, and no unit ends up below itself once the file's parents replace the database's."""
    by_id = {unit.pk: unit for unit in plan.units.values()}
    parent_of: dict[str, str | None] = {
        unit.code: by_id[unit.parent_id].code if unit.parent_id in by_id else None for unit in plan.units.values()
    }
    for line in plan.unit_lines:
        known = not line.parent_code or line.parent_code in codes_in_file or line.parent_code in plan.units
        if not known:
            issues.append(_issue(FileKind.UNITS, line.line, ERROR_UNKNOWN_PARENT, code=line.parent_code))
        parent_of[line.code] = line.parent_code if line.parent_code and known else None
    for line in plan.unit_lines:
        seen: set[str] = set()
        ancestor = parent_of.get(line.code)
        while ancestor is not None and ancestor not in seen and ancestor != line.code:
            seen.add(ancestor)
            ancestor = parent_of.get(ancestor)
        if ancestor == line.code:
            issues.append(_issue(FileKind.UNITS, line.line, ERROR_PARENT_CYCLE, code=line.code))


def _issue(kind: FileKind, line: int, message: Any, **params: object) -> ImportIssue:
    return ImportIssue(kind=kind, line=line, message=str(message) % {"line": line, **params})


def _memberships_plan(plan: ImportPlan, codes_in_file: set[str], issues: list[ImportIssue]) -> None:
    """Which roles to add and remove, and whether every unit keeps exactly one leader."""
    existing: dict[_MembershipKey, _ExistingMembership] = {
        (number, code, role): _ExistingMembership(pk, unit_id)
        for pk, number, code, role, unit_id in Membership.objects.filter(
            unit__municipality=plan.municipality
        ).values_list("pk", "person__employee_number", "unit__code", "role", "unit_id")
    }
    leader_line: dict[str, _PersonLine] = {}
    for line in plan.person_lines:
        if line.unit_code and line.unit_code not in codes_in_file and line.unit_code not in plan.units:
            issues.append(_issue(FileKind.PEOPLE, line.line, ERROR_UNKNOWN_UNIT, code=line.unit_code))
        if line.role == Role.LEADER:
            if line.unit_code in leader_line:
                first = leader_line[line.unit_code].line
                issues.append(_issue(FileKind.PEOPLE, line.line, ERROR_TWO_LEADERS, code=line.unit_code, other=first))
            else:
                leader_line[line.unit_code] = line
    # In the unit of their row a person has the role the file gives them, and no other; a unit's new leader
    # replaces the previous one. Roles in other units are left alone.
    for person_line in plan.person_lines:
        if person_line.role is None:
            continue
        held_roles = {role for role in Role.values if (person_line.number, person_line.unit_code, role) in existing}
        if held_roles and not person_line.role_given:
            continue
        wanted: _MembershipKey = (person_line.number, person_line.unit_code, person_line.role)
        if wanted not in existing:
            plan.memberships_add.append(wanted)
        for role in held_roles - {person_line.role}:
            other: _MembershipKey = (person_line.number, person_line.unit_code, role)
            plan.memberships_remove[other] = existing[other]
    for held, membership in existing.items():
        number, code, role = held
        if role == Role.LEADER and code in leader_line and leader_line[code].number != number:
            plan.memberships_remove[held] = membership
    led_before = {code for _number, code, role in existing if role == Role.LEADER}
    demoted_from = {code for _number, code, role in plan.memberships_remove if role == Role.LEADER}
    led_after = set(leader_line) | (led_before - demoted_from)
    for unit_line in plan.unit_lines:
        if unit_line.ok and unit_line.code not in led_after:
            issues.append(_issue(FileKind.UNITS, unit_line.line, ERROR_NO_LEADER, code=unit_line.code))
    unit_codes = {unit_line.code for unit_line in plan.unit_lines}
    for person_line in plan.person_lines:
        demoted = (person_line.number, person_line.unit_code, Role.LEADER.value) in plan.memberships_remove
        if demoted and person_line.unit_code not in led_after and person_line.unit_code not in unit_codes:
            issues.append(_issue(FileKind.PEOPLE, person_line.line, ERROR_LEADER_REMOVED, code=person_line.unit_code))


def _changes_plan(plan: ImportPlan) -> None:
    by_id = {unit.pk: unit for unit in plan.units.values()}
    for line in plan.unit_lines:
        unit = plan.units.get(line.code)
        if unit is None:
            plan.unit_changes[line.code] = []
            continue
        current_parent = by_id[unit.parent_id].code if unit.parent_id in by_id else ""
        plan.unit_changes[line.code] = [
            name
            for name, changed in (
                ("name", unit.name != line.name),
                ("kind", line.kind is not None and unit.kind != line.kind),
                ("description", line.description is not None and unit.description != line.description),
                ("parent", current_parent != line.parent_code),
            )
            if changed
        ]
    for person_line in plan.person_lines:
        person = plan.people.get(person_line.number)
        if person is None:
            plan.person_changes[person_line.number] = []
            continue
        plan.person_changes[person_line.number] = [
            name
            for name, changed in (
                ("first_name", person.first_name != person_line.first_name),
                ("last_name", person.last_name != person_line.last_name),
                ("email", person_line.email is not None and person.email != person_line.email),
                ("title", person_line.title is not None and person.title != person_line.title),
            )
            if changed
        ]


def import_plan(
    *, municipality: Municipality, units_rows: Sequence[ImportRow], people_rows: Sequence[ImportRow], tick: Progress
) -> tuple[ImportPlan, list[ImportIssue]]:
    """Every problem of the rows, by file and line; when there is none, the plan knows what to change."""
    issues: list[ImportIssue] = []
    plan = ImportPlan(
        municipality=municipality,
        unit_lines=_unit_lines(units_rows, issues, tick),
        person_lines=_person_lines(people_rows, issues, tick),
        units={unit.code: unit for unit in Unit.objects.filter(municipality=municipality)},
        people={person.employee_number: person for person in Person.objects.filter(municipality=municipality)},
    )
    codes_in_file = {row.value(UNIT_CODE) for row in units_rows} - {""}
    _unit_parents_check(plan, codes_in_file, issues)
    _memberships_plan(plan, codes_in_file, issues)
    if issues:
        kind_order = [FileKind.UNITS, FileKind.PEOPLE]
        issues.sort(key=lambda issue: (kind_order.index(issue.kind), issue.line))
        return plan, issues
    _changes_plan(plan)
    return plan, []


def import_counts(plan: ImportPlan, *, dry_run: bool) -> ImportResult:
    """What a checked plan changes, counted."""
    units_new = sum(1 for code in plan.unit_changes if code not in plan.units)
    units_updated = sum(1 for code, fields in plan.unit_changes.items() if code in plan.units and fields)
    people_new = sum(1 for number in plan.person_changes if number not in plan.people)
    people_updated = sum(1 for number, fields in plan.person_changes.items() if number in plan.people and fields)
    return ImportResult(
        dry_run=dry_run,
        units_created=units_new,
        units_updated=units_updated,
        units_unchanged=len(plan.unit_changes) - units_new - units_updated,
        people_created=people_new,
        people_updated=people_updated,
        people_unchanged=len(plan.person_changes) - people_new - people_updated,
        memberships_added=len(plan.memberships_add),
        memberships_removed=len(plan.memberships_remove),
    )
