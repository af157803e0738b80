"""Scale data: a fictional municipality of a chosen size, generated in bulk for benchmarks.

The generator works in two steps so that it is both fast and testable:

1. `scale_plan()` decides everything in plain Python from a seed: the unit tree (board →
   administrations → departments → units), people with Swedish names, one leader per unit, staff,
   responsibilities and routines. The same size and seed always give the same plan.
2. `scale_generate()` writes the plan with `bulk_create` in one transaction: units level by level
   (their materialised paths are computed once the primary keys are known), accounts with one
   precomputed password hash, people, memberships, responsibilities and routines, and then records
   one audit event for the whole generation.

This is deliberately not built from the organisation services: one call per row with an audit event
each would take hours for a city. The data is demo data, refused when DEBUG is off (see the command).
"""

import datetime
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit

SCALE_PASSWORD: Final = "brobygget-skala"  # noqa: S105 - documented benchmark login, refused when DEBUG is off
DEFAULT_SEED: Final = 2026
BATCH_SIZE: Final = 2000
AUDIT_ACTION: Final = "demo.scale_generated"


@dataclass(frozen=True)
class SizeSpec:
    """The shape of a generated municipality. People include the one leader of every unit."""

    label: str
    municipality_name: str
    municipality_code: str  # 90xx: not a real SCB code (real codes run from 0114 to 2584)
    administrations: int
    departments_per_administration: int
    teams_per_department: int
    people: int
    description: str

    @property
    def units(self) -> int:
        departments = self.administrations * self.departments_per_administration
        return 1 + self.administrations + departments + departments * self.teams_per_department

    @property
    def teams(self) -> int:
        return self.administrations * self.departments_per_administration * self.teams_per_department


SIZES: Final[dict[str, SizeSpec]] = {
    "S": SizeSpec("S", "Skalkommun S", "9001", 1, 1, 3, 15, "one team: a root, a few units, 15 staff"),
    "M": SizeSpec("M", "Skalkommun M", "9002", 6, 5, 9, 3000, "a municipality of 40,000 residents"),
    "L": SizeSpec("L", "Skalkommun L", "9003", 12, 8, 15, 40000, "a city of 1,000,000 residents"),
}
RESPONSIBILITIES_PER_TEAM: Final = 2


def expected_counts(size: str) -> dict[str, int]:
    """The rows `scale_generate` creates for a size (independent of the seed)."""
    spec = SIZES[size]
    return {
        "units": spec.units,
        "people": spec.people,
        "users": spec.people,
        "memberships": spec.people,
        "leaders": spec.units,
        "responsibilities": spec.teams * RESPONSIBILITIES_PER_TEAM,
        "routines": spec.units,
    }


# --- Word lists -------------------------------------------------------------------------------

FIRST_NAMES: Final = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Kristina", "Lena", "Emma", "Kerstin", "Ingrid",
    "Marie", "Malin", "Jenny", "Hanna", "Linda", "Elin", "Sofia", "Annika", "Ida", "Johanna",
    "Fatima", "Amina", "Leila", "Aisha", "Marta", "Julia", "Elsa", "Maja", "Agnes", "Alice",
    "Lars", "Mikael", "Anders", "Johan", "Erik", "Per", "Karl", "Peter", "Jan", "Thomas",
    "Daniel", "Fredrik", "Hans", "Andreas", "Stefan", "Mohammed", "Ali", "Ahmed", "Reza", "Oskar",
    "Jonas", "Magnus", "Marcus", "Niklas", "Mattias", "Gustav", "Nils", "Tobias", "Viktor", "Omar",
]  # fmt: skip
LAST_NAMES: Final = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
    "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
    "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg",
    "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
    "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund",
    "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
    "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren",
    "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Hassan", "Ali", "Mohammed", "Nowak", "Karimi",
    "Yusuf", "Ahmadi", "Omar", "Saleh", "Tehrani", "Öberg", "Åkesson", "Månsson", "Rosén", "Strand",
]  # fmt: skip
PLACES: Final = [
    "Norrby", "Söderås", "Ekbacken", "Björkhagen", "Tallåsen", "Lindvreten", "Sjövik", "Ängsbacka",
    "Hagalund", "Stenhaga", "Rosendal", "Kvarnbacken", "Furuvik", "Lövsta", "Ekeby", "Granlunda",
    "Solberga", "Västerby", "Österbo", "Backa", "Bruksby", "Strandmark", "Kyrkbyn", "Mossen",
    "Skogslund", "Åkerby", "Bäckdalen", "Lillån", "Morby", "Hultet", "Fjällbo", "Vallby",
    "Nybyggeby", "Torpa", "Holmen", "Udden", "Näset", "Bergsäter", "Lundby", "Aspudden",
    "Källbo", "Mellanby", "Gärdet", "Slätten", "Sandvik", "Kullen", "Dalby", "Viken",
]  # fmt: skip
PRESCHOOL_NAMES: Final = [
    "Solrosen", "Blåklockan", "Ekorren", "Humlan", "Myran", "Nyckelpigan", "Vitsippan", "Lärkan",
    "Ugglan", "Igelkotten", "Smultronet", "Trollsländan", "Kastanjen", "Regnbågen", "Fjärilen", "Tusenfotingen",
]  # fmt: skip
REGIONS: Final = ["Norr", "Söder", "Öster", "Väster", "Centrum", "Nordost", "Sydväst", "Hisingen"]
RESPONSIBILITY_AREAS: Final = [
    "Arbetsmiljö",
    "Brandskydd",
    "Synpunkter och felanmälningar",
    "Schemaläggning",
    "Introduktion av nyanställda",
    "Krisberedskap",
    "IT-stöd och behörigheter",
    "Inköp och beställningar",
    "Informationssäkerhet",
    "Avvikelser och tillbud",
]
COMMON_ROUTINES: Final = [
    ("Rapportera tillbud och avvikelser", "Så rapporterar du ett tillbud eller en avvikelse samma dag."),
    ("Introduktion av nyanställda", "Checklista för den första veckan, med fadder och genomgång av rutiner."),
    ("Brandskyddsrond", "Kvartalsvis rond enligt checklista; brister rapporteras till fastighetsägaren."),
    ("Hantering av allmänna handlingar", "Hur inkomna handlingar registreras och när de får gallras."),
]


@dataclass(frozen=True)
class Administration:
    """A template for one administration: what its departments and units are called and do."""

    code: str
    name: str
    description: str
    departments: list[str]
    team_patterns: list[str]  # "{place}" and "{preschool}" are filled in
    team_description: str
    team_leader_title: str
    staff_titles: list[str]
    routines: list[tuple[str, str]] = field(default_factory=list)


ADMINISTRATIONS: Final[list[Administration]] = [
    Administration(
        "BUF",
        "Barn- och utbildningsförvaltningen",
        "Förskola, grundskola och fritidshem.",
        ["Förskoleavdelningen", "Grundskoleavdelningen", "Elevhälsan", "Fritidshemmen", "Grundsärskolan"],
        ["Förskolan {preschool}", "{place}skolan F–6", "{place}skolan 7–9", "Fritidshemmet {place}"],
        "Förskola och skola för barnen i {place}.",
        "Rektor",
        ["Förskollärare", "Barnskötare", "Lärare", "Fritidspedagog", "Elevassistent", "Specialpedagog"],
        [
            ("Hämtning och lämning", "Vem får hämta, och hur vi gör när någon annan kommer."),
            ("Anmälan om kränkande behandling", "Samma dag till rektor, som anmäler vidare till huvudmannen."),
            ("Frånvaro och närvaro", "Så följer vi upp elevers frånvaro och kontaktar vårdnadshavare."),
        ],
    ),
    Administration(
        "SOC",
        "Socialförvaltningen",
        "Äldreomsorg, individ- och familjeomsorg, stöd och omsorg.",
        ["Äldreomsorgen", "Individ- och familjeomsorgen", "Funktionsstöd", "Hälso- och sjukvård", "Socialpsykiatri"],
        ["Hemtjänst {place}", "{place} särskilda boende", "Gruppbostad {place}", "Boendestöd {place}"],
        "Stöd och omsorg för invånarna i {place}.",
        "Enhetschef",
        ["Undersköterska", "Vårdbiträde", "Sjuksköterska", "Socialsekreterare", "Stödpedagog", "Arbetsterapeut"],
        [
            ("Läkemedelshantering", "Signering, förvaring och avvikelser enligt sjuksköterskans delegering."),
            ("Nyckelhantering", "Kvittens av nycklar och kontroll varje fredag."),
            ("Basala hygienrutiner", "Handhygien, arbetskläder och skyddsutrustning i varje vårdmoment."),
        ],
    ),
    Administration(
        "SBF",
        "Samhällsbyggnadsförvaltningen",
        "Gator, parker, bygglov, miljö och vatten.",
        ["Gata och park", "Bygglov", "Miljö och hälsoskydd", "Vatten och avlopp", "Planering"],
        ["Parkenheten {place}", "Gatuenheten {place}", "Driftområde {place}", "Bygglovsgrupp {place}"],
        "Drift och myndighetsutövning i {place}.",
        "Enhetschef",
        ["Parkarbetare", "Gatuarbetare", "Bygglovshandläggare", "Miljöinspektör", "VA-tekniker", "Planarkitekt"],
        [
            ("Besiktning av lekplatser", "Varje lekplats besiktigas en gång i månaden enligt checklista."),
            ("Vinterväghållning", "Prioritetsordning för plogning och sandning."),
            ("Svara på synpunkter", "Varje synpunkt besvaras inom tio arbetsdagar av den som ansvarar."),
        ],
    ),
    Administration(
        "KLF",
        "Kommunledningsförvaltningen",
        "Stöd till hela kommunen: ekonomi, HR, IT och kommunikation.",
        ["HR-avdelningen", "Ekonomiavdelningen", "Kommunikation och service", "IT-avdelningen", "Kansliet"],
        ["Löneenheten {place}", "Kontaktcenter {place}", "Servicedesk {place}", "Upphandlingsgrupp {place}"],
        "Gemensamt stöd, placerat i {place}.",
        "Enhetschef",
        ["HR-specialist", "Controller", "Kommunvägledare", "IT-tekniker", "Kommunikatör", "Registrator"],
        [
            ("Ta emot felanmälan per telefon", "Registrera direkt, läs upp ärendenumret för den som ringer."),
            ("Diarieföring", "Hur allmänna handlingar registreras och när de får gallras."),
            ("Behörighetsgenomgång", "Varje kvartal går chefen igenom vem som har åtkomst till vad."),
        ],
    ),
    Administration(
        "KFF",
        "Kultur- och fritidsförvaltningen",
        "Bibliotek, kulturskola, fritidsgårdar och idrott.",
        ["Biblioteken", "Kulturskolan", "Fritidsgårdarna", "Idrott och anläggningar", "Evenemang"],
        ["{place} bibliotek", "Fritidsgården {place}", "{place} sim- och sporthall", "Kulturskolan {place}"],
        "Kultur och fritid för alla åldrar i {place}.",
        "Enhetschef",
        ["Bibliotekarie", "Fritidsledare", "Musiklärare", "Badmästare", "Evenemangssamordnare"],
        [
            ("Öppning och stängning", "Larm, lås och rond enligt checklista."),
            ("Barn som blir kvar", "Så gör vi när ett barn inte blir hämtat vid stängning."),
        ],
    ),
    Administration(
        "TSF",
        "Teknik- och serviceförvaltningen",
        "Måltider, lokalvård, fastigheter och fordon.",
        ["Måltidsservice", "Lokalvård", "Fastighetsförvaltning", "Fordon och transport", "Lokalförsörjning"],
        ["Måltidsservice {place}", "Lokalvård {place}", "Fastighetsdrift {place}", "Fordonsverkstaden {place}"],
        "Service till kommunens verksamheter i {place}.",
        "Enhetschef",
        ["Kock", "Måltidsbiträde", "Lokalvårdare", "Fastighetstekniker", "Fordonstekniker"],
        [
            ("Specialkost", "Beställning, märkning och kontroll av specialkost vid varje måltid."),
            ("Egenkontroll livsmedel", "Temperaturer och rengöring loggas dagligen."),
        ],
    ),
    # The six above make a municipality; a city has more administrations.
    Administration(
        "GVF",
        "Gymnasie- och vuxenutbildningsförvaltningen",
        "Gymnasieskola, vuxenutbildning och svenska för invandrare.",
        ["Gymnasieavdelningen", "Vuxenutbildningen", "SFI", "Gymnasiesärskolan", "Studie- och yrkesvägledning"],
        ["{place}gymnasiet", "Vuxenutbildningen {place}", "SFI {place}", "Yrkesprogrammen {place}"],
        "Utbildning för unga och vuxna i {place}.",
        "Rektor",
        ["Gymnasielärare", "Lärare i SFI", "Studie- och yrkesvägledare", "Skolkurator", "Lärarassistent"],
        [("Betygssättning och omprövning", "Så dokumenterar vi underlag och hanterar begäran om omprövning.")],
    ),
    Administration(
        "AMF",
        "Arbetsmarknadsförvaltningen",
        "Ekonomiskt bistånd, arbetsmarknadsinsatser och integration.",
        ["Ekonomiskt bistånd", "Arbetsmarknadsenheten", "Integration", "Feriearbeten", "Unga vuxna"],
        ["Jobbtorg {place}", "Försörjningsstöd {place}", "Praktikgrupp {place}", "Integrationscenter {place}"],
        "Vägen till arbete och egen försörjning i {place}.",
        "Enhetschef",
        ["Arbetsmarknadskonsulent", "Socialsekreterare", "Jobbcoach", "Handledare", "Samhällsvägledare"],
        [("Utbetalning av bistånd", "Tvåhandsprincip och attest enligt delegationsordningen.")],
    ),
    Administration(
        "MHF",
        "Miljöförvaltningen",
        "Tillsyn, livsmedelskontroll och klimatarbete.",
        ["Livsmedelskontroll", "Miljötillsyn", "Hälsoskydd", "Klimat och energi", "Naturvård"],
        ["Tillsynsgrupp {place}", "Livsmedelsgrupp {place}", "Naturvårdsgrupp {place}", "Mätgruppen {place}"],
        "Tillsyn och miljöarbete i {place}.",
        "Gruppchef",
        ["Miljöinspektör", "Livsmedelsinspektör", "Miljöutredare", "Ekolog", "Energirådgivare"],
        [("Planering av tillsyn", "Riskklassning styr hur ofta varje verksamhet besöks.")],
    ),
    Administration(
        "RTJ",
        "Räddningstjänsten",
        "Räddningsinsatser, brandskydd och förebyggande arbete.",
        ["Operativa avdelningen", "Förebyggande avdelningen", "Utbildning", "Larm och ledning", "Teknik"],
        ["Brandstation {place}", "Räddningsvärn {place}", "Tillsynsgrupp {place}", "Utbildningsgrupp {place}"],
        "Räddningstjänst och brandskydd i {place}.",
        "Stationschef",
        ["Brandman", "Styrkeledare", "Brandingenjör", "Brandinspektör", "Utbildare"],
        [("Kontroll av andningsskydd", "Varje pass kontrolleras och signeras utrustningen.")],
    ),
    Administration(
        "SBK",
        "Stadsbyggnadskontoret",
        "Detaljplaner, bygglov, kart- och mätverksamhet.",
        ["Detaljplan", "Bygglov", "Lantmäteri", "Kart och GIS", "Stadsmiljö"],
        ["Plangrupp {place}", "Bygglovsgrupp {place}", "Mätgrupp {place}", "Stadsmiljögrupp {place}"],
        "Planering och byggande i {place}.",
        "Gruppchef",
        ["Planarkitekt", "Bygglovshandläggare", "Lantmätare", "GIS-ingenjör", "Byggnadsinspektör"],
        [("Samråd om detaljplan", "Hur samråd annonseras, hålls och dokumenteras.")],
    ),
    Administration(
        "FTK",
        "Fastighetskontoret",
        "Kommunens mark, byggnader och bostäder.",
        ["Förvaltning", "Projekt och investeringar", "Markförvaltning", "Bostadsförmedling", "Energi"],
        ["Förvaltningsområde {place}", "Projektgrupp {place}", "Markgrupp {place}", "Driftgrupp {place}"],
        "Fastigheter och mark i {place}.",
        "Förvaltare",
        ["Fastighetsförvaltare", "Projektledare", "Drifttekniker", "Markingenjör", "Energiingenjör"],
        [("Felanmälan från hyresgäster", "Akuta fel åtgärdas samma dag, övriga inom fem arbetsdagar.")],
    ),
]


# --- The plan ---------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ScalePlan:
    spec: SizeSpec
    seed: int
    units: list[PlannedUnit]
    people: list[PlannedPerson]
    responsibilities: list[PlannedResponsibility]
    routines: list[PlannedRoutine]


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
    for a in range(spec.administrations):
        admin = ADMINISTRATIONS[a % len(ADMINISTRATIONS)]
        admin_code = admin.code if a < len(ADMINISTRATIONS) else f"{admin.code}{a // len(ADMINISTRATIONS) + 1}"
        admin_index = len(units)
        name = _unique(admin.name, used_names)
        units.append(PlannedUnit(admin_code, name, Unit.Kind.ADMINISTRATION, 0, admin.description))
        templates.append(admin)
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
    return ScalePlan(spec, seed, units, people, responsibilities, routines)


# --- Writing ----------------------------------------------------------------------------------


class ScaleDataExists(Exception):
    """The municipality (or the accounts) of this size are already in the database."""


@dataclass(frozen=True)
class ScaleResult:
    municipality: Municipality
    counts: dict[str, int]
    first_username: str
    last_username: str
    sample_leader_username: str  # the leader of the first unit at the bottom of the tree


def scale_username(size: str, number: int) -> str:
    return f"scale-{size.lower()}-{number}"


def _batches[M: models.Model](rows: Sequence[M]) -> Iterator[Sequence[M]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def _statistics_refresh() -> None:
    """On PostgreSQL, ANALYZE the tables just filled, as autovacuum would soon do.

    Without it the planner knows nothing about the new rows, and a page measured straight after the
    load (the benchmark does that) scans all 40,000 people where it would use an index in production.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (User, Person, Unit, Membership, Responsibility, Routine):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def scale_generate(
    *, size: str, seed: int = DEFAULT_SEED, today: datetime.date | None = None, progress: bool = False
) -> ScaleResult:
    """Write a scale municipality in bulk; raises ScaleDataExists when it is already there."""
    spec = SIZES[size]
    existing = Municipality.objects.filter(code=spec.municipality_code).first()
    if existing is not None:
        raise ScaleDataExists(f"{existing.name} (code {existing.code}) already exists in this database.")
    if User.objects.filter(username=scale_username(size, 1)).exists():
        raise ScaleDataExists(f"The account {scale_username(size, 1)} already exists in this database.")
    plan = scale_plan(size=size, seed=seed)
    today = today or timezone.localdate()
    password_hash = make_password(SCALE_PASSWORD)  # once: hashing 40,000 times would take an hour
    total = 2 * len(plan.units) + 3 * len(plan.people) + len(plan.responsibilities) + len(plan.routines)
    bar = tqdm(total=total, desc=f"Skalkommun {size}", unit="rows", file=sys.stderr, disable=None if progress else True)

    def create[M: models.Model](model: type[M], rows: Sequence[M]) -> list[M]:
        created: list[M] = []
        for batch in _batches(rows):
            created.extend(model._default_manager.bulk_create(batch))
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
        counts = {
            "units": len(saved_units),
            "people": len(people),
            "users": len(users),
            "memberships": len(plan.people),
            "leaders": sum(1 for p in plan.people if p.role == Role.LEADER),
            "responsibilities": len(plan.responsibilities),
            "routines": len(plan.routines),
            "routines_overdue": sum(1 for r in plan.routines if r.review_in_days < 0),
        }
        extra: dict[str, Any] = {"size": size, "seed": seed, "counts": counts}
        audit_record(actor=None, action=AUDIT_ACTION, target=municipality, municipality=municipality, extra=extra)

    _statistics_refresh()
    first_team = next(i for i, u in enumerate(plan.units) if u.kind == Unit.Kind.TEAM)
    leader = next(p for p in plan.people if p.unit == first_team and p.role == Role.LEADER)
    return ScaleResult(
        municipality=municipality,
        counts=counts,
        first_username=scale_username(size, 1),
        last_username=scale_username(size, len(plan.people)),
        sample_leader_username=scale_username(size, leader.number),
    )
