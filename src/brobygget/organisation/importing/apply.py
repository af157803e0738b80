"""Writing what the check planned: units (with every path rebuilt), people and roles, in bulk, with one audit
event per change, all in the caller's transaction; and the import's entry points, which check first and write all
or nothing."""

from collections.abc import Sequence

from django.db import transaction

from brobygget.core.actors import SystemOrActor as Actor
from brobygget.core.audit import AuditBatch
from brobygget.core.models import Municipality
from brobygget.organisation.importing.check import ImportPlan, ImportResult, Progress, import_counts, import_plan
from brobygget.organisation.importing.read import ImportRow, Source, import_files_read
from brobygget.organisation.models import Membership, Person, Unit
from brobygget.organisation.services import require_admin, unit_path

BATCH_SIZE = 500


def _path(unit: Unit, by_id: dict[int, Unit], done: set[int]) -> str:
    if unit.pk not in done:
        parent = by_id.get(unit.parent_id) if unit.parent_id is not None else None
        if parent is not None:
            _path(parent, by_id, done)
        unit.path = unit_path(parent=parent, pk=unit.pk)
        done.add(unit.pk)
    return unit.path


def _units_write(plan: ImportPlan, audit: AuditBatch) -> None:
    fields = ["parent_id", "name", "kind", "description", "path"]
    before = {code: [getattr(unit, name) for name in fields] for code, unit in plan.units.items()}
    created = [
        Unit(
            municipality=plan.municipality,
            code=line.code,
            name=line.name,
            kind=line.kind or Unit.Kind.TEAM,
            description=line.description or "",
        )
        for line in plan.unit_lines
        if line.code not in plan.units
    ]
    Unit.objects.bulk_create(created, batch_size=BATCH_SIZE)
    plan.units.update({unit.code: unit for unit in created})
    for line in plan.unit_lines:
        unit = plan.units[line.code]
        unit.name = line.name
        unit.kind = line.kind or unit.kind
        unit.description = unit.description if line.description is None else line.description
        unit.parent_id = plan.units[line.parent_code].pk if line.parent_code else None
    # Paths are rebuilt for the whole municipality: moving a unit moves the paths of every unit below it.
    by_id = {unit.pk: unit for unit in plan.units.values()}
    done: set[int] = set()
    for unit in by_id.values():
        _path(unit, by_id, done)
    changed = [unit for code, unit in plan.units.items() if before.get(code) != [getattr(unit, n) for n in fields]]
    Unit.objects.bulk_update(changed, ["parent", "name", "kind", "description", "path"], batch_size=BATCH_SIZE)
    for unit in created:
        audit.add("unit.created", Unit, unit.pk, code=unit.code)
    for code, unit_fields in plan.unit_changes.items():
        if unit_fields and code in before:
            audit.add("unit.updated", Unit, plan.units[code].pk, unit_fields, code=code)


def _people_write(plan: ImportPlan, audit: AuditBatch) -> None:
    created: list[Person] = []
    updated: list[Person] = []
    for line in plan.person_lines:
        person = plan.people.get(line.number)
        if person is None:
            person = Person(municipality=plan.municipality, employee_number=line.number)
            created.append(person)
        elif plan.person_changes[line.number]:
            updated.append(person)
        else:
            continue
        person.first_name, person.last_name = line.first_name, line.last_name
        person.email = person.email if line.email is None else line.email
        person.title = person.title if line.title is None else line.title
    Person.objects.bulk_create(created, batch_size=BATCH_SIZE)
    Person.objects.bulk_update(updated, ["first_name", "last_name", "email", "title"], batch_size=BATCH_SIZE)
    plan.people.update({person.employee_number: person for person in created})
    for person in created:
        audit.add("person.created", Person, person.pk)
    for person in updated:
        audit.add("person.updated", Person, person.pk, plan.person_changes[person.employee_number])


def _memberships_write(plan: ImportPlan, audit: AuditBatch) -> None:
    removed = list(plan.memberships_remove.items())
    # Removed first: the unit's old leader must be gone before the new one is added (one leader per unit).
    for start in range(0, len(removed), BATCH_SIZE):
        Membership.objects.filter(pk__in=[m.pk for _key, m in removed[start : start + BATCH_SIZE]]).delete()
    for (_number, _code, role), gone in removed:
        audit.add("membership.removed", Membership, gone.pk, unit=gone.unit_id, role=role)
    added = [
        Membership(person=plan.people[number], unit=plan.units[code], role=role)
        for number, code, role in plan.memberships_add
    ]
    Membership.objects.bulk_create(added, batch_size=BATCH_SIZE)
    for membership in added:
        audit.add("membership.added", Membership, membership.pk, unit=membership.unit_id, role=membership.role)


def organisation_import(
    *,
    actor: Actor,
    municipality: Municipality,
    units_rows: Sequence[ImportRow] = (),
    people_rows: Sequence[ImportRow] = (),
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of both files, then write all of it or nothing; the same files twice change nothing."""
    require_admin(actor=actor, municipality=municipality)
    with transaction.atomic():
        plan, issues = import_plan(
            municipality=municipality,
            units_rows=units_rows,
            people_rows=people_rows,
            tick=progress or (lambda done: None),
        )
        if issues:
            return ImportResult(errors=issues, dry_run=dry_run)
        result = import_counts(plan, dry_run=dry_run)
        if dry_run:
            return result
        audit = AuditBatch(actor=actor, municipality=municipality, source="import")
        _units_write(plan, audit)
        _people_write(plan, audit)
        _memberships_write(plan, audit)
        audit.save()
    return result


def organisation_import_files(
    *,
    actor: Actor,
    municipality: Municipality,
    units: Source | None = None,
    people: Source | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read the files and import them; problems with the files themselves are reported like row errors."""
    require_admin(actor=actor, municipality=municipality)
    units_rows, people_rows, issues = import_files_read(units=units, people=people)
    if issues:
        return ImportResult(errors=issues, dry_run=dry_run)
    return organisation_import(
        actor=actor,
        municipality=municipality,
        units_rows=units_rows,
        people_rows=people_rows,
        dry_run=dry_run,
        progress=progress,
    )
