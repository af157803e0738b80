"""The words scale data is made of: names, places, areas, routines, categories, what residents write."""

from dataclasses import dataclass, field
from typing import Final

from brobygget.dialog.models import (
    Kind,
)

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
