"""Writing a scale plan and its cases in bulk, in one transaction."""

import datetime
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any, Final

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.demo.scale.cases import (
    scale_cases,
)
from brobygget.demo.scale.improvements import improvement_work_write
from brobygget.demo.scale.plan import (
    ScalePlan,
    scale_plan,
)
from brobygget.demo.scale.rows import datetime_adapter, next_id, rows_insert, sqlite_cache
from brobygget.demo.scale.sizes import (
    AUDIT_ACTION,
    BATCH_SIZE,
    DEFAULT_SEED,
    DEVIATION_STATES,
    OPEN311_APPS,
    SCALE_PASSWORD,
    SIZES,
    scale_open311_key,
)
from brobygget.dialog.models import (
    Case,
    CaseEntry,
    CaseNumberSeries,
    CaseTally,
    Category,
    Kind,
    Open311Client,
    ServicePromise,
    Status,
)
from brobygget.dialog.services import DEFAULT_ACKNOWLEDGE_DAYS, open311_client_create
from brobygget.dialog.tally import TallyCounter, tally_of_values, working_days_remembered
from brobygget.dialog.tracking import tracking_salt_new
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit


class ScaleDataExists(Exception):
    """The municipality (or the accounts) of this size are already in the database."""


@dataclass(frozen=True)
class ScaleResult:
    municipality: Municipality
    counts: dict[str, int]
    first_username: str
    last_username: str
    sample_leader_username: str  # the leader of the first unit at the bottom of the tree
    registrar_username: str  # sees every case of the municipality
    open311_key: str  # the API key of the first Open311 app


def scale_username(size: str, number: int) -> str:
    return f"scale-{size.lower()}-{number}"


def _batches[M: models.Model](rows: Sequence[M]) -> Iterator[Sequence[M]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def statistics_refresh() -> None:
    """On PostgreSQL, VACUUM and ANALYZE the database just filled, as autovacuum would soon do (ANALYZE alone inside
    a transaction, as in the tests: VACUUM cannot run there). VACUUM marks the new pages visible to all, so that a
    query answered from an index alone (the map's places) reads no table row, as in production.

    Without it the planner knows nothing about the new rows, and a page measured straight after the
    load (the benchmark does that) scans all 40,000 people where it would use an index in production.
    Every table, so that no app's new tables are forgotten (the goals' and the open results' were, and a goal's
    page scanned every unit), once everything is written: `manage.py demo_scale` calls it after the goals and the
    open results (called at the end of `scale_generate`, it left their tables without statistics where autovacuum is
    off, as on the benchmark's machine: a person's due follow-ups on Min sida then read 50,000 index entries for 2
    goals). SQLite gathers no statistics by itself, so none are made there either: it is measured as it would run.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def scale_generate(
    *, size: str, seed: int = DEFAULT_SEED, now: datetime.datetime | None = None, progress: bool = False
) -> ScaleResult:
    """Write a scale municipality in bulk; raises ScaleDataExists when it is already there."""
    spec = SIZES[size]
    existing = Municipality.objects.filter(code=spec.municipality_code).first()
    if existing is not None:
        raise ScaleDataExists(f"{existing.name} (code {existing.code}) already exists in this database.")
    if User.objects.filter(username=scale_username(size, 1)).exists():
        raise ScaleDataExists(f"The account {scale_username(size, 1)} already exists in this database.")
    plan = scale_plan(size=size, seed=seed)
    now = now or timezone.now()
    today = timezone.localdate(now)
    password_hash = make_password(SCALE_PASSWORD)  # once: hashing 40,000 times would take an hour
    total = 2 * len(plan.units) + 3 * len(plan.people) + len(plan.responsibilities) + len(plan.routines)
    total += len(plan.categories) + spec.cases + spec.improvements + spec.learnings
    total += spec.teams * len(DEVIATION_STATES)
    bar = tqdm(total=total, desc=f"Skalkommun {size}", unit="rows", file=sys.stderr, disable=None if progress else True)

    def create[M: models.Model](model: type[M], rows: Sequence[M], counted: bool = True) -> list[M]:
        created: list[M] = []
        for batch in _batches(rows):
            created.extend(model._default_manager.bulk_create(batch))
            if counted:
                bar.update(len(batch))
        return created

    with bar, transaction.atomic():
        municipality = Municipality.objects.create(name=spec.municipality_name, code=spec.municipality_code)

        # Units level by level, so that each parent has its primary key before its children are made.
        units: list[Unit | None] = [None] * len(plan.units)
        levels = [Unit.Kind.BOARD, Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT, Unit.Kind.TEAM]
        for kind in levels:
            indexes = [i for i, u in enumerate(plan.units) if u.kind == kind]
            rows = []
            for i in indexes:
                planned = plan.units[i]
                parent = units[planned.parent] if planned.parent is not None else None
                rows.append(
                    Unit(
                        municipality=municipality,
                        parent=parent,
                        code=planned.code,
                        name=planned.name,
                        kind=planned.kind,
                        description=planned.description,
                    )
                )
            for i, unit in zip(indexes, create(Unit, rows), strict=True):
                assert unit.pk is not None, "bulk_create must return primary keys (SQLite ≥ 3.35, PostgreSQL)"
                unit.path = f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"
                units[i] = unit
            for batch in _batches(rows):
                Unit.objects.bulk_update(batch, ["path"])
                bar.update(len(batch))
        saved_units = [u for u in units if u is not None]
        assert len(saved_units) == len(plan.units)

        domain = f"skalkommun-{size.lower()}.example"
        users = create(
            User,
            [
                User(
                    username=scale_username(size, p.number),
                    password=password_hash,
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=f"{scale_username(size, p.number)}@{domain}",
                )
                for p in plan.people
            ],
        )
        people = create(
            Person,
            [
                Person(
                    municipality=municipality,
                    user=user,
                    employee_number=f"{p.number:06d}",
                    first_name=p.first_name,
                    last_name=p.last_name,
                    email=user.email,
                    title=p.title,
                )
                for p, user in zip(plan.people, users, strict=True)
            ],
        )
        create(
            Membership,
            [
                Membership(person=person, unit=saved_units[p.unit], role=p.role)
                for p, person in zip(plan.people, people, strict=True)
            ],
        )
        create(
            Responsibility,
            [
                Responsibility(unit=saved_units[r.unit], person=people[r.person], area=r.area)
                for r in plan.responsibilities
            ],
        )
        create(
            Routine,
            [
                Routine(
                    unit=saved_units[r.unit],
                    owner=people[r.owner],
                    title=r.title,
                    description=r.description,
                    review_date=today + datetime.timedelta(days=r.review_in_days),
                )
                for r in plan.routines
            ],
        )
        categories = create(
            Category,
            [
                Category(
                    municipality=municipality,
                    code=c.code,
                    name=c.name,
                    description=c.description,
                    unit=saved_units[c.unit],
                    order=order,
                )
                for order, c in enumerate(plan.categories)
            ],
        )
        promises = [
            ServicePromise(
                category=category, kind="", acknowledge_days=DEFAULT_ACKNOWLEDGE_DAYS, answer_days=c.answer_days
            )
            for c, category in zip(plan.categories, categories, strict=True)
        ]
        promises += [
            ServicePromise(
                category=category, kind=Kind.FAULT_REPORT, acknowledge_days=1, answer_days=c.fault_answer_days
            )
            for c, category in zip(plan.categories, categories, strict=True)
            if c.fault_answer_days is not None
        ]
        create(ServicePromise, promises, counted=False)
        apps = [
            open311_client_create(
                actor=None,
                municipality=municipality,
                name=f"{name} ({spec.municipality_name})",
                key=scale_open311_key(size) if index == 0 else None,
            )[0]
            for index, name in enumerate(OPEN311_APPS)
        ]
        with sqlite_cache(megabytes=256):
            case_counts = _cases_write(plan, municipality, now, saved_units, people, categories, apps, bar)
            improvement_counts = improvement_work_write(plan, municipality, now, saved_units, people, bar)
        counts = {
            "units": len(saved_units),
            "people": len(people),
            "users": len(users),
            "memberships": len(plan.people),
            "leaders": sum(1 for p in plan.people if p.role == Role.LEADER),
            "registrars": sum(1 for p in plan.people if p.role == Role.REGISTRAR),
            "responsibilities": len(plan.responsibilities),
            "routines": len(plan.routines),
            "routines_overdue": sum(1 for r in plan.routines if r.review_in_days < 0),
            "categories": len(categories),
            "promises": len(promises),
            "open311_clients": len(apps),
            **case_counts,
            **improvement_counts,
        }
        extra: dict[str, Any] = {"size": size, "seed": seed, "counts": counts}
        audit_record(actor=None, action=AUDIT_ACTION, target=municipality, municipality=municipality, extra=extra)

    first_team = next(i for i, u in enumerate(plan.units) if u.kind == Unit.Kind.TEAM)
    leader = next(p for p in plan.people if p.unit == first_team and p.role == Role.LEADER)
    registrar = next(p for p in plan.people if p.role == Role.REGISTRAR)
    return ScaleResult(
        municipality=municipality,
        counts=counts,
        first_username=scale_username(size, 1),
        last_username=scale_username(size, len(plan.people)),
        sample_leader_username=scale_username(size, leader.number),
        registrar_username=scale_username(size, registrar.number),
        open311_key=scale_open311_key(size),
    )


# The columns the generator writes, in the order of the rows below: every column of the two tables.
CASE_COLUMNS: Final = [
    "id", "municipality_id", "number", "year", "sequence", "kind", "category_id", "unit_id", "assignee_id",
    "status", "source", "open311_client_id", "text", "address", "latitude", "longitude", "contact_name",
    "contact_email", "contact_phone", "wants_answer", "language", "tracking_salt", "submitted_at",
    "acknowledge_due", "answer_due", "acknowledged_at", "answered_at", "closed_at", "updated_at",
    "rejection_reason", "duplicate_of_id", "resolved", "resolved_answered_at",
]  # fmt: skip
ENTRY_COLUMNS: Final = ["id", "case_id", "kind", "text", "author_id", "created_at", "mail_status", "mail_attempts"]


def _cases_write(
    plan: ScalePlan,
    municipality: Municipality,
    now: datetime.datetime,
    units: list[Unit],
    people: list[Person],
    categories: list[Category],
    apps: list[Open311Client],
    bar: Any,
) -> dict[str, int]:
    """Write the cases and their answers batch by batch (a million never sit in memory), then the number series
    and the statistics rollup (`CaseTally`, each case counted as the services count it: `dialog.tally`).

    These two tables are written as plain rows rather than with bulk_create: building a million model instances
    and their INSERT statements in the ORM takes about 0.7 ms a case (12 minutes for size L), the rows alone a
    tenth of it. The ids are given here (after the largest one in the table), so that answers can name their
    case without reading it back, and PostgreSQL's sequences are moved past them at the end."""
    counts = {"cases": 0, "cases_open": 0, "cases_overdue": 0, "answers": 0}
    last_numbers: dict[int, int] = {}
    tallies, days_between = TallyCounter(), working_days_remembered()
    today = timezone.localdate(now)
    ops = connection.ops
    when, day = datetime_adapter(), ops.adapt_datefield_value
    municipality_id = municipality.pk
    unit_ids = [u.pk for u in units]
    person_ids = [p.pk for p in people]
    category_ids = [c.pk for c in categories]
    app_ids = [a.pk for a in apps]
    case_id, entry_id = next_id(Case), next_id(CaseEntry)
    sent, unsent = CaseEntry.MailStatus.SENT.value, CaseEntry.MailStatus.NONE.value
    answer = CaseEntry.Kind.ANSWER.value
    for batch in batched(scale_cases(plan, now=now), BATCH_SIZE):
        case_rows: list[tuple[Any, ...]] = []
        entry_rows: list[tuple[Any, ...]] = []
        for c in batch:
            case_rows.append(
                (
                    case_id,
                    municipality_id,
                    c.number,
                    c.year,
                    c.sequence,
                    c.kind,
                    category_ids[c.category],
                    unit_ids[c.unit],
                    person_ids[c.assignee] if c.assignee is not None else None,
                    c.status,
                    c.source,
                    app_ids[c.open311_app] if c.open311_app is not None else None,
                    c.text,
                    c.address,
                    c.latitude,
                    c.longitude,
                    c.contact_name,
                    c.contact_email,
                    c.contact_phone,
                    c.wants_answer,
                    c.language,
                    tracking_salt_new(),
                    when(c.submitted_at),
                    day(c.acknowledge_due),
                    day(c.answer_due),
                    when(c.acknowledged_at),
                    when(c.answered_at),
                    when(c.closed_at),
                    when(c.updated_at),
                    c.rejection_reason,
                    None,
                    c.resolved,
                    when(c.resolved_answered_at),
                )
            )
            if c.answer:
                entry_rows.append(
                    (
                        entry_id,
                        case_id,
                        answer,
                        c.answer,
                        person_ids[c.answered_by] if c.answered_by is not None else None,
                        when(c.answer_at),
                        sent if c.contact_email else unsent,
                        1 if c.contact_email else 0,
                    )
                )
                entry_id += 1
            case_id += 1
            last_numbers[c.year] = c.sequence  # the cases come in order: the last one is the largest
            tally = tally_of_values(
                municipality_id=municipality_id,
                unit_id=unit_ids[c.unit],
                category_id=category_ids[c.category],
                kind=c.kind,
                submitted_at=c.submitted_at,
                answered_at=c.answered_at,
                answer_due=c.answer_due,
                resolved=c.resolved,
                days_between=days_between,
            )
            tallies.add(tally)
            if c.status in (Status.RECEIVED, Status.IN_PROGRESS):
                counts["cases_open"] += 1
                counts["cases_overdue"] += c.answer_due < today
        rows_insert(Case, CASE_COLUMNS, case_rows)
        rows_insert(CaseEntry, ENTRY_COLUMNS, entry_rows)
        counts["cases"] += len(case_rows)
        counts["answers"] += len(entry_rows)
        bar.update(len(case_rows))
    with connection.cursor() as cursor:
        for statement in ops.sequence_reset_sql(no_style(), [Case, CaseEntry]):
            cursor.execute(statement)
    # What numbering.case_number_next keeps: the last number given per year, so that the next case continues.
    CaseNumberSeries.objects.bulk_create(
        CaseNumberSeries(municipality=municipality, year=year, last_number=last)
        for year, last in sorted(last_numbers.items())
    )
    CaseTally.objects.bulk_create(tallies.rows(), batch_size=BATCH_SIZE)
    return counts
