"""The demo municipality's improvement work: boards with improvements in every stage, some raised from resident
cases and one told back to its residents, two made routines, deviations in every state, learnings (some anonymous),
thanks, and one improvement spread to two other units; spread over the last ten weeks.

Everything is written through the improvement app's services, at past moments (`time_machine`), by the people who
would do it: each of them acts through a staff account, made without a password (they cannot log in) when the
demo gave them no login. Every write is audited as in production."""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

import time_machine
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from brobygget.core.models import Municipality, Principle
from brobygget.demo.dialog import CASES
from brobygget.dialog.models import Case
from brobygget.improvement.deviations import (
    deviation_close,
    deviation_report,
    deviation_to_improvement,
    deviation_to_learning,
)
from brobygget.improvement.learnings import LearningInput, learning_write
from brobygget.improvement.models import Improvement, Learning, Outcome, Stage, next_stage
from brobygget.improvement.recognitions import recognition_give, recognition_shown_set
from brobygget.improvement.routines import improvement_to_routine
from brobygget.improvement.services import (
    ImprovementInput,
    improvement_finish,
    improvement_move,
    improvement_raise,
    resident_summary_write,
)
from brobygget.improvement.spreading import improvement_spread
from brobygget.organisation.models import Person, Unit
from brobygget.organisation.services import staff_account_create


@dataclass(frozen=True)
class Finish:
    """Agera's decision that ends the wheel: the outcome, why, and (when abandoned) what we learned."""

    days_ago: int
    outcome: str
    answer: str
    lesson: str = ""


@dataclass(frozen=True)
class Story:
    """An improvement on a unit's board and how far it went. `steps` are moves forward, each with the answer to the
    question of the stage it leaves (Idé asks none; from Agera, a move forward is "adapt": a new round)."""

    key: str
    unit: str  # unit code
    title: str
    problem: str
    value: str
    idea: str
    measure: str
    owner: str  # employee number
    raised_days_ago: int
    baseline: str = ""
    involved: tuple[str, ...] = ()
    principles: tuple[str, ...] = ()
    due_in_days: int | None = None  # from today; negative: overdue
    cases: tuple[int, ...] = ()  # indexes into demo.dialog.CASES
    steps: tuple[tuple[int, str], ...] = ()  # (days ago, answer to the question of the stage it leaves)
    finish: Finish | None = None


STORIES: list[Story] = [
    Story(
        key="lekredskap",
        unit="GP-PARK",
        title="Trasiga lekredskap lagas inom en vecka",
        problem="Invånare anmäler trasiga gungor och klätterställningar, men det dröjer ofta tre–fyra veckor innan "
        "vi lagar dem. Under tiden är redskapet avstängt.",
        value="Barnen kan leka säkert, och den som anmäler ser att det händer något.",
        idea="Vi har de vanligaste reservdelarna (kedjor, plankor, skruv) i bilen och lagar direkt vid "
        "besiktningen, i stället för att beställa och åka ut igen.",
        measure="Antal dagar från felanmälan till lagat redskap.",
        baseline="I snitt 24 dagar under våren",
        owner="1031",
        involved=("1032",),
        principles=("varde-for-medborgaren", "alla-kan-gora-ratt"),
        due_in_days=-5,
        cases=(1, 14),
        raised_days_ago=20,
        steps=(
            (19, ""),
            (18, "Vi tror att de flesta fel kan lagas på plats, och att tiden till lagat redskap halveras."),
            (14, "Vi packade en låda med reservdelar i varje bil och lagade fyra redskap direkt vid besiktningen."),
            (11, "Tre av fyra fel lagades samma dag. Snittet blev 6 dagar, mot 24 tidigare. En planka fick beställas."),
        ),
        finish=Finish(9, Outcome.ADOPTED, "Vi inför det. Lådan med reservdelar blir en del av rutinen för besiktning."),
    ),
    Story(
        key="soptunnor",
        unit="GP-PARK",
        title="Fler soptunnor vid badplatsen på sommaren",
        problem="Soptunnorna vid badplatsen blir fulla redan på förmiddagen varma dagar, och skräpet blåser ut i "
        "vattnet.",
        value="En ren badplats som känns trygg för barnfamiljer.",
        idea="Vi ställer ut fyra extra tunnor under juni–augusti och tömmer två gånger om dagen när det är varmt.",
        measure="Antal synpunkter om skräp vid badplatsen per sommar.",
        baseline="11 synpunkter förra sommaren",
        owner="1032",
        involved=("1031",),
        principles=("varde-for-medborgaren",),
        due_in_days=10,
        cases=(5,),
        raised_days_ago=29,
        steps=(
            (27, ""),
            (20, "Vi tror att skräpet minskar tydligt om tunnorna aldrig blir fulla."),
        ),
    ),
    Story(
        key="hundpasar",
        unit="GP-PARK",
        title="Påsar för hundbajs i alla parker",
        problem="Påsautomaterna i Norrbyparken står tomma, och då plockar färre upp efter sin hund.",
        value="Gräsytor där barn kan leka utan att kliva i hundbajs.",
        idea="Den som tömmer papperskorgarna fyller också på påsarna, enligt en enkel lista per park.",
        measure="Antal tomma automater vid veckans kontroll.",
        owner="1030",
        involved=("1032",),
        principles=("alla-kan-gora-ratt",),
        due_in_days=-2,
        cases=(23,),
        raised_days_ago=11,
        steps=((10, ""),),
    ),
    Story(
        key="papperskorgar",
        unit="GP-PARK",
        title="Papperskorgarna töms efter hur fulla de blir",
        problem="Vi tömmer alla papperskorgar varje dag. De vid torget svämmar ändå över, medan andra är nästan tomma.",
        value="Inga överfulla papperskorgar där många människor rör sig.",
        idea="Vi tömmer de mest använda papperskorgarna två gånger om dagen och de lugnaste två gånger i veckan.",
        measure="Antal överfulla papperskorgar vid kontroll kl. 15.",
        baseline="7 av 40 papperskorgar",
        owner="1032",
        involved=("1031",),
        principles=("varde-for-medborgaren", "medarbetarskap"),
        due_in_days=12,
        raised_days_ago=33,
        steps=(
            (32, ""),
            (30, "Vi tror att nästan inga papperskorgar är överfulla, utan att vi kör mer totalt."),
            (9, "Vi delade in papperskorgarna i tre grupper och körde efter ett nytt schema i tre veckor."),
        ),
    ),
    Story(
        key="grasklippning",
        unit="GP-PARK",
        title="Vi klipper först där flest är",
        problem="Gräset i bostadsområdena växer sig högt innan vi hinner dit, för vi klipper i samma ordning varje "
        "vecka.",
        value="Gräsmattor som går att använda där folk bor och leker.",
        idea="Vi klipper lekplatser, skolor och bostadsnära gräs först, och de stora ytorna vid vägarna sist.",
        measure="Antal synpunkter om högt gräs per månad.",
        baseline="9 synpunkter i juni",
        owner="1030",
        involved=("1032",),
        principles=("varde-for-medborgaren",),
        due_in_days=3,
        raised_days_ago=45,
        steps=(
            (44, ""),
            (43, "Vi tror att synpunkterna om högt gräs halveras."),
            (30, "Vi gjorde en ny klippordning och följde den i fyra veckor."),
            (4, "Synpunkterna minskade från 9 till 3. Vägkanterna blev klippta en vecka senare än vanligt."),
        ),
    ),
    Story(
        key="qr-skylt",
        unit="GP-PARK",
        title="QR-kod för felanmälan på lekplatserna",
        problem="Många vet inte vart de ska vända sig när något är trasigt på en lekplats.",
        value="Det blir enkelt att säga till, direkt på plats.",
        idea="En liten skylt med QR-kod som leder till felanmälan, med lekplatsens namn ifyllt.",
        measure="Andel felanmälningar om lekplatser som kommer via skylten.",
        owner="1031",
        principles=("lyssnar-in",),
        raised_days_ago=3,
    ),
    Story(
        key="cykelvag",
        unit="GP-GATA",
        title="Cykelvägar till skolorna plogas först",
        problem="Cykelvägen längs Ån plogas efter bilvägarna, så barnen cyklar i snömodd på väg till skolan.",
        value="Barn och vuxna kan cykla säkert till skola och jobb även på vintern.",
        idea="Vi lägger cykelvägarna till skolorna först i plogordningen, före lokalgatorna.",
        measure="Klockslag då cykelvägarna till skolorna är plogade efter snöfall.",
        baseline="Kl. 9.30 i snitt förra vintern",
        owner="1033",
        involved=("1034",),
        principles=("varde-for-medborgaren", "tydliga"),
        due_in_days=20,
        cases=(7,),
        raised_days_ago=27,
        steps=(
            (26, ""),
            (24, "Vi tror att cykelvägarna är plogade före kl. 7.30, utan att bilvägarna blir mycket senare."),
            (6, "Vi ändrade plogordningen och körde efter den vid tre snöfall."),
        ),
    ),
    Story(
        key="gatlampor",
        unit="GP-GATA",
        title="Släckta gatlampor lagas snabbare",
        problem="Felanmälda gatlampor samlas på en lista som går till entreprenören en gång i månaden.",
        value="Det känns tryggare att gå hem när det är mörkt.",
        idea="Vi skickar varje felanmäld lampa till entreprenören samma dag.",
        measure="Dagar från felanmälan till tänd lampa.",
        baseline="I snitt 19 dagar",
        owner="1033",
        involved=("1034",),
        principles=("varde-for-medborgaren", "utvecklar"),
        due_in_days=5,
        cases=(0, 10),
        raised_days_ago=24,
        steps=(
            (23, ""),
            (22, "Vi tror att lamporna lagas inom en vecka."),
            (17, "Vi skickade varje anmälan samma dag under två veckor, sammanlagt nio lampor."),
            (15, "Lamporna lagades på 6 dagar i snitt, men invånarna fick inte veta det och ringde igen."),
            (
                14,
                "Vi anpassar och provar igen: vi fortsätter skicka samma dag, och svarar den som anmälde när "
                "lampan är lagad.",
            ),
            (13, "Vi tror att färre ringer igen om samma lampa."),
            (8, "Entreprenören mejlar när lampan är lagad, och vi svarar invånaren samma dag."),
            (3, "Ingen ringde igen om samma lampa under veckan. Lamporna lagades på 5 dagar i snitt."),
        ),
    ),
    Story(
        key="sena-besok",
        unit="HT-N",
        title="Vi ringer när vi blir sena",
        problem="När vi blir försenade väntar brukare och anhöriga utan att veta varför.",
        value="Brukaren vet när vi kommer och kan planera sin dag.",
        idea="Den som ser att hen blir mer än 15 minuter sen ringer brukaren, eller ber planeraren göra det.",
        measure="Antal klagomål på sena besök per månad.",
        baseline="4 klagomål i september",
        owner="1025",
        involved=("1024",),
        principles=("respekt", "varde-for-medborgaren"),
        due_in_days=-4,
        cases=(3,),
        raised_days_ago=31,
        steps=(
            (30, ""),
            (25, "Vi tror att klagomålen på sena besök minskar till hälften."),
        ),
    ),
    Story(
        key="kontinuitet",
        unit="HT-N",
        title="Färre nya ansikten hos varje brukare",
        problem="En brukare kan träffa femton olika personer på två veckor. Det skapar oro, särskilt vid demens.",
        value="Trygghet: brukaren känner igen den som kommer.",
        idea="Fasta små grupper om tre–fyra undersköterskor per område.",
        measure="Antal olika personal per brukare och fjortondagarsperiod.",
        baseline="12 i snitt",
        owner="1024",
        involved=("1025",),
        principles=("respekt",),
        due_in_days=-7,
        raised_days_ago=40,
        steps=((38, ""),),
    ),
    Story(
        key="digitala-las",
        unit="HT-N",
        title="Digitala lås i stället för nycklar",
        problem="Nycklar till brukarnas dörrar tar tid att hämta och kvittera, och ibland kommer de bort.",
        value="Besöken börjar i tid, och inga nycklar kommer på avvägar.",
        idea="Vi provar digitala lås som öppnas med mobilen hos fem brukare.",
        measure="Minuter per dag som går åt till nyckelhantering.",
        baseline="35 minuter per person och dag",
        owner="1024",
        involved=("1025",),
        principles=("utvecklar", "tillatande-klimat"),
        raised_days_ago=60,
        steps=(
            (58, ""),
            (55, "Vi tror att nyckelhanteringen nästan försvinner hos de fem brukarna."),
            (30, "Vi satte upp lås hos fem brukare och använde dem i fyra veckor."),
            (
                16,
                "Tiden minskade, men två lås slutade fungera när batterierna tog slut, och två brukare kände sig "
                "otrygga när de inte såg vem som hade nyckel.",
            ),
        ),
        finish=Finish(
            14,
            Outcome.ABANDONED,
            "Vi inför det inte nu.",
            "Tekniken fungerar, men vi behöver en plan för batterier och reservnyckel, och brukarna behöver vara med "
            "och välja från början. Vi tar med oss det till nästa upphandling.",
        ),
    ),
    Story(
        key="veckobrev",
        unit="FSK-SOL",
        title="Veckobrevet med bilder och på fler språk",
        problem="Flera föräldrar läser inte svenska och missar vad som händer på förskolan, till exempel utflykter.",
        value="Alla föräldrar vet vad barnen gör och vad de behöver ta med.",
        idea="Ett kortare veckobrev med bilder, på enkel svenska, och översatt till de fem vanligaste språken.",
        measure="Antal barn som saknar rätt kläder eller matsäck vid utflykter.",
        baseline="6 barn per utflykt",
        owner="1014",
        involved=("1015", "1013"),
        principles=("respekt", "tydliga"),
        raised_days_ago=70,
        steps=(
            (68, ""),
            (60, "Vi tror att nästan alla barn har med sig rätt saker till utflykterna."),
            (35, "Vi skickade veckobrevet med bilder och på fem språk i fyra veckor."),
            (28, "Vid de två senaste utflykterna saknade ett barn matsäck. Föräldrarna säger att de förstår mer."),
        ),
        finish=Finish(25, Outcome.ADOPTED, "Vi inför det på alla avdelningar."),
    ),
    Story(
        key="vaxeln",
        unit="KC",
        title="Vi ringer upp i stället för att stänga växeln",
        problem="Den som ringer efter kl. 15 möts av ett meddelande om att vi har stängt.",
        value="Den som inte kan ringa på dagtid får ändå hjälp.",
        idea="Efter kl. 15 kan man lämna sitt nummer, och vi ringer upp nästa förmiddag.",
        measure="Antal samtal efter kl. 15 som får hjälp.",
        owner="1010",
        involved=("1009",),
        principles=("alla-kan-gora-ratt", "lyssnar-in"),
        due_in_days=-1,
        cases=(19,),
        raised_days_ago=15,
        steps=(
            (14, ""),
            (10, "Vi tror att de flesta som ringer sent hellre blir uppringda än ringer igen."),
        ),
    ),
    Story(
        key="grovsopor",
        unit="KC",
        title="Svaret om grovsopor på webben",
        problem="Vi får många samtal om var man lämnar grovsopor, och svaret är svårt att hitta på webben.",
        value="Invånaren hittar svaret själv, när det passar.",
        idea="En kort sida med karta och öppettider, som vi länkar till från startsidan på vintern och våren.",
        measure="Antal samtal om grovsopor per vecka.",
        owner="1010",
        principles=("tydliga",),
        raised_days_ago=5,
    ),
    Story(
        key="varme",
        unit="FSK-EKO",
        title="Svalare på avdelningarna när solen ligger på",
        problem="Det blir över 28 grader inne på eftermiddagarna, och barnen blir trötta och oroliga.",
        value="Barnen mår bra och orkar leka hela dagen.",
        idea="Vi flyttar vilan till det svalare rummet och provar solfilm på två fönster.",
        measure="Temperaturen inne kl. 14.",
        baseline="28 grader en solig dag",
        owner="1017",
        involved=("1016",),
        principles=("varde-for-medborgaren",),
        due_in_days=14,
        cases=(11,),
        raised_days_ago=22,
        steps=((20, ""),),
    ),
]

SUMMARY = (
    "lekredskap",
    7,
    "Ni berättade att trasiga gungor och klätterställningar var avstängda länge innan de lagades.",
    "Nu har vi reservdelar med oss i bilen och lagar det mesta direkt. Det tar i snitt 6 dagar i stället för 24.",
)

# (improvement key, leader, days ago, title, description)
ROUTINES = [
    (
        "lekredskap",
        "1030",
        8,
        "Reservdelar i bilen vid besiktning",
        "Varje bil har en låda med kedjor, plankor och skruv. Det som går att laga vid besiktningen lagas direkt.",
    ),
    (
        "veckobrev",
        "1013",
        24,
        "Veckobrevet",
        "Veckobrevet skickas på fredagar, kort, med bilder och på enkel svenska, och översatt till de fem "
        "vanligaste språken.",
    ),
]

# (key, days ago, reporter, unit, what happened, where)
DEVIATIONS = [
    (
        "grasklippare",
        2,
        "1032",
        "GP-PARK",
        "Gräsklipparen gick inte att starta på morgonen, så vi hann bara klippa hälften av Stadsparken.",
        "Förrådet i Stadsparken",
    ),
    (
        "sandbil",
        1,
        "1034",
        "GP-GATA",
        "Sandbilen var inte påfylld när halkan kom, och det tog en timme innan vi kunde börja sanda.",
        "Gatuförrådet",
    ),
    (
        "checklista",
        26,
        "1031",
        "GP-PARK",
        "Besiktningen av lekplatsen Solbacken blev inte gjord i tid, eftersom checklistan låg i fel bil.",
        "Lekplatsen Solbacken",
    ),
    (
        "nyckel",
        19,
        "1025",
        "HT-N",
        "En nyckel glömdes kvar i ytterdörren hos en brukare efter kvällsbesöket.",
        "Hos en brukare på Björkvägen",
    ),
    (
        "vikarie",
        12,
        "1027",
        "HT-S",
        "En ny vikarie hittade inte nyckeln till en brukare, och besöket blev 40 minuter sent.",
        "Hemtjänstens lokal i Söder",
    ),
    (
        "lampa",
        9,
        "1034",
        "GP-GATA",
        "Gatlampan på Parkvägen är släckt igen.",
        "Parkvägen",
    ),
]


def _at(today: datetime.date, days_ago: int, rng: random.Random) -> datetime.datetime:
    """A moment of office hours `days_ago` days before today (always in the past: days_ago is at least 1)."""
    assert days_ago >= 1, "the demo writes only in the past"
    start = datetime.datetime.combine(today - datetime.timedelta(days=days_ago), datetime.time(8))
    return timezone.make_aware(start) + datetime.timedelta(minutes=rng.randint(0, 8 * 60))


def _username(person: Person) -> str:
    """A login name from the person's name: Åsa Öberg becomes asa.oberg."""
    name = f"{person.first_name}.{person.last_name}".lower()
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


class Actors:
    """The account each person acts through; one without a password is made when the demo gave them no login."""

    def __init__(self, people: dict[str, Person]) -> None:
        self.people = people
        self.users: dict[str, User] = {}

    def __call__(self, number: str) -> User:
        if number not in self.users:
            person = self.people[number]
            user = person.user or staff_account_create(
                actor=None, person=person, username=_username(person), password=None
            )
            self.users[number] = user
        return self.users[number]


def _data(
    story: Story, people: dict[str, Person], principles: dict[str, Principle], today: datetime.date
) -> ImprovementInput:
    return ImprovementInput(
        title=story.title,
        problem=story.problem,
        value_for_resident=story.value,
        idea=story.idea,
        measure=story.measure,
        owner_id=people[story.owner].pk,
        baseline=story.baseline,
        due_date=today + datetime.timedelta(days=story.due_in_days) if story.due_in_days is not None else None,
        involved_ids=[people[number].pk for number in story.involved],
        principle_ids=[principles[slug].pk for slug in story.principles],
    )


def _play(improvement: Improvement, story: Story, actor: User, today: datetime.date, rng: random.Random) -> Improvement:
    """Move the improvement forward along its story, each step by its owner at its moment; returns it as it ends."""
    for days_ago, answer in story.steps:
        with time_machine.travel(_at(today, days_ago, rng), tick=False):
            improvement = improvement_move(
                actor=actor,
                improvement=improvement,
                to=_next(improvement.stage),
                answer=answer,
            )
    if story.finish is not None:
        with time_machine.travel(_at(today, story.finish.days_ago, rng), tick=False):
            improvement = improvement_finish(
                actor=actor,
                improvement=improvement,
                outcome=story.finish.outcome,
                answer=story.finish.answer,
                lesson=story.finish.lesson,
            )
    return improvement


def _next(stage: str) -> str:
    found = next_stage(stage)
    assert found is not None, stage
    return found


@dataclass
class Loaded:
    """What the demo's improvement work made, by key."""

    improvements: dict[str, Improvement] = field(default_factory=dict)
    spread: list[Improvement] = field(default_factory=list)
    deviations: int = 0
    learnings: int = 0
    recognitions: int = 0


@transaction.atomic
def demo_improvement_load(municipality: Municipality, people: dict[str, Person], units: dict[str, Unit]) -> Loaded:
    """Create the demo's improvement work; needs the dialog's demo cases (demo.dialog.CASES, found by their text)."""
    rng = random.Random(1210)
    today = timezone.localdate()
    actor = Actors(people)
    principles = {p.slug: p for p in Principle.objects.all()}
    cases = {case.text: case for case in Case.objects.filter(municipality=municipality)}
    loaded = Loaded()

    for story in STORIES:
        with time_machine.travel(_at(today, story.raised_days_ago, rng), tick=False):
            improvement = improvement_raise(
                actor=actor(story.owner),
                unit=units[story.unit],
                data=_data(story, people, principles, today),
                cases=[cases[CASES[index][2]] for index in story.cases],
            )
        loaded.improvements[story.key] = _play(improvement, story, actor(story.owner), today, rng)

    # The residents who told us about the playgrounds hear what we changed ("Det här gjorde vi").
    key, days_ago, you_said, we_did = SUMMARY
    with time_machine.travel(_at(today, days_ago, rng), tick=False):
        resident_summary_write(
            actor=actor("1031"), improvement=loaded.improvements[key], you_said=you_said, we_did=we_did
        )

    # Two adopted improvements become routines of their units, made so by the unit's leader.
    for key, leader, days_ago, title, description in ROUTINES:
        moment = _at(today, days_ago, rng)
        with time_machine.travel(moment, tick=False):
            improvement_to_routine(
                actor=actor(leader),
                improvement=loaded.improvements[key],
                title=title,
                description=description,
                review_date=timezone.localdate(moment) + datetime.timedelta(days=365),
                today=timezone.localdate(moment),
            )

    # The other preschool and the school take up the weekly letter on their own boards.
    for unit_code, leader, days_ago in (("FSK-EKO", "1016", 20), ("GSK-SJO", "1019", 10)):
        with time_machine.travel(_at(today, days_ago, rng), tick=False):
            copy = improvement_spread(
                actor=actor(leader), original=loaded.improvements["veckobrev"], unit=units[unit_code]
            )
        loaded.spread.append(copy)
    with time_machine.travel(_at(today, 8, rng), tick=False):
        improvement_move(actor=actor("1016"), improvement=loaded.spread[0], to=Stage.PLAN)

    learnings = _deviations(loaded, actor, people, units, principles, today, rng)
    learnings.update(_learnings(loaded, actor, units, principles, today, rng))
    _recognitions(loaded, learnings, actor, people, units, today, rng)
    return loaded


def _deviations(
    loaded: Loaded,
    actor: Actors,
    people: dict[str, Person],
    units: dict[str, Unit],
    principles: dict[str, Principle],
    today: datetime.date,
    rng: random.Random,
) -> dict[str, Learning]:
    """Deviations in every state: two waiting for their leader, one made a learning (one more anonymously), one
    made an improvement, one closed with its reason. Returns the learnings made, by key."""
    found = {}
    for key, days_ago, reporter, unit_code, what, where in DEVIATIONS:
        moment = _at(today, days_ago, rng)
        with time_machine.travel(moment, tick=False):
            found[key] = deviation_report(
                actor=actor(reporter),
                unit=units[unit_code],
                what_happened=what,
                where=where,
                happened_at=moment - datetime.timedelta(hours=2),
            )
        loaded.deviations += 1
    learnings: dict[str, Learning] = {}
    with time_machine.travel(_at(today, 24, rng), tick=False):
        learnings["checklista"] = deviation_to_learning(
            actor=actor("1030"),
            deviation=found["checklista"],
            data=LearningInput(
                title="Checklistan ska finnas i varje bil",
                what_happened="Besiktningen av en lekplats blev inte gjord i tid. Checklistan låg i den bil som "
                "var på service.",
                what_we_expected="Att besiktningen görs samma vecka varje månad, vem som än kör.",
                what_we_learned="Rutinen hängde på ett papper i en bil. Det räcker att en bil är borta för att "
                "den faller.",
                what_we_change="Checklistan finns nu i mobilen och i en pärm i varje bil.",
                principle_ids=[principles["alla-kan-gora-ratt"].pk],
            ),
        )
    with time_machine.travel(_at(today, 17, rng), tick=False):
        learnings["nyckel"] = deviation_to_learning(
            actor=actor("1024"),
            deviation=found["nyckel"],
            data=LearningInput(
                title="En sista blick på dörren innan vi går",
                what_happened="En nyckel satt kvar i ytterdörren hos en brukare efter kvällsbesöket. En granne "
                "såg den och ringde oss.",
                what_we_expected="Att nyckeln alltid följer med tillbaka till nyckelskåpet.",
                what_we_learned="Kvällsbesöken är många och korta. När det är bråttom är det lätt att tappa ett "
                "moment, vem som helst kan göra det.",
                what_we_change="Vi säger högt 'nyckeln' när vi går, och kvällspasset kontrollerar skåpet "
                "innan det går hem.",
                anonymous=True,
                principle_ids=[principles["tillatande-klimat"].pk],
            ),
        )
    with time_machine.travel(_at(today, 11, rng), tick=False):
        improvement = deviation_to_improvement(
            actor=actor("1026"),
            deviation=found["vikarie"],
            data=ImprovementInput(
                title="Nyckellista och introduktion för vikarier",
                problem="Nya vikarier vet inte var nycklarna finns eller hur de kvitteras, och besöken blir sena.",
                value_for_resident="Brukaren får sitt besök i tid, även när ordinarie personal är ledig.",
                idea="En kort introduktion första dagen och en lista över nycklarna med bild på skåpet.",
                measure="Antal sena besök som beror på nycklar.",
                owner_id=people["1027"].pk,
                involved_ids=[people["1026"].pk],
                due_date=today + datetime.timedelta(days=21),
                principle_ids=[principles["alla-kan-gora-ratt"].pk, principles["medarbetarskap"].pk],
            ),
        )
    loaded.improvements["vikarie"] = improvement
    with time_machine.travel(_at(today, 10, rng), tick=False):
        loaded.improvements["vikarie"] = improvement_move(actor=actor("1027"), improvement=improvement, to=Stage.PLAN)
    with time_machine.travel(_at(today, 8, rng), tick=False):
        deviation_close(
            actor=actor("1033"),
            deviation=found["lampa"],
            reason="Det här är en felanmälan, inte en avvikelse. Vi har lagt in den som ett ärende till entreprenören.",
        )
    loaded.learnings += len(learnings)
    return learnings


# (key, days ago, author, unit, anonymous, improvement key or "", title, happened, expected, learned, change, slugs)
LEARNINGS: list[tuple[str, int, str, str, bool, str, str, str, str, str, str, tuple[str, ...]]] = [
    (
        "digitala-las",
        13,
        "1024",
        "HT-N",
        False,
        "digitala-las",
        "Digitala lås behöver en plan för batterier",
        "Vi provade digitala lås hos fem brukare. Två lås slutade fungera när batterierna tog slut.",
        "Att låsen skulle spara tid utan att något annat förändrades.",
        "Ny teknik behöver en plan för det som kan gå fel, och brukarna vill vara med och bestämma.",
        "Nästa gång frågar vi brukarna först och bestämmer vem som byter batterier.",
        ("utvecklar", "tillatande-klimat"),
    ),
    (
        "utflykt",
        15,
        "1017",
        "FSK-EKO",
        True,
        "",
        "Vi ringer föräldrarna när en utflykt blir sen",
        "Bussen tillbaka från utflykten var en timme sen, och flera föräldrar väntade vid förskolan utan att "
        "veta något.",
        "Att vi skulle vara tillbaka före hämtningen.",
        "Vi hade ingen lista med föräldrarnas nummer med oss, och ingen visste vem som skulle ringa.",
        "Den som leder utflykten har telefonlistan med sig, och en vuxen ansvarar för att ringa.",
        ("tydliga",),
    ),
    (
        "bygglov",
        6,
        "1036",
        "BYGG",
        True,
        "",
        "Lova inte en tid utan att titta på kön",
        "En sökande fick höra att beskedet skulle komma inom en vecka. Det tog sju veckor.",
        "Att ansökan var enkel och skulle gå fort.",
        "Vi svarade utifrån ansökan, inte utifrån hur många som väntade före.",
        "Vi tittar på kön innan vi säger en tid, och hör av oss om det drar ut på tiden.",
        ("tydliga", "varde-for-medborgaren"),
    ),
    (
        "arendenummer",
        4,
        "1009",
        "KC",
        False,
        "",
        "Ärendenumret ska skrivas ner, inte bara läsas upp",
        "En invånare ringde om samma trasiga lampa tre gånger. Hon hade fått numret uppläst men inte skrivit ner det.",
        "Att det räcker att läsa upp ärendenumret.",
        "Ett nummer som bara sägs i telefon glöms bort.",
        "Vi erbjuder oss att skicka numret med sms eller e-post.",
        ("alla-kan-gora-ratt",),
    ),
]


def _learnings(
    loaded: Loaded,
    actor: Actors,
    units: dict[str, Unit],
    principles: dict[str, Principle],
    today: datetime.date,
    rng: random.Random,
) -> dict[str, Learning]:
    """Learnings written on their own or from an improvement; some anonymous."""
    made: dict[str, Learning] = {}
    for (
        key,
        days_ago,
        author,
        unit_code,
        anonymous,
        about,
        title,
        happened,
        expected,
        learned,
        change,
        slugs,
    ) in LEARNINGS:
        with time_machine.travel(_at(today, days_ago, rng), tick=False):
            made[key] = learning_write(
                actor=actor(author),
                unit=units[unit_code],
                data=LearningInput(
                    title=title,
                    what_happened=happened,
                    what_we_expected=expected,
                    what_we_learned=learned,
                    what_we_change=change,
                    anonymous=anonymous,
                    improvement_id=loaded.improvements[about].pk if about else None,
                    principle_ids=[principles[slug].pk for slug in slugs],
                ),
            )
    loaded.learnings += len(made)
    return made


# (days ago, giver, unit, person thanked or None for the whole team, text, improvement key, learning key)
RECOGNITIONS: list[tuple[int, str, str, str | None, str, str, str]] = [
    (
        8,
        "1030",
        "GP-PARK",
        "1031",
        "Tack Elin för att du kom på lådan med reservdelar. Nu lagar vi lekplatserna på en vecka i stället för en "
        "månad!",
        "lekredskap",
        "",
    ),
    (
        5,
        "1029",
        "GP-PARK",
        None,
        "Tack hela Parkenheten för att ni höll badplatsen och parkerna så fina i somras, trots värmen.",
        "",
        "",
    ),
    (
        3,
        "1032",
        "GP-PARK",
        "1031",
        "Tack Elin för att du hjälpte mig att få igång gräsklipparen i regnet i fredags.",
        "",
        "",
    ),
    (
        18,
        "1016",
        "FSK-SOL",
        "1014",
        "Tack Nils för att du delade veckobrevet med oss på Ekorren. Föräldrarna tycker mycket om det.",
        "veckobrev",
        "",
    ),
    (
        12,
        "1008",
        "KC",
        "1010",
        "Tack Fatima för att du tog alla samtal om stormen i lördags, lugnt och vänligt.",
        "",
        "",
    ),
    (
        12,
        "1023",
        "HT-N",
        None,
        "Tack Hemtjänst Norr för att ni vågade prova de digitala låsen och delade med er av vad ni lärde er.",
        "",
        "digitala-las",
    ),
]
# Elin would rather not have the thanks for the lawnmower shown on the unit's page.
HIDDEN = 2


def _recognitions(
    loaded: Loaded,
    learnings: dict[str, Learning],
    actor: Actors,
    people: dict[str, Person],
    units: dict[str, Unit],
    today: datetime.date,
    rng: random.Random,
) -> None:
    """Thanks to people and to teams, one hidden by the person thanked."""
    given = []
    for days_ago, giver, unit_code, number, text, about, learning in RECOGNITIONS:
        with time_machine.travel(_at(today, days_ago, rng), tick=False):
            given.append(
                recognition_give(
                    actor=actor(giver),
                    unit=units[unit_code],
                    text=text,
                    person=people[number] if number else None,
                    improvement=loaded.improvements[about] if about else None,
                    learning=learnings[learning] if learning else None,
                )
            )
    thanked = RECOGNITIONS[HIDDEN][3]
    assert thanked is not None
    with time_machine.travel(_at(today, 2, rng), tick=False):
        recognition_shown_set(actor=actor(thanked), recognition=given[HIDDEN], shown=False)
    loaded.recognitions = len(given)
