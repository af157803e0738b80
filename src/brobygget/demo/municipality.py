"""The demo municipality: fictional, but shaped like a real Swedish one."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from brobygget.core.models import Municipality, Principle
from brobygget.core.services import principle_tags_set
from brobygget.demo.dialog import demo_dialog_load
from brobygget.demo.improvement import demo_improvement_load
from brobygget.organisation.models import Person, Role, Unit
from brobygget.organisation.services import (
    membership_add,
    person_create,
    responsibility_set,
    routine_create,
    staff_account_create,
    unit_create,
)

DEMO_MUNICIPALITY_CODE = "9999"
DEMO_MUNICIPALITY_NAME = "Sjöbacka kommun"
DEMO_PASSWORD = "brobygget-demo"  # noqa: S105 - documented demo login, refused when DEBUG is off

# (code, name, kind, parent code, what it does)
UNITS: list[tuple[str, str, str, str | None, str]] = [
    ("KS", "Kommunstyrelsen", Unit.Kind.BOARD, None, "Leder och samordnar kommunens arbete."),
    (
        "KLF",
        "Kommunledningsförvaltningen",
        Unit.Kind.ADMINISTRATION,
        "KS",
        "Stöd till hela kommunen: ekonomi, HR och kommunikation.",
    ),
    ("HR", "HR-avdelningen", Unit.Kind.DEPARTMENT, "KLF", "Rekrytering, arbetsmiljö och lön."),
    ("KOM", "Kommunikation och service", Unit.Kind.DEPARTMENT, "KLF", "Webb, press och kommunens kontaktcenter."),
    ("KC", "Kontaktcenter", Unit.Kind.TEAM, "KOM", "Tar emot frågor, synpunkter och felanmälningar från invånare."),
    (
        "BUF",
        "Barn- och utbildningsförvaltningen",
        Unit.Kind.ADMINISTRATION,
        "KS",
        "Förskola, grundskola och fritidshem.",
    ),
    ("FSK", "Förskoleavdelningen", Unit.Kind.DEPARTMENT, "BUF", "Kommunens förskolor."),
    ("FSK-SOL", "Förskolan Solrosen", Unit.Kind.TEAM, "FSK", "Förskola med fem avdelningar i Norrby."),
    ("FSK-EKO", "Förskolan Ekorren", Unit.Kind.TEAM, "FSK", "Naturförskola vid Sjöbacka skog."),
    ("GSK", "Grundskoleavdelningen", Unit.Kind.DEPARTMENT, "BUF", "Kommunens grundskolor."),
    ("GSK-SJO", "Sjöbackaskolan F–9", Unit.Kind.TEAM, "GSK", "Grundskola med 620 elever."),
    ("SOC", "Socialförvaltningen", Unit.Kind.ADMINISTRATION, "KS", "Äldreomsorg, stöd och omsorg."),
    ("AO", "Äldreomsorgen", Unit.Kind.DEPARTMENT, "SOC", "Hemtjänst och särskilda boenden."),
    ("HT-N", "Hemtjänst Norr", Unit.Kind.TEAM, "AO", "Hemtjänst i norra kommundelen."),
    ("HT-S", "Hemtjänst Söder", Unit.Kind.TEAM, "AO", "Hemtjänst i södra kommundelen."),
    ("SBF", "Samhällsbyggnadsförvaltningen", Unit.Kind.ADMINISTRATION, "KS", "Gator, parker, bygglov och miljö."),
    ("GP", "Gata och park", Unit.Kind.DEPARTMENT, "SBF", "Sköter gator, gång- och cykelvägar, parker och lekplatser."),
    ("GP-PARK", "Parkenheten", Unit.Kind.TEAM, "GP", "Parker, lekplatser och grönytor."),
    ("GP-GATA", "Gatuenheten", Unit.Kind.TEAM, "GP", "Gator, belysning och vinterväghållning."),
    ("BYGG", "Bygglovsenheten", Unit.Kind.DEPARTMENT, "SBF", "Bygglov, rivningslov och anmälningar."),
]

# (employee number, first name, last name, title, unit code, role, login)
PEOPLE: list[tuple[str, str, str, str, str, str, str | None]] = [
    ("1001", "Karin", "Lindqvist", "Kommundirektör", "KS", Role.LEADER, None),
    ("1002", "Anders", "Holm", "Systemförvaltare", "KS", Role.ADMIN, "admin"),
    ("1003", "Maria", "Ek", "Registrator", "KS", Role.REGISTRAR, "registrator"),
    ("1004", "Johan", "Berg", "Förvaltningschef", "KLF", Role.LEADER, None),
    ("1005", "Sara", "Nyström", "HR-chef", "HR", Role.LEADER, None),
    ("1006", "Ali", "Hassan", "HR-specialist", "HR", Role.STAFF, None),
    ("1007", "Eva", "Sandberg", "Kommunikationschef", "KOM", Role.LEADER, None),
    ("1008", "Lina", "Öberg", "Gruppledare kontaktcenter", "KC", Role.LEADER, None),
    ("1009", "Oskar", "Wall", "Kommunvägledare", "KC", Role.STAFF, None),
    ("1010", "Fatima", "Karimi", "Kommunvägledare", "KC", Role.STAFF, None),
    ("1011", "Per", "Åkesson", "Förvaltningschef", "BUF", Role.LEADER, None),
    ("1012", "Helena", "Strand", "Förskolechef", "FSK", Role.LEADER, None),
    ("1013", "Emma", "Lund", "Förskolechef", "FSK-SOL", Role.LEADER, None),
    ("1014", "Nils", "Björk", "Förskollärare", "FSK-SOL", Role.STAFF, None),
    ("1015", "Amina", "Yusuf", "Barnskötare", "FSK-SOL", Role.STAFF, None),
    ("1016", "Sofia", "Dahl", "Förskolechef", "FSK-EKO", Role.LEADER, None),
    ("1017", "Erik", "Sjöberg", "Förskollärare", "FSK-EKO", Role.STAFF, None),
    ("1018", "Magnus", "Falk", "Grundskolechef", "GSK", Role.LEADER, None),
    ("1019", "Ingrid", "Nord", "Rektor", "GSK-SJO", Role.LEADER, None),
    ("1020", "Tobias", "Hedlund", "Lärare", "GSK-SJO", Role.STAFF, None),
    ("1021", "Leila", "Ahmadi", "Lärare", "GSK-SJO", Role.STAFF, None),
    ("1022", "Birgitta", "Sund", "Förvaltningschef", "SOC", Role.LEADER, None),
    ("1023", "Hanna", "Forsberg", "Verksamhetschef", "AO", Role.LEADER, None),
    ("1024", "Jonas", "Vik", "Enhetschef", "HT-N", Role.LEADER, None),
    ("1025", "Marta", "Nowak", "Undersköterska", "HT-N", Role.STAFF, None),
    ("1026", "Daniel", "Ström", "Enhetschef", "HT-S", Role.LEADER, None),
    ("1027", "Aisha", "Omar", "Undersköterska", "HT-S", Role.STAFF, None),
    ("1028", "Gustav", "Lindberg", "Förvaltningschef", "SBF", Role.LEADER, None),
    ("1029", "Camilla", "Rosén", "Gatu- och parkchef", "GP", Role.LEADER, "chef"),
    ("1030", "Peter", "Norén", "Enhetschef park", "GP-PARK", Role.LEADER, None),
    ("1031", "Elin", "Månsson", "Parkarbetare", "GP-PARK", Role.STAFF, "medarbetare"),
    ("1032", "Ahmed", "Saleh", "Parkarbetare", "GP-PARK", Role.STAFF, None),
    ("1033", "Lars", "Grön", "Enhetschef gata", "GP-GATA", Role.LEADER, None),
    ("1034", "Mikael", "Ek", "Gatuarbetare", "GP-GATA", Role.STAFF, None),
    ("1035", "Annika", "Blom", "Bygglovschef", "BYGG", Role.LEADER, None),
    ("1036", "Reza", "Tehrani", "Bygglovshandläggare", "BYGG", Role.STAFF, None),
]

# (unit code, area, employee number)
RESPONSIBILITIES = [
    ("GP", "Arbetsmiljö", "1029"),
    ("GP", "Synpunkter och felanmälningar", "1030"),
    ("GP-PARK", "Lekplatsbesiktning", "1031"),
    ("GP-PARK", "Maskiner och fordon", "1032"),
    ("KC", "Synpunkter och felanmälningar", "1008"),
    ("KS", "Registrering av allmänna handlingar", "1003"),
    ("FSK-SOL", "Brandskydd", "1014"),
    ("HT-N", "Läkemedelshantering", "1025"),
]

# (unit code, title, owner, review in days from today (negative: overdue), description, principle slugs)
ROUTINES: list[tuple[str, str, str, int, str, list[str]]] = [
    (
        "GP-PARK",
        "Besiktning av lekplatser",
        "1031",
        12,
        "Varje lekplats besiktigas en gång i månaden enligt checklista.",
        ["alla-kan-gora-ratt"],
    ),
    (
        "GP-PARK",
        "Rapportera tillbud",
        "1030",
        -5,
        "Så rapporterar du ett tillbud eller en olycka samma dag.",
        ["tillatande-klimat"],
    ),
    (
        "GP",
        "Svara på synpunkter",
        "1029",
        25,
        "Varje synpunkt besvaras inom tio arbetsdagar av den som ansvarar.",
        ["varde-for-medborgaren", "tydliga"],
    ),
    ("GP-GATA", "Vinterväghållning", "1033", 200, "Prioritetsordning för plogning och sandning.", []),
    (
        "KC",
        "Ta emot felanmälan per telefon",
        "1008",
        40,
        "Registrera direkt, läs upp ärendenumret för den som ringer.",
        ["alla-kan-gora-ratt"],
    ),
    ("FSK-SOL", "Hämtning och lämning", "1013", 90, "Vem får hämta, och hur vi gör när någon annan kommer.", []),
    ("HT-N", "Nyckelhantering", "1024", 3, "Kvittens av nycklar och kontroll varje fredag.", ["tydliga"]),
    ("KS", "Diarieföring", "1003", 150, "Hur allmänna handlingar registreras och när de får gallras.", ["tydliga"]),
]


@transaction.atomic
def demo_municipality_load() -> dict[str, Any]:
    """Create the demo municipality; returns what was made. Runs as a system job (actor None)."""
    municipality = Municipality.objects.create(name=DEMO_MUNICIPALITY_NAME, code=DEMO_MUNICIPALITY_CODE)
    units: dict[str, Unit] = {}
    for code, name, kind, parent, description in UNITS:
        units[code] = unit_create(
            actor=None,
            municipality=municipality,
            code=code,
            name=name,
            kind=kind,
            parent=units[parent] if parent else None,
            description=description,
        )
    people: dict[str, Person] = {}
    logins: list[tuple[str, str]] = []
    for number, first, last, title, unit_code, role, login in PEOPLE:
        email = f"{login or number}@sjobacka.example"
        person = person_create(
            actor=None,
            municipality=municipality,
            employee_number=number,
            first_name=first,
            last_name=last,
            email=email,
            title=title,
        )
        people[number] = person
        membership_add(actor=None, person=person, unit=units[unit_code], role=role)
        if login:
            staff_account_create(
                actor=None, person=person, username=login, password=DEMO_PASSWORD, is_superuser=role == Role.ADMIN
            )
            logins.append((login, title))
    for unit_code, area, number in RESPONSIBILITIES:
        responsibility_set(actor=None, unit=units[unit_code], area=area, person=people[number])
    principles = {p.slug: p for p in Principle.objects.all()}
    today = timezone.localdate()
    for unit_code, title, owner, days, description, slugs in ROUTINES:
        routine = routine_create(
            actor=None,
            unit=units[unit_code],
            owner=people[owner],
            title=title,
            review_date=today + datetime.timedelta(days=days),
            description=description,
        )
        if slugs:
            principle_tags_set(
                actor=None, target=routine, municipality=municipality, principles=[principles[s] for s in slugs]
            )
    cases = demo_dialog_load(municipality, people, units)
    improvement = demo_improvement_load(municipality, people, units)
    return {
        "municipality": municipality,
        "units": len(units),
        "people": len(people),
        "cases": cases,
        "improvements": len(improvement.improvements) + len(improvement.spread),
        "deviations": improvement.deviations,
        "learnings": improvement.learnings,
        "logins": logins,
    }
