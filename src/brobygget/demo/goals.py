"""The demo municipality's goals: a goal tree from the vision through the goals of kommunfullmäktige and the
förvaltningar down to the units' goals and activities, in a period from the start of last year to the end of the
year after next; indicators on it (demo/goals_indicators.py); and follow-ups in every status (green, yellow, red,
not started, done), with goals followed up monthly, per tertial and yearly, one follow-up left undone so that it is
due (or overdue) on Min sida.

Everything is written through the goals' services, at past moments (`time_machine`), by the people who would do it:
the leaders make the goals, the responsible people follow them up (through accounts without a password when the demo
gave them no login). Our own words, in the spirit of the municipality's values (Brobygget)."""

import datetime
import random
from dataclasses import dataclass

import time_machine
from django.utils import timezone

from brobygget.core.models import Municipality, Principle
from brobygget.demo.improvement import Actors
from brobygget.goals import services
from brobygget.goals.followups import FollowUpInput, follow_up_submit, span_ends
from brobygget.goals.models import FollowUp, Goal, Level, Period, Rhythm
from brobygget.organisation.models import Person, Unit

S = FollowUp.Status


@dataclass(frozen=True)
class Node:
    key: str
    unit: str  # unit code
    level: str
    title: str
    description: str
    by: str  # the employee number of the leader who writes it
    responsible: str
    parent: str | None = None
    rhythm: str = Rhythm.YEARLY
    principles: tuple[str, ...] = ()
    # The statuses of its latest follow-ups, oldest first (each with an analysis when yellow or red); the last
    # `skip_latest` ended spans are left without a follow-up (due, or overdue).
    statuses: tuple[tuple[str, str], ...] = ()
    skip_latest: int = 0


V, C, N, U, A = Level.VISION, Level.COUNCIL, Level.COMMITTEE, Level.UNIT, Level.ACTIVITY
M, T, Y = Rhythm.MONTHLY, Rhythm.TERTIAL, Rhythm.YEARLY

TREE: list[Node] = [
    Node("vision", "KS", V, "Sjöbacka – lätt att leva, bo och verka i",
         "En kommun där invånarna får hjälp när de behöver den, där barn växer upp tryggt och där vi som arbetar "
         "här ständigt gör det lite bättre.", "1001", "1001", principles=("varde-for-medborgaren",)),
    Node("service", "KS", C, "Invånarna får snabb och begriplig service",
         "Den som hör av sig ska förstå vad som händer och få svar i tid.", "1001", "1001", "vision",
         principles=("alla-kan-gora-ratt", "varde-for-medborgaren")),
    Node("school", "KS", C, "Barn och unga lyckas i skolan",
         "Fler elever lämnar grundskolan med godkända betyg och läser med glädje.", "1001", "1001", "vision"),
    Node("public", "KS", C, "Trygga och gröna offentliga miljöer",
         "Parker, gator och lekplatser ska vara rena, hela och trygga året runt.", "1001", "1001", "vision"),
    Node("care", "KS", C, "En trygg och värdig äldreomsorg",
         "Den som får hemtjänst känner personalen och vet när de kommer.", "1001", "1001", "vision"),
    Node("klf-answer", "KLF", N, "Svar till invånarna inom utlovad tid",
         "Alla frågor och synpunkter besvaras inom den tid vi lovar.", "1004", "1004", "service", Y),
    Node("kc-first", "KC", U, "Fler frågor löses vid första kontakten",
         "Kontaktcenter löser själva det mesta, i stället för att skicka vidare.", "1008", "1008", "klf-answer", M,
         ("alla-kan-gora-ratt",), ((S.GREEN, ""), (S.YELLOW, "Vi ser fler samtal om bygglov än vanligt. Svaren finns "
         "inte i våra mallar. Vi skriver nya mallar tillsammans med bygglovsenheten."), (S.GREEN, "")), skip_latest=1),
    Node("kc-templates", "KC", A, "Svarsmallar för de vanligaste frågorna",
         "Tio mallar som vi ser över varje månad.", "1008", "1009", "kc-first", M,
         statuses=((S.NOT_STARTED, ""), (S.GREEN, ""), (S.DONE, ""))),
    Node("buf-read", "BUF", N, "Fler elever når kunskapskraven",
         "Särskilt läsningen i de tidiga åren.", "1011", "1011", "school", Y),
    Node("gsk-read", "GSK", U, "Läsförmågan ökar i årskurs 3",
         "Alla elever ska läsa med flyt i slutet av årskurs 3.", "1018", "1018", "buf-read", Y, ("utvecklar",),
         ((S.RED, "Färre elever än förra året klarar läsprovet i årskurs 3. Vikarier och långa uppehåll i "
           "lästräningen under hösten. Vi inför daglig lästräning och följer upp varje månad."),)),
    Node("sjo-daily", "GSK-SJO", A, "Lästräning varje dag i F–3",
         "Tjugo minuter om dagen, med läsloggar som följer med hem.", "1019", "1020", "gsk-read", T,
         statuses=((S.NOT_STARTED, ""), (S.GREEN, ""))),
    Node("fsk-contact", "FSK-SOL", U, "Tätare kontakt med vårdnadshavarna",
         "Vårdnadshavare vet vad barnen gör och vem de kan fråga.", "1013", "1013", "buf-read", T,
         ("lyssnar-in",), ((S.YELLOW, "Hälften av vårdnadshavarna läser inte informationen på lappar. Den når "
         "dem inte. Vi provar ett veckobrev i appen."), (S.GREEN, ""))),
    Node("fsk-letter", "FSK-SOL", A, "Veckobrev till alla vårdnadshavare",
         "Ett kort brev varje fredag med bilder från veckan.", "1013", "1014", "fsk-contact", M,
         statuses=((S.GREEN, ""), (S.DONE, ""))),
    Node("soc-continuity", "SOC", N, "Hemtjänsten kommer i tid, med personal brukaren känner",
         "Färre olika personer hos varje brukare, och besök på utlovad tid.", "1022", "1022", "care", Y),
    Node("htn-staff", "HT-N", U, "Färre olika personal hos varje brukare",
         "Högst tolv olika personer på två veckor.", "1024", "1024", "soc-continuity", M, ("respekt",),
         ((S.RED, "Brukarna möter i snitt sexton personer på två veckor. Många timvikarier under semestern. "
           "Vi bildar fasta arbetslag per område."), (S.YELLOW, "Fjorton personer i snitt. Arbetslagen är på plats "
           "men schemat följer inte med ännu. Vi lägger schemat per arbetslag."), (S.GREEN, ""))),
    Node("htn-teams", "HT-N", A, "Fasta arbetslag per område",
         "Fyra arbetslag, vart och ett med sina brukare.", "1024", "1025", "htn-staff", T,
         statuses=((S.GREEN, ""), (S.DONE, ""))),
    Node("sbf-safe", "SBF", N, "Parker, gator och lekplatser är trygga och välskötta",
         "Det vi sköter ska vara helt, rent och säkert.", "1028", "1028", "public", Y,
         statuses=((S.YELLOW, "Felanmälningarna om lekplatser ökade under sommaren. Flera redskap är gamla. "
                    "Vi byter de äldsta redskapen och besiktigar oftare."),)),
    Node("gp-fix", "GP", U, "Felanmälningar åtgärdas inom utlovad tid",
         "Nio av tio fel åtgärdas inom den tid vi lovar i felanmälan.", "1029", "1029", "sbf-safe", T,
         ("alla-kan-gora-ratt",), ((S.GREEN, ""), (S.YELLOW, "Åtta av tio fel åtgärdades i tid. Reservdelar "
         "saknades. Vi håller ett eget lager av vanliga delar."))),
    Node("park-play", "GP-PARK", U, "Rena och hela lekplatser",
         "Barn ska kunna leka tryggt på alla kommunens lekplatser.", "1030", "1030", "gp-fix", M,
         ("var-ar-vi",), ((S.GREEN, ""), (S.YELLOW, "Tre lekplatser fick anmärkningar vid besiktningen. Slitage efter "
         "sommaren. Vi byter delarna före vintern."), (S.YELLOW, "Två anmärkningar kvar. Delarna är beställda. Vi "
         "spärrar av redskapen tills de är lagade."))),
    Node("park-inspect", "GP-PARK", A, "Besiktiga lekplatserna varje vecka",
         "En rutin med checklista, samma dag varje vecka.", "1030", "1031", "park-play", M,
         statuses=((S.GREEN, ""), (S.GREEN, ""), (S.GREEN, ""))),
    Node("park-swings", "GP-PARK", A, "Byta trasiga gungor inom två veckor",
         "Trasiga gungor lagas eller byts inom två veckor från anmälan.", "1030", "1032", "park-play", T,
         statuses=((S.RED, "Två gungor väntade i sex veckor. Leverantören hade slut på kedjor. Vi köper in kedjor "
                    "i förväg."), (S.DONE, ""))),
    Node("park-clean", "GP-PARK", A, "Städrunda i centrumparkerna på måndagar",
         "Papperskorgar töms och skräp plockas innan förskolorna kommer.", "1030", "1031", "park-play", M,
         statuses=((S.GREEN, ""), (S.RED, "Städrundan blev av två måndagar av fyra. Bilen var på service. Vi lånar "
                    "gatuenhetens bil när vår står still."), (S.GREEN, ""))),
    Node("gata-winter", "GP-GATA", U, "Säker vinterväghållning",
         "Gång- och cykelvägar till skolor plogas först.", "1033", "1033", "sbf-safe", T,
         statuses=((S.NOT_STARTED, ""), (S.GREEN, ""))),
    Node("gata-plan", "GP-GATA", A, "Plogplan för gång- och cykelvägar",
         "En karta med prioriteringar som alla förare har i bilen.", "1033", "1034", "gata-winter", Y,
         statuses=((S.NOT_STARTED, ""),)),
]  # fmt: skip


def _moment(day: datetime.date, today: datetime.date, rng: random.Random) -> datetime.datetime:
    """Office hours of `day`, never later than yesterday (the demo writes only in the past)."""
    day = min(day, today - datetime.timedelta(days=1))
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
    return start + datetime.timedelta(minutes=rng.randint(0, 8 * 60))


@dataclass(frozen=True)
class Loaded:
    period: Period
    goals: dict[str, Goal]
    follow_ups: int
    indicators: int


def demo_goals_load(municipality: Municipality, people: dict[str, Person], units: dict[str, Unit]) -> Loaded:
    """The goal tree, its indicators and its follow-ups, through the services; returns what was made."""
    rng = random.Random(11)
    today = timezone.localdate()
    start, end = datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 2, 12, 31)
    actors = Actors(people)
    with time_machine.travel(_moment(start + datetime.timedelta(days=9), today, rng), tick=False):
        period = services.period_create(
            actor=actors("1002"),
            municipality=municipality,
            name=f"Mandatperioden {start.year}–{end.year}",
            start=start,
            end=end,
        )
    goals: dict[str, Goal] = {}
    principles = {p.slug: p.pk for p in Principle.objects.all()}
    for number, node in enumerate(TREE):
        with time_machine.travel(_moment(start + datetime.timedelta(days=14 + number), today, rng), tick=False):
            goals[node.key] = services.goal_create(
                actor=actors(node.by),
                unit=units[node.unit],
                period=period,
                data=services.GoalInput(
                    level=node.level,
                    title=node.title,
                    description=node.description,
                    responsible_id=people[node.responsible].pk,
                    parent_id=goals[node.parent].pk if node.parent else None,
                    principle_ids=[principles[slug] for slug in node.principles if slug in principles],
                    rhythm=node.rhythm,
                ),
            )
    indicators = 0
    try:
        from brobygget.demo.goals_indicators import demo_indicators_load
    except ImportError:  # pragma: no cover - the indicators are loaded when their module is there
        pass
    else:
        indicators = len(demo_indicators_load(municipality, people))
    follow_ups = 0
    # The deepest first, so that each snapshot reads its children's follow-ups as they were then.
    for node in sorted(TREE, key=lambda n: -goals[n.key].path.count("/")):
        if not node.statuses:
            continue
        goal = goals[node.key]
        ended = [day for day in span_ends(node.rhythm, start, end) if day <= today - datetime.timedelta(days=3)]
        ended = ended[: len(ended) - node.skip_latest] if node.skip_latest else ended
        count = min(len(ended), len(node.statuses))
        pairs = zip(ended[len(ended) - count :], node.statuses[len(node.statuses) - count :], strict=True)
        for day, (status, analysis) in pairs:
            with time_machine.travel(_moment(day + datetime.timedelta(days=2), today, rng), tick=False):
                follow_up_submit(
                    actor=actors(node.responsible),
                    goal=goal,
                    covers_until=day,
                    data=FollowUpInput(status, analysis),
                )
            follow_ups += 1
    return Loaded(period, goals, follow_ups, indicators)
