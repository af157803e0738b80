"""The demo municipality: fictional, but shaped like a real Swedish one."""

import datetime
import io
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from brobygget.core.models import Municipality, Principle
from brobygget.core.services import principle_tags_set
from brobygget.demo.dialog import demo_dialog_load
from brobygget.demo.goals import demo_goals_load
from brobygget.demo.improvement import demo_improvement_load
from brobygget.demo.openresults import demo_openresults_load
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

# The face of the public pages (core/face.py). The phone number is in the range PTS keeps for fiction.
FACE: dict[str, str] = {
    "phone": "0980-31 92 00",
    "email": "kontakt@sjobacka.example",
    "visiting_address": "Kommunhuset, Storgatan 12\n645 80 Sjöbacka",
    "opening_hours": (
        "Kontaktcenter svarar i telefon och tar emot besök i kommunhuset:\n\n"
        "Måndag–torsdag 8.00–16.30\nFredag 8.00–15.00\nDag före helgdag 8.00–13.00"
    ),
    "privacy_purpose": (
        "När du lämnar en synpunkt, ställer en fråga eller gör en felanmälan behandlar vi de uppgifter du ger oss: "
        "det du skriver, foton du skickar med, och ditt namn, din e-postadress och ditt telefonnummer om du "
        "lämnar dem. Vi använder uppgifterna för att handlägga ärendet, svara dig och följa upp vad vi gjorde.\n\n"
        "Vi använder också ärendena, utan namn och kontaktuppgifter, för att se vad vi kan förbättra. När vi "
        "visar resultat öppet skriver medarbetare en egen sammanfattning; din text publiceras aldrig."
    ),
    "privacy_legal_basis": (
        "Vi behandlar uppgifterna för att utföra en uppgift av allmänt intresse och som ett led i "
        "myndighetsutövning (artikel 6.1 e i dataskyddsförordningen), eftersom kommunen enligt "
        "förvaltningslagen ska ta emot och besvara frågor och synpunkter från allmänheten.\n\n"
        "Det du skickar in blir en allmän handling. Skriv därför inte personnummer eller uppgifter om hälsa."
    ),
    "privacy_retention": (
        "Ärenden sparas enligt kommunens dokumenthanteringsplan. Synpunkter och felanmälningar gallras två år "
        "efter att ärendet avslutades. Namn och kontaktuppgifter tas bort när ärendet gallras.\n\n"
        "Lämnar du ingen kontaktuppgift är ärendet anonymt. Då kan vi inte svara dig, men du kan följa ärendet "
        "med din egen länk."
    ),
    "privacy_rights": (
        "Begär ett registerutdrag genom att skriva till kontakt@sjobacka.example eller till Sjöbacka kommun, "
        "Kontaktcenter, 645 80 Sjöbacka. Vi behöver kunna se att det är du som frågar, så vi skickar utdraget "
        "till din folkbokföringsadress. Du får svar inom en månad."
    ),
    "privacy_dpo_contact": (
        "Kommunens dataskyddsombud nås på dataskyddsombud@sjobacka.example eller via kontaktcenter på 0980-31 92 00."
    ),
    "accessibility_shortcomings": (
        "Att peka ut platsen på kartan i formuläret för felanmälan kräver mus eller pekskärm. Med tangentbord "
        "eller skärmläsare skriver du i stället adressen eller platsen med ord, eller koordinaterna i fälten vid "
        "kartan; kartan är ett komplement. Kartbilderna har ingen textbeskrivning.\n\n"
        "Foton som du och andra invånare skickar in har bara en allmän textbeskrivning (”Bild 1 som du "
        "skickade”), eftersom vi inte vet vad de visar.\n\n"
        "Medarbetare som är inloggade loggas ut efter 60 minuter utan aktivitet, utan en varning i förväg "
        "(WCAG 2.2.1 Justerbar tidsgräns). Det du skrivit men inte sparat kan då gå förlorat. Vi planerar en "
        "varning med möjlighet att förlänga.\n\n"
        "Rapporter som webbplatsen skapar som PDF-filer, till exempel uppföljningen av mål, har inte testats för "
        "tillgänglighet. Samma innehåll finns som vanliga webbsidor.\n\n"
        "Texter som kommunen själv skriver, till exempel kategorier och svar, finns bara på svenska."
    ),
    "accessibility_burden": "",
    "accessibility_out_of_scope": (
        "Dokument i PDF och andra filer som kommunen länkar till från andra webbplatser omfattas inte av den här "
        "redogörelsen."
    ),
    "accessibility_testing": (
        "Vi har gjort en självskattning. Varje gång programvaran ändras körs automatiska tester med verktyget "
        "axe-core mot kraven i WCAG 2.1 nivå A och AA, på de publika sidorna och medarbetarnas sidor, i "
        "skärmbredd för dator (1280 bildpunkter) och mobil (375 bildpunkter). Testerna kontrollerar också att "
        "ingen sida behöver rullas i sidled. Automatiska resor genom formulären görs med etiketter och roller, "
        "som en skärmläsare använder dem.\n\n"
        "Automatiska tester hittar bara en del av alla brister. Webbplatsen har ännu inte granskats av en "
        "extern expert eller testats av personer som använder skärmläsare eller förstoring."
    ),
}


def demo_logo() -> ContentFile[bytes]:
    """The demo municipality's logo: a bridge over water and the name, drawn here (no file in the repository). The
    name is written in DejaVu Sans where the system has it; without it the logo is the bridge alone (the page gives
    the name as the logo's text either way)."""
    try:
        font: ImageFont.FreeTypeFont | None = ImageFont.truetype("DejaVuSans-Bold.ttf", 44)
    except OSError:
        font = None
    text_width = int(font.getlength(DEMO_MUNICIPALITY_NAME)) + 24 if font else 0
    image = Image.new("RGB", (150 + text_width, 120), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.arc((10, 30, 130, 150), start=180, end=360, fill="#0b4f6c", width=10)
    draw.line((10, 90, 130, 90), fill="#0b4f6c", width=8)
    for x in range(18, 130, 24):
        draw.line((x, 104, x + 12, 104), fill="#2b7a9b", width=5)
    if font:
        draw.text((150, 60), DEMO_MUNICIPALITY_NAME, fill="#0b4f6c", font=font, anchor="lm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())


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
    today = timezone.localdate()
    municipality = Municipality(
        name=DEMO_MUNICIPALITY_NAME,
        code=DEMO_MUNICIPALITY_CODE,
        accessibility_compliance=Municipality.Compliance.PARTIAL,
        accessibility_statement_date=today - datetime.timedelta(days=120),
        accessibility_reviewed_date=today - datetime.timedelta(days=14),
        **FACE,
    )
    municipality.logo.save("sjobacka-logotyp.png", demo_logo(), save=False)
    municipality.save()
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
    goals = demo_goals_load(municipality, people, units)
    publications = demo_openresults_load(municipality)
    return {
        "municipality": municipality,
        "units": len(units),
        "people": len(people),
        "cases": cases,
        "improvements": len(improvement.improvements) + len(improvement.spread),
        "deviations": improvement.deviations,
        "learnings": improvement.learnings,
        "goals": len(goals.goals),
        "follow_ups": goals.follow_ups,
        "indicators": goals.indicators,
        "publications": len(publications),
        "logins": logins,
    }
