"""The demo municipality's dialogue: categories, promises, answer templates, an Open311 key, and a few dozen cases in
every status, spread over the last weeks. About two cases in three are given to a case handler of their unit by its
leader, and handled by that person (taken up, noted, answered), so the history names people and "Bara mina ärenden"
shows something; one resident has answered "Nej" to "Blev det löst?" and the case waits for its handler."""

import datetime
import random
from decimal import Decimal
from itertools import cycle
from typing import TYPE_CHECKING

import time_machine
from django.db import transaction
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.dialog.models import AnswerTemplate, Case, Category, DialogSettings, Kind, ServicePromise
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

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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

# Where the residents of some fault reports marked the place on the form's map (near the map's default centre).
POSITIONS = {
    "Storgatan 12": (Decimal("59.377920"), Decimal("17.031240")),
    "Norrbyparken": (Decimal("59.383410"), Decimal("17.024870")),
    "Torget": (Decimal("59.379300"), Decimal("17.029000")),
}

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

# Who handles a category's cases: the leader of its unit gives them, in turn, to these people of the unit or of a team
# below it (then the case moves to that team, where its handler sees it).
LEADERS = {
    "GP-PARK": "1030",
    "GP-GATA": "1033",
    "FSK": "1012",
    "GSK": "1018",
    "AO": "1023",
    "BYGG": "1035",
    "KC": "1008",
}
HANDLERS: dict[str, tuple[str, list[str]]] = {
    "GP-PARK": ("GP-PARK", ["1031", "1032"]),  # Elin (the demo login "medarbetare") first
    "GP-GATA": ("GP-GATA", ["1034"]),
    "FSK": ("FSK-SOL", ["1014", "1015"]),
    "GSK": ("GSK-SJO", ["1020", "1021"]),
    "AO": ("HT-S", ["1027"]),
    "BYGG": ("BYGG", ["1036"]),
    "KC": ("KC", ["1009", "1010"]),
}

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
    DialogSettings.objects.create(municipality=municipality, when_not_solved=DialogSettings.WhenNotSolved.ASK_HANDLER)

    from brobygget.demo.improvement import Actors  # the demo's accounts (one without a password where no login)

    actors = Actors(people)
    handlers = {code: cycle(numbers) for code, (_team, numbers) in HANDLERS.items()}
    units_by_id = {unit.pk: code for code, unit in units.items()}
    rng = random.Random(486)
    said_no = False
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
                    latitude=POSITIONS.get(address, (None, None))[0] if kind == "fault_report" else None,
                    longitude=POSITIONS.get(address, (None, None))[1] if kind == "fault_report" else None,
                    contact_name="Demo Invånare" if contact else "",
                    contact_email=f"invanare{index}@sjobacka.example" if contact else "",
                    wants_answer=contact,
                ),
            )
        code = units_by_id[case.unit_id]
        team = HANDLERS[code][0]
        # Two cases in three get a handler; one still waiting for its first look is left for the leader to give.
        handler = next(handlers[code]) if story != "received" or rng.random() < 0.3 else None
        if handler is not None and rng.random() < 0.85:
            with time_machine.travel(submitted + datetime.timedelta(hours=3), tick=False):
                case_assign(actor=actors(LEADERS[code]), case=case, unit=units[team], assignee=people[handler])
        else:
            handler = None
        say_no = story == "answered" and bool(case.contact_email) and not said_no
        said_no = said_no or say_no
        _play(case, story, actors(handler or LEADERS[code]), submitted, rng, say_no)
    return len(CASES)


def _play(
    case: Case, story: str, actor: "User", submitted: datetime.datetime, rng: random.Random, say_no: bool = False
) -> None:
    """Move a demo case along its story, at plausible moments after it came in, by the person who handles it (its
    case handler, else its unit's leader)."""
    if story == "received":
        return
    with time_machine.travel(submitted + datetime.timedelta(days=1), tick=False):
        case_status_set(actor=actor, case=case, status="in_progress")
        case_note(actor=actor, case=case, text="Tittar på det här. /demo")
    if story == "in_progress":
        return
    with time_machine.travel(submitted + datetime.timedelta(days=rng.randint(2, 9)), tick=False):
        if story == "rejected":
            case_reject(actor=actor, case=case, reason="Det här sköts inte av kommunen utan av Trafikverket.")
            return
        case_answer(actor=actor, case=case, text=ANSWERS[case.kind], close=story == "closed")
    if say_no:  # the resident says it was not solved: the case waits for its handler ("Nytt från invånaren")
        with time_machine.travel(submitted + datetime.timedelta(days=10), tick=False):
            case_resolved_set(case=case, resolved=False)
        return
    if story == "closed" and case.contact_email:
        with time_machine.travel(submitted + datetime.timedelta(days=10), tick=False):
            case_resolved_set(case=case, resolved=rng.random() < 0.8)
    if story == "answered" and case.contact_email and rng.random() < 0.3:
        with time_machine.travel(submitted + datetime.timedelta(days=10), tick=False):
            case_resident_reply(case=case, text="Tack för svaret, men det är fortfarande inte åtgärdat.")
