"""Scale data: a fictional municipality of a chosen size, generated in bulk for benchmarks.

The generator works in two steps so that it is both fast and testable:

1. `scale_plan()` decides everything in plain Python from a seed: the unit tree (board →
   administrations → departments → units), people with Swedish names, one leader per unit, a registrar,
   staff, responsibilities, routines and the categories residents write about (one per department
   area, each handled by a unit, with its service promises). `scale_cases()` then decides the cases,
   one at a time in the order they came in: when, what about, how far they have come. The same size,
   seed and moment always give the same plan and the same cases.
2. `scale_generate()` writes the plan with `bulk_create` in one transaction: units level by level
   (their materialised paths are computed once the primary keys are known), accounts with one
   precomputed password hash, people, memberships, responsibilities, routines, categories, promises,
   the Open311 apps, the cases and their answers in batches, and the case number series; then it
   records one audit event for the whole generation.

This is deliberately not built from the organisation and dialog services: one call per row with an
audit event each would take hours for a city. What the services would have computed is computed the
same way here (case numbers with `numbering.case_number_format`, due dates with
`core.calendar.add_working_days`, the promise of a category and kind as `services.promise_for` chooses
it), and the tests check that a case submitted through the services afterwards continues the series.
The Open311 apps are issued through `services.open311_client_create`, so each is audited like any key.
The data is demo data, refused when DEBUG is off (see the command).
"""

import datetime
import random
import sys
from bisect import bisect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import accumulate, batched
from typing import Any, Final

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from brobygget.core.audit import audit_record
from brobygget.core.calendar import add_working_days
from brobygget.core.models import Municipality
from brobygget.demo.dialog import ANSWERS
from brobygget.dialog.models import (
    Case,
    CaseEntry,
    CaseNumberSeries,
    Category,
    Kind,
    Open311Client,
    ServicePromise,
    Status,
)
from brobygget.dialog.numbering import case_number_format
from brobygget.dialog.services import DEFAULT_ACKNOWLEDGE_DAYS, DEFAULT_ANSWER_DAYS, open311_client_create
from brobygget.dialog.tracking import tracking_salt_new
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
    cases: int  # exactly this many, spread over the last `case_years` years
    case_years: int

    @property
    def units(self) -> int:
        departments = self.administrations * self.departments_per_administration
        return 1 + self.administrations + departments + departments * self.teams_per_department

    @property
    def teams(self) -> int:
        return self.administrations * self.departments_per_administration * self.teams_per_department


SIZES: Final[dict[str, SizeSpec]] = {
    "S": SizeSpec("S", "Skalkommun S", "9001", 1, 1, 3, 15, "one team: a root, a few units, 15 staff", 200, 1),
    "M": SizeSpec("M", "Skalkommun M", "9002", 6, 5, 9, 3000, "a municipality of 40,000 residents", 50_000, 5),
    "L": SizeSpec("L", "Skalkommun L", "9003", 12, 8, 15, 40000, "a city of 1,000,000 residents", 1_000_000, 5),
}
RESPONSIBILITIES_PER_TEAM: Final = 2
AREAS_PER_ADMINISTRATION: Final = 5  # one category per department area of each administration
OPEN311_APPS: Final = ["Felanmälan-appen", "Stadskartan", "Tyck till om din kommun"]


def expected_counts(size: str) -> dict[str, int]:
    """The rows `scale_generate` creates for a size (independent of the seed)."""
    spec = SIZES[size]
    return {
        "units": spec.units,
        "people": spec.people,
        "users": spec.people,
        "memberships": spec.people,
        "leaders": spec.units,
        "registrars": 1,
        "responsibilities": spec.teams * RESPONSIBILITIES_PER_TEAM,
        "routines": spec.units,
        "categories": spec.administrations * AREAS_PER_ADMINISTRATION,
        "open311_clients": len(OPEN311_APPS),
        "cases": spec.cases,
    }


def scale_open311_key(size: str) -> str:
    """The documented API key of the first Open311 app of a size (scale-m-open311-key): benchmark data only."""
    return f"scale-{size.lower()}-open311-key"


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

# What residents call a department's area when they write to it, where the department's own name is internal.
CATEGORY_NAMES: Final = {
    "Förskoleavdelningen": "Förskola",
    "Grundskoleavdelningen": "Grundskola",
    "HR-avdelningen": "Jobba hos oss",
    "Ekonomiavdelningen": "Fakturor och avgifter",
    "Kommunikation och service": "Kontaktcenter och webbplats",
    "IT-avdelningen": "E-tjänster",
    "Kansliet": "Politik och beslut",
    "Gymnasieavdelningen": "Gymnasieskola",
    "Operativa avdelningen": "Räddningsinsatser",
    "Förebyggande avdelningen": "Brandskydd",
    "Teknik": "Brandposter och larm",
    "Förvaltning": "Kommunens fastigheter",
    "Projekt och investeringar": "Byggprojekt",
}
# Areas about places and things: most of their cases are fault reports (felanmälningar), and they get more cases.
FAULT_AREAS: Final = frozenset(
    {
        "Gata och park",
        "Vatten och avlopp",
        "Miljö och hälsoskydd",
        "Idrott och anläggningar",
        "Lokalvård",
        "Fastighetsförvaltning",
        "Fordon och transport",
        "Biblioteken",
        "Fritidsgårdarna",
        "Naturvård",
        "Stadsmiljö",
        "Förvaltning",
        "Energi",
        "IT-avdelningen",
        "Teknik",
    }
)
STREETS: Final = [
    "Storgatan", "Skolvägen", "Parkvägen", "Kyrkogatan", "Ågatan", "Järnvägsgatan", "Björkvägen",
    "Torggatan", "Kvarngatan", "Ringvägen", "Sjövägen", "Industrigatan", "Tallstigen", "Ekallén",
]  # fmt: skip
CASE_TEXTS: Final[dict[str, list[str]]] = {
    Kind.FAULT_REPORT: [
        "Gatlampan vid {street} i {place} lyser inte.",
        "Stort hål i asfalten vid busshållplatsen i {place}.",
        "Gungan på lekplatsen i {place} har en trasig kedja.",
        "Klotter på väggen vid {street} i {place}.",
        "Vattnet forsar ur en brunn på {street}.",
        "Papperskorgen vid {street} har inte tömts på två veckor.",
        "Ett träd har blåst ner över gångvägen i {place}.",
        "Dörren till {place} bibliotek går inte att låsa.",
        "Kranen i omklädningsrummet i {place} sim- och sporthall läcker.",
        "E-tjänsten för att boka tid ger ett felmeddelande när jag skickar.",
    ],
    Kind.COMPLAINT: [
        "Ingen har svarat på mitt mejl på tre veckor.",
        "Snöröjningen i {place} kommer alltid sist.",
        "Hemtjänsten kom två timmar för sent i tisdags.",
        "Det är för varmt inomhus på förskolan i {place} när solen ligger på.",
        "Bussarna till {place} går för sällan på kvällarna.",
        "Handläggningen av mitt ärende har tagit alldeles för lång tid.",
    ],
    Kind.SUGGESTION: [
        "Sätt upp fler bänkar längs promenadstråket i {place}.",
        "Låt eleverna välja mellan två rätter i matsalen.",
        "Skicka information på fler språk än svenska.",
        "Gör det möjligt att betala avgiften med app.",
        "Öppna biblioteket i {place} även på söndagar.",
    ],
    Kind.PRAISE: [
        "Personalen i {place} är fantastiska. Tack!",
        "Vad fint det blev i parken i {place} efter upprustningen!",
        "Tack för snabb hjälp när jag ringde i förra veckan.",
        "Maten på skolan i {place} har blivit mycket bättre.",
    ],
    Kind.QUESTION: [
        "Var kan jag lämna grovsopor?",
        "När börjar höstterminen?",
        "Behöver jag bygglov för ett växthus på 12 kvadratmeter?",
        "Hur ansöker man om trygghetslarm?",
        "Vem ansvarar för vägen förbi {place}?",
    ],
}
REJECTION_REASON: Final = "Det här sköts inte av kommunen. Kontakta Trafikverket på telefon 0771-921 921."


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


# --- The cases --------------------------------------------------------------------------------

# When residents write: per hour of the day (local time), and a weekend day keeps about half of a weekday's cases.
HOUR_WEIGHTS: Final = [1, 1, 1, 1, 1, 2, 4, 10, 14, 15, 14, 12, 11, 12, 12, 11, 10, 9, 9, 10, 10, 8, 5, 2]
WEEKEND_KEEP: Final = 0.45
OTHER_KINDS: Final = [
    (Kind.COMPLAINT.value, 30),
    (Kind.SUGGESTION.value, 22),
    (Kind.QUESTION.value, 25),
    (Kind.PRAISE.value, 15),
]
# A case whose answer-by date has passed is still open with this probability, by its age in days: recent
# misses are common, old forgotten cases rare. Everything else that is past its date is answered or closed.
STILL_OPEN_AFTER_DUE: Final = (0.05, 0.005, 0.0005)  # up to 90 days old, up to a year, older
SJOBACKA: Final = (59.3793, 17.0290)  # where the fictional places are, roughly


@dataclass(slots=True)
class PlannedCase:
    """One case as the services would have left it; indexes point into the plan (categories, people, OPEN311_APPS)."""

    year: int
    sequence: int
    kind: str
    category: int
    unit: int
    status: str
    source: str
    open311_app: int | None
    assignee: int | None
    text: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    contact_name: str
    contact_email: str
    contact_phone: str
    wants_answer: bool
    language: str
    submitted_at: datetime.datetime
    acknowledge_due: datetime.date
    answer_due: datetime.date
    acknowledged_at: datetime.datetime | None = None
    answered_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None
    rejection_reason: str = ""
    resolved: bool | None = None
    resolved_answered_at: datetime.datetime | None = None
    answer: str = ""  # the text of its one answer entry (CaseEntry); empty when it has none
    answered_by: int | None = None  # person index: the case handler, else the unit's leader
    answer_at: datetime.datetime | None = None  # when that entry was written

    @property
    def number(self) -> str:
        return case_number_format(year=self.year, sequence=self.sequence)

    @property
    def updated_at(self) -> datetime.datetime:
        moments = (self.acknowledged_at, self.answered_at, self.closed_at, self.resolved_answered_at)
        return max([self.submitted_at, *(m for m in moments if m is not None)])


def _moments(plan: ScalePlan, rng: random.Random, now: datetime.datetime) -> list[int]:
    """When each case came in, sorted, as local seconds since 0001-01-01: numbers follow this order."""
    spec = plan.spec
    local_now = timezone.localtime(now)
    latest = local_now - datetime.timedelta(minutes=5)
    latest_key = latest.date().toordinal() * 86400 + latest.hour * 3600 + latest.minute * 60 + latest.second
    today = local_now.date().toordinal()
    days = spec.case_years * 365
    hours = list(accumulate(HOUR_WEIGHTS))
    keys: list[int] = []
    while len(keys) < spec.cases:
        day = today - rng.randrange(days)
        if (day + 6) % 7 >= 5 and rng.random() > WEEKEND_KEEP:  # (ordinal + 6) % 7 is the weekday
            continue
        key = day * 86400 + bisect(hours, rng.random() * hours[-1]) * 3600 + rng.randrange(3600)
        if key <= latest_key:
            keys.append(key)
    keys.sort()
    return keys


def scale_cases(plan: ScalePlan, *, now: datetime.datetime) -> Iterator[PlannedCase]:
    """The cases of a plan in the order they came in, numbered per (local) year from 1 without gaps.

    Deterministic for the plan and `now`. Cases still within their promise are mostly open; older ones are
    answered or closed, apart from a few forgotten ones (overdue). Due dates are computed with the working-day
    calendar once per day and number of days (a few thousand calls for a million cases). Moments are in UTC.

    A million cases pass through this loop, so it is written for speed: `pick` instead of `rng.choice`, the
    constants bound to local names, the day's start and due dates looked up rather than computed."""
    spec = plan.spec
    rng = random.Random(f"{spec.label}-{plan.seed}-cases")
    random_ = rng.random
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now)
    latest = now.astimezone(datetime.UTC) - datetime.timedelta(minutes=1)
    members = plan.members_of()
    categories = plan.categories
    category_weights = list(accumulate(c.weight for c in categories))
    other_kinds = [kind for kind, _weight in OTHER_KINDS]
    other_weights = list(accumulate(weight for _kind, weight in OTHER_KINDS))
    open311_weights = list(accumulate([6, 3, 1][: len(OPEN311_APPS)]))
    fault_report, received = Kind.FAULT_REPORT.value, Status.RECEIVED.value
    web, open311 = Case.Source.WEB.value, Case.Source.OPEN311.value
    mail_domain = f"skalkommun-{spec.label.lower()}.example"
    texts = {kind: list(texts) for kind, texts in CASE_TEXTS.items()}
    days: dict[int, tuple[datetime.date, datetime.datetime]] = {}  # ordinal: the day, its local start in UTC
    due_dates: dict[int, datetime.date] = {}  # ordinal * 64 + working days: the due date

    def pick[T](items: Sequence[T]) -> T:
        return items[int(random_() * len(items))]

    def due(ordinal: int, day: datetime.date, working_days: int) -> datetime.date:
        key = ordinal * 64 + working_days
        found = due_dates.get(key)
        if found is None:
            found = due_dates[key] = add_working_days(day, working_days)
        return found

    def later(start: datetime.datetime, low_hours: float, high_hours: float) -> datetime.datetime:
        moment = start + datetime.timedelta(seconds=(low_hours + (high_hours - low_hours) * random_()) * 3600)
        return moment if moment < latest else latest

    sequences: dict[int, int] = {}
    for key in _moments(plan, rng, now):
        ordinal = key // 86400
        if ordinal not in days:
            local = datetime.date.fromordinal(ordinal)
            start = datetime.datetime(local.year, local.month, local.day, tzinfo=zone).astimezone(datetime.UTC)
            days[ordinal] = (local, start)
        day, day_start = days[ordinal]
        submitted = day_start + datetime.timedelta(seconds=key % 86400)
        year = day.year
        sequences[year] = sequence = sequences.get(year, 0) + 1
        index = bisect(category_weights, random_() * category_weights[-1])
        index = min(index, len(categories) - 1)
        category = categories[index]
        fault = random_() < category.fault_share
        kind = fault_report if fault else other_kinds[bisect(other_weights, random_() * other_weights[-1])]
        if fault and category.fault_answer_days is not None:
            acknowledge_days, answer_days = 1, category.fault_answer_days  # as services.promise_for chooses
        else:
            acknowledge_days, answer_days = DEFAULT_ACKNOWLEDGE_DAYS, category.answer_days
        place, street = pick(PLACES), pick(STREETS)
        app = bisect(open311_weights, random_() * open311_weights[-1]) if fault and random_() < 0.2 else None
        email = f"invanare-{year}-{sequence}@{mail_domain}" if random_() < 0.7 else ""
        latitude = longitude = None
        if fault and random_() < 0.6:
            latitude = Decimal(f"{SJOBACKA[0] + (random_() - 0.5) * 0.12:.6f}")
            longitude = Decimal(f"{SJOBACKA[1] + (random_() - 0.5) * 0.2:.6f}")
        case = PlannedCase(
            year,
            sequence,
            kind,
            index,
            category.unit,
            received,
            open311 if app is not None else web,
            app,
            None,
            pick(texts[kind]).format(place=place, street=street),
            f"{street} {1 + int(random_() * 60)}, {place}" if fault or random_() < 0.15 else "",
            latitude,
            longitude,
            f"{pick(FIRST_NAMES)} {pick(LAST_NAMES)}" if random_() < 0.5 else "",
            email,
            f"07{int(random_() * 10)}-{1_000_000 + int(random_() * 9_000_000)}" if random_() < 0.15 else "",
            bool(email) and random_() < 0.85,
            "en" if random_() < 0.04 else "sv",
            submitted,
            due(ordinal, day, acknowledge_days),
            due(ordinal, day, answer_days),
        )
        _story(case, random_, today=today, age=(today - day).days, zone=zone, later=later)
        if case.status != received or random_() < 0.1:
            unit_members = members[case.unit]
            case.assignee = unit_members[0] if random_() < 0.3 else pick(unit_members)
        if case.answer:
            case.answered_by = case.assignee if case.assignee is not None else members[case.unit][0]
        yield case


_RECEIVED, _IN_PROGRESS = Status.RECEIVED.value, Status.IN_PROGRESS.value
_ANSWERED, _CLOSED = Status.ANSWERED.value, Status.CLOSED.value


def _story(
    case: PlannedCase,
    random_: Callable[[], float],
    *,
    today: datetime.date,
    age: int,
    zone: datetime.tzinfo,
    later: Callable[[datetime.datetime, float, float], datetime.datetime],
) -> None:
    """How far the case has come by today: its status, and the moments the services would have recorded."""
    if case.answer_due >= today:  # still within the promise
        r = random_()
        status = _RECEIVED if r < 0.35 else _IN_PROGRESS if r < 0.7 else _ANSWERED if r < 0.92 else _CLOSED
    elif random_() < STILL_OPEN_AFTER_DUE[0 if age <= 90 else 1 if age <= 365 else 2]:
        status = _IN_PROGRESS if random_() < 0.6 else _RECEIVED
    else:
        status = _ANSWERED if random_() < 0.2 else _CLOSED
    case.status = status
    if status == _RECEIVED:
        return
    acknowledged = case.acknowledged_at = later(case.submitted_at, 0.3, 40)
    if status == _IN_PROGRESS:
        return
    if status == _CLOSED and random_() < 0.03:  # not for us: closed with a reason (services.case_reject)
        case.rejection_reason = case.answer = REJECTION_REASON
        closed = case.closed_at = case.answer_at = later(case.submitted_at, 1, 72)
        case.acknowledged_at = min(acknowledged, closed)
        return
    due = case.answer_due
    end_of_due = datetime.datetime(due.year, due.month, due.day, 16, tzinfo=zone).astimezone(datetime.UTC)
    if due >= today or random_() < 0.88:  # in time
        answered = later(case.submitted_at, 0.5, max((end_of_due - case.submitted_at).total_seconds() / 3600, 1))
    else:
        answered = later(end_of_due, 1, 240)
    case.answered_at = case.answer_at = answered
    case.acknowledged_at = min(acknowledged, answered)
    case.answer = ANSWERS[case.kind]
    if status == _CLOSED:
        case.closed_at = answered if random_() < 0.5 else later(answered, 1, 14 * 24)
    if case.wants_answer and random_() < 0.3:
        case.resolved = random_() < 0.75
        case.resolved_answered_at = later(answered, 1, 240)


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
    registrar_username: str  # sees every case of the municipality
    open311_key: str  # the API key of the first Open311 app


def scale_username(size: str, number: int) -> str:
    return f"scale-{size.lower()}-{number}"


def _batches[M: models.Model](rows: Sequence[M]) -> Iterator[Sequence[M]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def _statistics_refresh() -> None:
    """On PostgreSQL, ANALYZE the tables just filled, as autovacuum would soon do.

    Without it the planner knows nothing about the new rows, and a page measured straight after the
    load (the benchmark does that) scans all 40,000 people where it would use an index in production.
    SQLite gathers no statistics by itself, so none are made there either: it is measured as it would run.
    """
    if connection.vendor != "postgresql":
        return
    models_filled: list[type[models.Model]] = [User, Person, Unit, Membership, Responsibility, Routine]
    models_filled += [Category, ServicePromise, CaseNumberSeries, Open311Client, Case, CaseEntry]
    with connection.cursor() as cursor:
        for model in models_filled:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


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
    total += len(plan.categories) + spec.cases
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
        with _sqlite_cache(megabytes=256):
            case_counts = _cases_write(plan, municipality, now, saved_units, people, categories, apps, bar)
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
        }
        extra: dict[str, Any] = {"size": size, "seed": seed, "counts": counts}
        audit_record(actor=None, action=AUDIT_ACTION, target=municipality, municipality=municipality, extra=extra)

    _statistics_refresh()
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


def _rows_insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows as they are: COPY on PostgreSQL, one prepared INSERT for all rows on SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            insert = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - quoted names of ours
            cursor.executemany(insert, rows)


@contextmanager
def _sqlite_cache(*, megabytes: int) -> Iterator[None]:
    """On SQLite, a page cache big enough for the indexes of a million cases while they are written (default 2 MB).

    The connection's own setting comes back afterwards, so that what is measured later runs as configured."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _datetime_adapter() -> Callable[[datetime.datetime | None], Any]:
    """What the backend stores for an aware datetime; on SQLite the same text as Django's, made in a tenth of the time."""
    adapt: Callable[[datetime.datetime | None], Any] = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or connection.timezone_name != "UTC":
        return adapt

    def as_text(value: datetime.datetime | None) -> str | None:
        return None if value is None else str(value.astimezone(datetime.UTC).replace(tzinfo=None))

    return as_text


def _next_id(model: type[models.Model]) -> int:
    return int(model._default_manager.aggregate(last=models.Max("pk"))["last"] or 0) + 1


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
    """Write the cases and their answers batch by batch (a million never sit in memory), then the number series.

    These two tables are written as plain rows rather than with bulk_create: building a million model instances
    and their INSERT statements in the ORM takes about 0.7 ms a case (12 minutes for size L), the rows alone a
    tenth of it. The ids are given here (after the largest one in the table), so that answers can name their
    case without reading it back, and PostgreSQL's sequences are moved past them at the end."""
    counts = {"cases": 0, "cases_open": 0, "cases_overdue": 0, "answers": 0}
    last_numbers: dict[int, int] = {}
    today = timezone.localdate(now)
    ops = connection.ops
    when, day = _datetime_adapter(), ops.adapt_datefield_value
    municipality_id = municipality.pk
    unit_ids = [u.pk for u in units]
    person_ids = [p.pk for p in people]
    category_ids = [c.pk for c in categories]
    app_ids = [a.pk for a in apps]
    case_id, entry_id = _next_id(Case), _next_id(CaseEntry)
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
            if c.status in (Status.RECEIVED, Status.IN_PROGRESS):
                counts["cases_open"] += 1
                counts["cases_overdue"] += c.answer_due < today
        _rows_insert(Case, CASE_COLUMNS, case_rows)
        _rows_insert(CaseEntry, ENTRY_COLUMNS, entry_rows)
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
    return counts
