"""The plan of a scale municipality, decided in plain Python from a seed: units, people, responsibilities,
routines and categories."""

import random
from dataclasses import dataclass, replace

from django.utils.text import slugify

from brobygget.demo.scale.sizes import (
    AREAS_PER_ADMINISTRATION,
    DEFAULT_SEED,
    RESPONSIBILITIES_PER_TEAM,
    SIZES,
    SizeSpec,
)
from brobygget.demo.scale.words import (
    ADMINISTRATIONS,
    CATEGORY_NAMES,
    COMMON_ROUTINES,
    FAULT_AREAS,
    FIRST_NAMES,
    LAST_NAMES,
    PLACES,
    PRESCHOOL_NAMES,
    REGIONS,
    RESPONSIBILITY_AREAS,
    Administration,
)
from brobygget.dialog.services import DEFAULT_ANSWER_DAYS
from brobygget.organisation.models import Role, Unit


@dataclass(frozen=True, slots=True)
class PlannedUnit:
    code: str
    name: str
    kind: str
    parent: int | None  # index in ScalePlan.units; parents come before their children
    description: str


@dataclass(frozen=True, slots=True)
class PlannedPerson:
    number: int  # 1-based: the username is scale-<size>-<number>
    first_name: str
    last_name: str
    title: str
    unit: int
    role: str


@dataclass(frozen=True, slots=True)
class PlannedResponsibility:
    unit: int
    area: str
    person: int  # index in ScalePlan.people


@dataclass(frozen=True, slots=True)
class PlannedRoutine:
    unit: int
    title: str
    description: str
    owner: int
    review_in_days: int  # negative: overdue


@dataclass(frozen=True, slots=True)
class PlannedCategory:
    code: str
    name: str
    description: str
    unit: int  # the responsible unit, an index in ScalePlan.units
    answer_days: int  # the promise for any kind: acknowledge within DEFAULT_ACKNOWLEDGE_DAYS, answer within this
    fault_answer_days: int | None  # its own promise for fault reports (acknowledge within 1 day), if it has one
    weight: float  # its share of the cases, relative to the other categories
    fault_share: float  # how many of its cases are fault reports


@dataclass(frozen=True)
class ScalePlan:
    spec: SizeSpec
    seed: int
    units: list[PlannedUnit]
    people: list[PlannedPerson]
    responsibilities: list[PlannedResponsibility]
    routines: list[PlannedRoutine]
    categories: list[PlannedCategory]

    def members_of(self) -> list[list[int]]:
        """Person indexes per unit, its leader first."""
        members: list[list[int]] = [[] for _ in self.units]
        for index, person in enumerate(self.people):
            if person.role == Role.LEADER:
                members[person.unit].insert(0, index)
            else:
                members[person.unit].append(index)
        return members


def _unique(name: str, used: set[str]) -> str:
    """Names repeat in real municipalities too, but on one page it confuses: number the repeats."""
    candidate, n = name, 2
    while candidate in used:
        candidate, n = f"{name} {n}", n + 1
    used.add(candidate)
    return candidate


def scale_plan(*, size: str, seed: int = DEFAULT_SEED) -> ScalePlan:
    """Decide every row of a scale municipality; deterministic for a size and a seed."""
    spec = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    used_names: set[str] = set()
    units: list[PlannedUnit] = [
        PlannedUnit("KS", "Kommunstyrelsen", Unit.Kind.BOARD, None, "Leder och samordnar kommunens arbete.")
    ]
    templates: list[Administration | None] = [None]  # per unit: the administration it belongs to
    teams_of: list[list[list[int]]] = []  # per administration, per department: the unit indexes of its teams
    for a in range(spec.administrations):
        admin = ADMINISTRATIONS[a % len(ADMINISTRATIONS)]
        admin_code = admin.code if a < len(ADMINISTRATIONS) else f"{admin.code}{a // len(ADMINISTRATIONS) + 1}"
        admin_index = len(units)
        name = _unique(admin.name, used_names)
        units.append(PlannedUnit(admin_code, name, Unit.Kind.ADMINISTRATION, 0, admin.description))
        templates.append(admin)
        teams_of.append([])
        for d in range(spec.departments_per_administration):
            base = admin.departments[d % len(admin.departments)]
            if d >= len(admin.departments):
                base = f"{base} {REGIONS[(d // len(admin.departments) - 1) % len(REGIONS)]}"
            department_code = f"{admin_code}-A{d + 1:02d}"
            department_index = len(units)
            units.append(
                PlannedUnit(
                    department_code,
                    _unique(base, used_names),
                    Unit.Kind.DEPARTMENT,
                    admin_index,
                    f"{base} inom {admin.name.lower()}.",
                )
            )
            templates.append(admin)
            teams_of[-1].append([])
            for t in range(spec.teams_per_department):
                place = rng.choice(PLACES)
                pattern = rng.choice(admin.team_patterns)
                team_name = pattern.format(place=place, preschool=rng.choice(PRESCHOOL_NAMES))
                units.append(
                    PlannedUnit(
                        f"{department_code}-E{t + 1:02d}",
                        _unique(team_name, used_names),
                        Unit.Kind.TEAM,
                        department_index,
                        admin.team_description.format(place=place),
                    )
                )
                templates.append(admin)
                teams_of[-1][-1].append(len(units) - 1)

    def leader_title(index: int) -> str:
        unit, admin = units[index], templates[index]
        if admin is None:
            return "Stadsdirektör" if spec.people >= 10000 else "Kommundirektör"
        if unit.kind == Unit.Kind.ADMINISTRATION:
            return "Förvaltningschef"
        if unit.kind == Unit.Kind.DEPARTMENT:
            return "Avdelningschef"
        return admin.team_leader_title

    def staff_title(index: int) -> str:
        admin = templates[index]
        if admin is None or units[index].kind != Unit.Kind.TEAM:
            return rng.choice(["Handläggare", "Utredare", "Administratör", "Controller", "Verksamhetsutvecklare"])
        return rng.choice(admin.staff_titles)

    # Staff: every team has at least one, the rest fall mostly on teams (some on the offices above them).
    staff_count = spec.people - len(units)
    if staff_count < spec.teams:
        raise ValueError(f"Size {size}: {spec.people} people cannot staff {len(units)} units.")
    team_indexes = [i for i, u in enumerate(units) if u.kind == Unit.Kind.TEAM]
    office_indexes = [i for i, u in enumerate(units) if u.kind in (Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT)]
    staff_per_unit = dict.fromkeys(range(len(units)), 0)
    for i in team_indexes:
        staff_per_unit[i] = 1
    candidates = team_indexes + office_indexes
    weights = [rng.uniform(0.5, 1.5) * 10 for _ in team_indexes] + [1.0 for _ in office_indexes]
    for i in rng.choices(candidates, weights=weights, k=staff_count - len(team_indexes)):
        staff_per_unit[i] += 1

    people: list[PlannedPerson] = []
    members_of: list[list[int]] = [[] for _ in units]  # person indexes per unit, leader first
    for index in range(len(units)):
        roles = [Role.LEADER] + [Role.STAFF] * staff_per_unit[index]
        for role in roles:
            members_of[index].append(len(people))
            people.append(
                PlannedPerson(
                    len(people) + 1,
                    rng.choice(FIRST_NAMES),
                    rng.choice(LAST_NAMES),
                    leader_title(index) if role == Role.LEADER else staff_title(index),
                    index,
                    role,
                )
            )

    responsibilities: list[PlannedResponsibility] = []
    for index in team_indexes:
        for area in rng.sample(RESPONSIBILITY_AREAS, RESPONSIBILITIES_PER_TEAM):
            responsibilities.append(PlannedResponsibility(index, area, rng.choice(members_of[index])))

    routines: list[PlannedRoutine] = []
    for index in range(len(units)):
        template = templates[index]
        choices = COMMON_ROUTINES + (template.routines if template and units[index].kind == Unit.Kind.TEAM else [])
        title, description = rng.choice(choices)
        # Mostly the leader owns the routine; review dates spread from two months ago to ten months ahead.
        owner = members_of[index][0] if rng.random() < 0.7 else rng.choice(members_of[index])
        days = rng.randint(-60, 300)
        if index == team_indexes[0]:
            days = -rng.randint(1, 30)  # the sample leader (see ScaleResult) always has something overdue
        routines.append(PlannedRoutine(index, title, description, owner, days))
    _registrar_appoint(people, units)
    categories = _categories_plan(spec, teams_of, rng)
    return ScalePlan(spec, seed, units, people, responsibilities, routines, categories)


def _registrar_appoint(people: list[PlannedPerson], units: list[PlannedUnit]) -> None:
    """One employee becomes the municipality's registrar (sees every case): the first one in an office, if any."""
    offices = (Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT)
    staff = [i for i, p in enumerate(people) if p.role == Role.STAFF]
    in_offices = [i for i in staff if units[people[i].unit].kind in offices]
    if in_offices:
        chosen = in_offices[0]
    else:  # the unit with the most staff can spare one
        per_unit: dict[int, int] = {}
        for i in staff:
            per_unit[people[i].unit] = per_unit.get(people[i].unit, 0) + 1
        chosen = next(i for i in staff if per_unit[people[i].unit] == max(per_unit.values()))
    people[chosen] = replace(people[chosen], role=Role.REGISTRAR, title="Registrator")


def _categories_plan(spec: SizeSpec, teams_of: list[list[list[int]]], rng: random.Random) -> list[PlannedCategory]:
    """One category per department area of each administration, handled by a unit at the bottom of the tree.

    Area d of an administration goes to the first unit of its department d; a size with fewer departments than
    areas (S) spreads the areas over the units of the departments it has."""
    categories: list[PlannedCategory] = []
    used_names: set[str] = set()
    for a, departments in enumerate(teams_of):
        admin = ADMINISTRATIONS[a % len(ADMINISTRATIONS)]
        for d, area in enumerate(admin.departments[:AREAS_PER_ADMINISTRATION]):
            teams = departments[d % len(departments)]
            unit = teams[(d // len(departments)) % len(teams)]
            name = CATEGORY_NAMES.get(area, area)
            if name in used_names:  # Bygglov is both SBF's and SBK's
                name = f"{name} ({admin.name})"
            used_names.add(name)
            places = area in FAULT_AREAS
            categories.append(
                PlannedCategory(
                    code=slugify(
                        f"{admin.code}{a // len(ADMINISTRATIONS) + 1 if a >= len(ADMINISTRATIONS) else ''}-{area}"
                    )[:50],
                    name=name,
                    description=f"{area} inom {admin.name.lower()}.",
                    unit=unit,
                    answer_days=rng.choice([DEFAULT_ANSWER_DAYS, DEFAULT_ANSWER_DAYS, 15, 20]),
                    fault_answer_days=rng.choice([3, 5]) if places else None,
                    weight=rng.uniform(2.0, 4.0) if places else rng.uniform(0.5, 1.5),
                    fault_share=0.6 if places else 0.08,
                )
            )
    return categories
