"""The demo municipality's dialogue: categories, promises, answer templates, an Open311 key,
and a few dozen cases in every status, spread over the last weeks."""

import datetime
import random

import time_machine
from django.db import transaction
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.dialog.models import AnswerTemplate, Case, Category, Kind, ServicePromise
from brobygget.dialog.services import (
    SubmissionInput,
    case_answer,
    case_assign,
    case_note,
    case_reject,
    case_resident_reply,
    case_resolved_set,
    case_status_set,
    feedback_submit,
    open311_client_create,
)
from brobygget.organisation.models import Person, Unit

DEMO_OPEN311_KEY = "demo-open311-key"

# (code, name, unit code, description, answer days for fault reports or None)
CATEGORIES = [
    ("gator", "Gator, trottoarer och cykelvägar", "GP-GATA", "Hål i vägen, snöröjning, skyltar och trafik.", 3),
    ("belysning", "Gatubelysning", "GP-GATA", "Lampor som inte lyser eller blinkar.", 3),
    ("parker", "Parker och lekplatser", "GP-PARK", "Trasiga lekredskap, skräp, gräs och träd.", 3),
    ("forskola", "Förskola", "FSK", "Förskolans verksamhet, lokaler och mat.", None),
    ("skola", "Grundskola", "GSK", "Skolans undervisning, lokaler och mat.", None),
    ("aldreomsorg", "Äldreomsorg och hemtjänst", "AO", "Hemtjänst, särskilt boende och trygghetslarm.", None),
    ("bygglov", "Bygglov", "BYGG", "Handläggning av bygglov och anmälningar.", None),
    ("ovrigt", "Annat", "KC", "Allt annat. Kontaktcenter ser till att rätt person får det.", None),
]

TEMPLATES = [
    (
        "Tack för felanmälan",
        "Tack för att du hörde av dig! Vi har skickat ut en arbetsgrupp och felet åtgärdas inom de närmaste dagarna.",
    ),
    ("Tack för berömmet", "Tack för dina fina ord! Vi har berättat för medarbetarna, som blev mycket glada."),
    ("Inte kommunens ansvar", "Det här sköts inte av kommunen. Kontakta Trafikverket på telefon 0771-921 921."),
]

# (kind, category code, text, address, contact?, story)  story: received / in_progress / answered / closed / rejected
CASES = [
    (
        "fault_report",
        "belysning",
        "Gatlampan utanför Storgatan 12 har inte lyst på en vecka.",
        "Storgatan 12",
        True,
        "answered",
    ),
    (
        "fault_report",
        "parker",
        "Gungan på lekplatsen i Norrbyparken har en trasig kedja.",
        "Norrbyparken",
        True,
        "closed",
    ),
    ("fault_report", "gator", "Stort hål i asfalten vid busshållplatsen Torget.", "Torget", False, "in_progress"),
    ("complaint", "aldreomsorg", "Hemtjänsten kom två timmar för sent till min mamma i tisdags.", "", True, "answered"),
    ("praise", "forskola", "Personalen på Solrosen är fantastiska med vår son. Tack!", "", True, "closed"),
    (
        "suggestion",
        "parker",
        "Det behövs fler soptunnor vid badplatsen på sommaren.",
        "Sjöbacka badplats",
        True,
        "in_progress",
    ),
    ("question", "bygglov", "Behöver jag bygglov för ett växthus på 12 kvadratmeter?", "", True, "answered"),
    ("complaint", "gator", "Cykelvägen längs Ån plogas alltid sist.", "Ågatan", True, "received"),
    ("fault_report", "gator", "Skylten vid rondellen är nedkörd.", "Rondellen vid Väg 55", False, "rejected"),
    ("suggestion", "skola", "Låt eleverna välja mellan två rätter i matsalen.", "", False, "received"),
    ("fault_report", "belysning", "Tre lampor i rad är släckta på Parkvägen.", "Parkvägen", True, "received"),
    ("complaint", "forskola", "Det är för varmt inomhus på Ekorren när solen ligger på.", "", True, "in_progress"),
    ("question", "ovrigt", "Var kan jag lämna grovsopor?", "", True, "answered"),
    ("praise", "parker", "Vad fint det blev i stadsparken efter upprustningen!", "Stadsparken", False, "closed"),
    ("fault_report", "parker", "Klätterställningen har en lös planka.", "Lekplatsen Solbacken", True, "received"),
    ("complaint", "bygglov", "Mitt bygglov har tagit sju veckor och ingen svarar i telefon.", "", True, "in_progress"),
    ("suggestion", "gator", "Sätt upp en hastighetsskylt som visar farten vid skolan.", "Skolvägen", True, "answered"),
    ("fault_report", "gator", "Vattenläcka i gatan, det forsar vatten.", "Kvarngatan 4", True, "closed"),
    ("question", "aldreomsorg", "Hur ansöker man om trygghetslarm?", "", True, "received"),
    ("complaint", "ovrigt", "Kommunens växel svarar inte efter 15.", "", False, "received"),
    ("praise", "aldreomsorg", "Hemtjänst Söder är alltid glada och hjälpsamma.", "", True, "answered"),
    (
        "fault_report",
        "belysning",
        "Lampan vid gångtunneln blinkar hela natten.",
        "Gångtunneln vid stationen",
        True,
        "in_progress",
    ),
    ("suggestion", "ovrigt", "Gör det möjligt att betala parkering med app.", "", True, "rejected"),
    ("complaint", "parker", "Hundbajspåsar saknas i Norrbyparken.", "Norrbyparken", True, "answered"),
    ("fault_report", "gator", "Brunnslocket skramlar när bilar kör över.", "Storgatan 30", False, "received"),
    ("question", "skola", "När börjar höstterminen?", "", True, "closed"),
    ("complaint", "gator", "Snöhögen vid övergångsstället skymmer sikten.", "Skolvägen 2", True, "received"),
    ("suggestion", "forskola", "Skicka veckobrevet på fler språk.", "", True, "in_progress"),
]

ANSWERS = {
    "fault_report": "Tack! Vi har åtgärdat felet.",
    "complaint": "Tack för att du berättade. Vi har gått igenom vad som hände och ändrat våra rutiner.",
    "praise": "Tack för dina fina ord! Vi har berättat för medarbetarna.",
    "suggestion": "Tack för förslaget! Vi provar det under våren och berättar hur det gick.",
    "question": "Tack för frågan! Du hittar svaret på kommunens webbplats under Bo och bygga.",
}


@transaction.atomic
def demo_dialog_load(municipality: Municipality, people: dict[str, Person], units: dict[str, Unit]) -> int:
    """Create the demo's categories, promises, templates, Open311 client and cases; returns the number of cases."""
    categories: dict[str, Category] = {}
    for order, (code, name, unit_code, description, fault_days) in enumerate(CATEGORIES):
        category = Category.objects.create(
            municipality=municipality,
            code=code,
            name=name,
            unit=units[unit_code],
            description=description,
            order=order,
        )
        ServicePromise.objects.create(category=category, kind="", acknowledge_days=2, answer_days=10)
        if fault_days:
            ServicePromise.objects.create(
                category=category, kind=Kind.FAULT_REPORT, acknowledge_days=1, answer_days=fault_days
            )
        categories[code] = category
    for title, text in TEMPLATES:
        AnswerTemplate.objects.create(municipality=municipality, title=title, text=text)
    open311_client_create(actor=None, municipality=municipality, name="Demo-app (Open311)", key=DEMO_OPEN311_KEY)

    handler = people["1030"]  # the park unit's leader answers on behalf of the department
    rng = random.Random(486)
    now = timezone.now()
    for index, (kind, code, text, address, contact, story) in enumerate(CASES):
        # Spread the cases over the last five weeks; older ones are further along.
        submitted = now - datetime.timedelta(days=35 - index, hours=rng.randint(0, 8))
        with time_machine.travel(submitted, tick=False):
            case, _ = feedback_submit(
                municipality=municipality,
                data=SubmissionInput(
                    kind=kind,
                    category=categories[code],
                    text=text,
                    address=address,
                    contact_name="Demo Invånare" if contact else "",
                    contact_email=f"invanare{index}@sjobacka.example" if contact else "",
                    wants_answer=contact,
                ),
            )
        _play(case, story, handler, submitted, rng)
    return len(CASES)


def _play(case: Case, story: str, handler: Person, submitted: datetime.datetime, rng: random.Random) -> None:
    """Move a demo case along its story, at plausible moments after it came in (as a system job)."""
    if story == "received":
        return
    with time_machine.travel(submitted + datetime.timedelta(days=1), tick=False):
        case_status_set(actor=None, case=case, status="in_progress")
        case_note(actor=None, case=case, text="Tittar på det här. /demo")
        if case.category.unit != case.unit:
            case_assign(actor=None, case=case, unit=case.category.unit, assignee=None)
    if story == "in_progress":
        return
    with time_machine.travel(submitted + datetime.timedelta(days=rng.randint(2, 9)), tick=False):
        if story == "rejected":
            case_reject(actor=None, case=case, reason="Det här sköts inte av kommunen utan av Trafikverket.")
            return
        case_answer(actor=None, case=case, text=ANSWERS[case.kind], close=story == "closed")
    if story == "closed" and case.contact_email:
        with time_machine.travel(submitted + datetime.timedelta(days=10), tick=False):
            case_resolved_set(case=case, resolved=rng.random() < 0.8)
    if story == "answered" and case.contact_email and rng.random() < 0.3:
        with time_machine.travel(submitted + datetime.timedelta(days=10), tick=False):
            case_resident_reply(case=case, text="Tack för svaret, men det är fortfarande inte åtgärdat.")
