"""The goals of a scale municipality, for benchmarks: a goal tree in one period (the vision and goals of
kommunfullmäktige at the top, two goals for each administration, department and unit, and the units' activities),
indicators on the units' goals with their targets and their measurements (years, months, genders, Riket), and
follow-ups of the goals and activities in every status; decided in plain Python from the seed and written as plain
rows (as the cases and improvements are), after `scale_generate`, by `manage.py demo_scale`; each goal's kept
roll-up (goals.kept) is then computed from them.

S ≈ 60 goal nodes and 1,000 measurements; M ≈ 2,000 and 100,000; L ≈ 50,000 and 2,000,000."""

import datetime
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from itertools import batched
from typing import Any, Final

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.demo.scale.rows import datetime_adapter, foreign_keys_checked_afterwards, next_id, rows_insert
from brobygget.demo.scale.sizes import BATCH_SIZE
from brobygget.goals.followups import span_ends
from brobygget.goals.kept import kept_rebuild
from brobygget.goals.models import (
    FollowUp,
    Goal,
    Indicator,
    IndicatorTarget,
    Level,
    Measurement,
    Period,
    Rhythm,
)
from brobygget.organisation.models import Membership, Person, Role, Unit


@dataclass(frozen=True)
class GoalSize:
    nodes: int  # goal nodes, about
    measurements: int  # exactly


GOAL_SIZES: Final[dict[str, GoalSize]] = {
    "S": GoalSize(60, 1_000),
    "M": GoalSize(2_000, 100_000),
    "L": GoalSize(50_000, 2_000_000),
}
COUNCIL_GOALS: Final = ("Snabb och begriplig service", "Barn och unga lyckas", "Trygga miljöer", "Värdig omsorg")
THEMES: Final = (
    "Kortare väntetider", "Fler nöjda invånare", "Bättre arbetsmiljö", "Färre fel i första ledet",
    "Tydligare information", "Lägre sjukfrånvaro", "Fler digitala ärenden", "Säkrare rutiner",
)  # fmt: skip
ACTIVITIES: Final = (
    "Veckovis genomgång", "Ny checklista", "Utbildning för alla", "Uppföljning varje månad", "Gemensam rutin",
    "Kundenkät", "Besök hos en annan enhet", "Ny mall för svar",
)  # fmt: skip
YEARS: Final = 10
AREAS: Final = ("", "0000", "9998", "9997")  # the municipality, Riket and two similar municipalities
STATUSES: Final = (
    FollowUp.Status.GREEN, FollowUp.Status.GREEN, FollowUp.Status.GREEN, FollowUp.Status.YELLOW,
    FollowUp.Status.RED, FollowUp.Status.DONE, FollowUp.Status.NOT_STARTED,
)  # fmt: skip
ANALYSIS: Final = "Vi ser en avvikelse mot målet. Orsaken är känd. Vi gör en åtgärd och följer upp nästa gång."


def _points(count: int, this_year: int) -> list[tuple[int, int, str, str]]:
    """The first `count` (year, month, gender, area) of an indicator: the latest years first, the whole year and
    each month, everyone, women and men, the municipality, Riket and two similar municipalities."""
    points = []
    for year in range(this_year - 1, this_year - 1 - YEARS, -1):
        for month in range(13):
            for gender in ("T", "K", "M"):
                for area in AREAS:
                    points.append((year, month, gender, area))
                    if len(points) == count:
                        return points
    return points


def goals_scale_write(
    *, municipality: Municipality, size: str, seed: int, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Write the goals of the scale municipality as plain rows in one transaction; returns the counts."""
    spec = GOAL_SIZES[size]
    now = now or timezone.now()
    today = timezone.localdate(now)
    rng = random.Random(seed)
    tables: list[type[models.Model]] = [Goal, Indicator, IndicatorTarget, Measurement, FollowUp]
    with transaction.atomic(), foreign_keys_checked_afterwards(tables):
        counts = _write(municipality, spec, today, now, rng)
        # Each goal's kept roll-up, computed from the rows just written by the code the services keep it with.
        counts["rollups"] = kept_rebuild(municipality_id=municipality.pk)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                cursor.execute(statement)
    return counts


def _write(
    municipality: Municipality, spec: GoalSize, today: datetime.date, now: datetime.datetime, rng: random.Random
) -> dict[str, int]:
    when, day = datetime_adapter(), connection.ops.adapt_datefield_value
    units = list(Unit.objects.filter(municipality=municipality).order_by("path").values_list("pk", "path", "kind"))
    unit_names = dict(Unit.objects.filter(municipality=municipality).values_list("pk", "name"))
    names = {
        pk: f"{first} {last}"
        for pk, first, last in Person.objects.filter(municipality=municipality).values_list(
            "pk", "first_name", "last_name"
        )
    }
    leaders = dict(
        Membership.objects.filter(unit__municipality=municipality, role=Role.LEADER).values_list("unit_id", "person_id")
    )
    staff: dict[int, list[int]] = {}
    for unit_id, person_id in Membership.objects.filter(unit__municipality=municipality, role=Role.STAFF).values_list(
        "unit_id", "person_id"
    ):
        staff.setdefault(unit_id, []).append(person_id)
    start, end = datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 2, 12, 31)
    period = Period.objects.create(
        municipality=municipality, name=f"Mandatperioden {start.year}–{end.year}", start=start, end=end
    )
    root = units[0]
    teams = [u for u in units if u[2] == Unit.Kind.TEAM]
    fixed = 1 + len(COUNCIL_GOALS) + 2 * (len(units) - 1)
    per_team = max(1, round((spec.nodes - fixed) / max(len(teams), 1)))
    goal_id = next_id(Goal)
    created = when(timezone.make_aware(datetime.datetime.combine(start, datetime.time(9))))
    rows: list[tuple[Any, ...]] = []
    # (id, path, unit, level, rhythm, responsible, title)
    made: list[tuple[int, str, int, str, str, int, str]] = []
    goal_of_unit: dict[int, list[tuple[int, str]]] = {}  # a unit's two goals: (id, path)

    def add(
        unit_id: int, level: str, title: str, parent: tuple[int, str] | None, rhythm: str, responsible: int
    ) -> tuple[int, str]:
        nonlocal goal_id
        pk = goal_id
        goal_id += 1
        path = f"{parent[1] if parent else '/'}{pk}/"
        rows.append(
            (
                pk, municipality.pk, period.pk, level, title, "", unit_id, responsible, parent[0] if parent else None,
                None, path, False, rhythm, None, created, created,
            )
        )  # fmt: skip
        made.append((pk, path, unit_id, level, rhythm, responsible, title))
        return pk, path

    root_leader = leaders[root[0]]
    vision = add(
        root[0], Level.VISION, f"{municipality.name} – en kommun att lita på", None, Rhythm.YEARLY, root_leader
    )
    council = [add(root[0], Level.COUNCIL, title, vision, Rhythm.YEARLY, root_leader) for title in COUNCIL_GOALS]
    rhythms = (Rhythm.MONTHLY, Rhythm.TERTIAL, Rhythm.YEARLY)
    for unit_id, path, kind in units[1:]:
        parent_unit = int(path.strip("/").split("/")[-2])
        above = goal_of_unit.get(parent_unit) or [(c[0], c[1]) for c in council]
        level = Level.COMMITTEE if kind == Unit.Kind.ADMINISTRATION else Level.UNIT
        leader = leaders.get(unit_id, root_leader)
        goal_of_unit[unit_id] = [
            add(
                unit_id,
                level,
                f"{rng.choice(THEMES)} ({number})",
                above[number % len(above)],
                rng.choice(rhythms),
                leader,
            )
            for number in range(2)
        ]
        if kind == Unit.Kind.TEAM:
            people = staff.get(unit_id) or [leader]
            for number in range(per_team):
                add(
                    unit_id, Level.ACTIVITY, f"{rng.choice(ACTIVITIES)} {number + 1}",
                    goal_of_unit[unit_id][number % 2], rng.choice(rhythms), people[number % len(people)],
                )  # fmt: skip
    goal_columns = [
        "id", "municipality_id", "period_id", "level", "title", "description", "unit_id", "responsible_id",
        "parent_id", "origin_id", "path", "archived", "rhythm", "created_by_id", "created_at", "updated_at",
    ]  # fmt: skip
    for batch in batched(rows, BATCH_SIZE):
        rows_insert(Goal, goal_columns, list(batch))

    # Indicators: one on each unit goal of a department or unit (the first of its two), with a target.
    measured = [m for m in made if m[3] == Level.UNIT and m[0] == goal_of_unit[m[2]][0][0]]
    indicator_id, target_id, measurement_id = next_id(Indicator), next_id(IndicatorTarget), next_id(Measurement)
    indicator_rows, target_rows = [], []
    for number, (pk, _path, _unit, _level, _rhythm, responsible, _title) in enumerate(measured):
        higher = number % 3 != 0
        indicator_rows.append(
            (
                indicator_id + number, municipality.pk, pk, f"{THEMES[number % len(THEMES)]} (mått)", "%",
                "higher" if higher else "lower", Decimal(60), start.year - 1, Decimal(80 if higher else 20),
                Decimal(60 if higher else 40), "manual", responsible, "", "", "", None, False, created, created,
            )
        )  # fmt: skip
        target_rows.append((target_id + number, indicator_id + number, period.pk, Decimal(85 if higher else 15)))
    rows_insert(
        Indicator,
        [
            "id", "municipality_id", "goal_id", "name", "unit_of_measure", "direction", "baseline", "baseline_year",
            "green_from", "red_from", "source", "owner_id", "kolada_kpi", "kolada_title", "kolada_title_changed_to",
            "kolada_synced_at", "archived", "created_at", "updated_at",
        ],
        indicator_rows,
    )  # fmt: skip
    rows_insert(IndicatorTarget, ["id", "indicator_id", "period_id", "value"], target_rows)
    per, extra = divmod(spec.measurements, max(len(measured), 1))
    recorded = when(now)
    measurement_rows: list[tuple[Any, ...]] = []
    written = 0
    for number in range(len(measured)):
        for year, month, gender, area in _points(per + (1 if number < extra else 0), today.year):
            value = None if rng.random() < 0.02 else Decimal(rng.randint(300, 990)) / 10
            measurement_rows.append(
                (
                    measurement_id + written,
                    indicator_id + number,
                    year,
                    month,
                    gender,
                    area,
                    value,
                    "manual",
                    None,
                    recorded,
                )
            )
            written += 1
            if len(measurement_rows) >= BATCH_SIZE * 5:
                rows_insert(Measurement, MEASUREMENT_COLUMNS, measurement_rows)
                measurement_rows = []
    rows_insert(Measurement, MEASUREMENT_COLUMNS, measurement_rows)

    # Follow-ups: the spans of the last year that have ended, for the units' goals and the activities.
    follow_up_id = next_id(FollowUp)
    follow_up_rows: list[tuple[Any, ...]] = []
    follow_ups = 0
    limit = today - datetime.timedelta(days=3)
    for pk, _path, unit_id, goal_level, rhythm, responsible, title in made:
        if goal_level not in (Level.UNIT, Level.ACTIVITY):
            continue
        ends = [e for e in span_ends(rhythm, start, end) if e <= limit][-3:]
        for covers_until in ends:
            status = rng.choice(STATUSES)
            analysis = ANALYSIS if status in (FollowUp.Status.YELLOW, FollowUp.Status.RED) else ""
            snapshot = json.dumps(
                {
                    "goal": {
                        "id": pk, "title": title, "description": "", "level": goal_level, "unit": unit_names[unit_id],
                        "responsible": names[responsible], "period": period.name, "rhythm": rhythm,
                    },
                    "covers_until": covers_until.isoformat(), "status": status, "analysis": analysis,
                    "submitted_by": names[responsible], "indicators": [],
                    "rollup": {"status": None, "reason": "", "children": []},
                }
            )  # fmt: skip
            submitted = when(timezone.make_aware(datetime.datetime.combine(covers_until, datetime.time(15))))
            follow_up_rows.append(
                (follow_up_id + follow_ups, pk, day(covers_until), status, analysis, snapshot, responsible, submitted)
            )
            follow_ups += 1
        if len(follow_up_rows) >= BATCH_SIZE:
            rows_insert(FollowUp, FOLLOW_UP_COLUMNS, follow_up_rows)
            follow_up_rows = []
    rows_insert(FollowUp, FOLLOW_UP_COLUMNS, follow_up_rows)
    return {
        "goals": len(made),
        "indicators": len(indicator_rows),
        "measurements": written,
        "follow_ups": follow_ups,
    }


MEASUREMENT_COLUMNS: Final = [
    "id", "indicator_id", "year", "month", "gender", "area", "value", "source", "recorded_by_id", "recorded_at",
]  # fmt: skip
FOLLOW_UP_COLUMNS: Final = [
    "id", "goal_id", "covers_until", "status", "analysis", "snapshot", "submitted_by_id", "submitted_at",
]  # fmt: skip
