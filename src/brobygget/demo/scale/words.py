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


# Improvements: (title, the problem, the value for the resident, the idea, how we will know, the baseline).
# "{place}" is filled in. The texts of the rounds and the outcomes are shared by all of them, below.
IMPROVEMENT_THEMES: Final = [
    (
        "Färre missade samtal på telefontiden",
        "Invånare i {place} kommer inte fram på telefontiden och ringer igen dagen efter.",
        "Den som ringer får svar samma dag och slipper ringa flera gånger.",
        "Två av oss turas om att ta telefonen, och vi erbjuder att bli uppringd.",
        "Andelen besvarade samtal under telefontiden.",
        "62 % besvarade samtal",
    ),
    (
        "Kortare väntan på första svaret",
        "Det tar ofta mer än en vecka innan den som skrivit till oss får ett första svar.",
        "Invånaren vet snabbt att vi har sett frågan och vad som händer sedan.",
        "Vi går igenom inkorgen varje morgon och skickar ett kort första svar samma dag.",
        "Antal dagar till första svaret, i median.",
        "8 dagar",
    ),
    (
        "Tydligare information om avgifter",
        "Många frågar om samma avgifter eftersom texten på webben är svår att förstå.",
        "Invånaren förstår vad det kostar innan hen ansöker.",
        "Vi skriver om texten tillsammans med tre invånare och testar den på dem.",
        "Antal frågor om avgifter per månad.",
        "40 frågor i månaden",
    ),
    (
        "Bättre överlämning mellan arbetspassen",
        "Information tappas bort när kvällspersonalen tar över från dagpersonalen i {place}.",
        "Brukaren slipper berätta samma sak flera gånger och får det som utlovats.",
        "En kort stående överlämning med en gemensam checklista vid varje skiftbyte.",
        "Antal avvikelser som beror på missad information.",
        "6 avvikelser i månaden",
    ),
    (
        "Snabbare lagning av gatlampor",
        "Trasiga gatlampor i {place} lagas först efter flera veckor, och många anmäler samma lampa.",
        "Det blir tryggare att gå hem när det är mörkt.",
        "Felanmälningarna samlas per gata och entreprenören får dem två gånger i veckan.",
        "Dagar från felanmälan till lagad lampa.",
        "21 dagar",
    ),
    (
        "Färre dubbla besök i hemtjänsten",
        "Två medarbetare åker ibland till samma brukare samtidigt i {place}.",
        "Brukaren får besök när det är planerat, och tiden räcker till fler.",
        "Planeringen stäms av på morgonmötet och ändringar skrivs in direkt i schemat.",
        "Antal dubbla besök per vecka.",
        "5 dubbla besök i veckan",
    ),
    (
        "Lugnare lämning på förskolan",
        "Hallen på förskolan i {place} blir trång och stökig när alla lämnar samtidigt.",
        "Barnen får en lugnare start på dagen och föräldrarna hinner prata med personalen.",
        "Vi öppnar två ingångar och delar upp avdelningarna mellan dem.",
        "Föräldrarnas svar i en kort enkät om lämningen.",
        "3,1 av 5",
    ),
    (
        "Enklare ansökan om bygglov",
        "Hälften av ansökningarna om bygglov saknar handlingar och måste kompletteras.",
        "Den sökande får beslut snabbare och slipper vänta på kompletteringar.",
        "En checklista med bilder skickas med bekräftelsen på ansökan.",
        "Andelen ansökningar som är kompletta från början.",
        "48 % kompletta",
    ),
    (
        "Mindre matsvinn i skolmatsalen",
        "Mycket mat slängs i skolmatsalen i {place}, särskilt på fredagar.",
        "Eleverna får mat de tycker om och pengarna räcker till bättre råvaror.",
        "Eleverna väljer rätt dagen innan, och vi lagar efter det.",
        "Kilo slängd mat per vecka.",
        "85 kg i veckan",
    ),
    (
        "Färre sena fakturor",
        "Fakturor betalas för sent eftersom de ligger hos fel attestant.",
        "Leverantörer i kommunen får betalt i tid och vi slipper dröjsmålsräntor.",
        "Varje faktura får en ansvarig direkt när den kommer in.",
        "Antal fakturor betalda efter förfallodagen.",
        "30 fakturor i månaden",
    ),
    (
        "Fler som hittar till simhallen i {place}",
        "Besökare hittar inte ingången till simhallen i {place} och vänder.",
        "Fler kan motionera och barnen lär sig simma.",
        "Nya skyltar från busshållplatsen och en karta på webben.",
        "Antal besökare per vecka.",
        "900 besökare i veckan",
    ),
    (
        "Kortare kö till försörjningsstöd",
        "Det tar lång tid att få en första tid för ansökan om försörjningsstöd.",
        "Den som behöver stöd får hjälp innan situationen blir akut.",
        "En drop-in-tid två förmiddagar i veckan för första samtalet.",
        "Dagar från kontakt till första möte.",
        "14 dagar",
    ),
    (
        "Tryggare nattvandringar i {place}",
        "Ungdomar i {place} säger att de känner sig otrygga vid centrum på kvällarna.",
        "Ungdomarna kan röra sig i sitt område utan att vara rädda.",
        "Fritidsgården håller öppet längre på fredagar och nattvandrarna går förbi centrum.",
        "Ungdomarnas svar om trygghet i enkäten.",
        "54 % känner sig trygga",
    ),
    (
        "Färre trasiga lekredskap",
        "Trasiga lekredskap i {place} upptäcks först när någon anmäler dem.",
        "Barnen kan leka säkert och lekplatsen är öppen för alla.",
        "En kort tillsyn varje månad med en gemensam checklista.",
        "Antal felanmälningar om lekredskap.",
        "12 anmälningar per kvartal",
    ),
    (
        "Introduktion som gör nya trygga",
        "Nyanställda i {place} vet inte vilka rutiner som gäller under de första veckorna.",
        "Invånarna möter personal som vet hur arbetet går till från första dagen.",
        "En fadder och en checklista för de första två veckorna.",
        "Nyanställdas svar efter en månad.",
        "2,8 av 5",
    ),
]
ROUND_EXPECTATIONS: Final = [
    "Vi tror att fler får svar redan första gången.",
    "Vi räknar med att väntetiden halveras inom en månad.",
    "Vi förväntar oss färre avvikelser och färre frågor.",
    "Vi tror att det blir lugnare och att färre behöver ringa igen.",
    "Vi tror att hälften av problemen försvinner om vi gör det varje vecka.",
]
ROUND_ACTIONS: Final = [
    "Vi provade i fyra veckor och förde anteckningar varje dag.",
    "Vi gjorde ändringen på en avdelning först och följde upp på veckomötet.",
    "Vi testade med tio invånare och frågade vad de tyckte.",
    "Vi delade upp arbetet mellan oss och stämde av varje fredag.",
    "Vi ändrade rutinen och satte upp en lapp vid telefonen.",
]
ROUND_RESULTS: Final = [
    "Det blev bättre än vi trodde: måttet gick åt rätt håll redan andra veckan.",
    "Det blev lite bättre, men inte så mycket som vi hade hoppats.",
    "Ingen skillnad: det som styr är något annat än vi trodde.",
    "Det blev bättre på dagtid men inte på kvällar och helger.",
    "Måttet blev bättre, men det tog mer tid än vi hade räknat med.",
]
DECISIONS_ADOPT: Final = [
    "Vi inför det som ordinarie arbetssätt.",
    "Det fungerar. Vi skriver in det i rutinen.",
    "Vi behåller det och följer upp om ett halvår.",
]
DECISIONS_ADAPT: Final = [
    "Vi ändrar tiderna och provar ett varv till.",
    "Vi provar samma sak men på alla avdelningar.",
    "Vi gör checklistan kortare och provar igen.",
]
DECISIONS_ABANDON: Final = [
    "Vi slutar här: det kostar mer än det ger.",
    "Vi avslutar försöket och tar med oss lärdomen.",
]
IMPROVEMENT_LESSONS: Final = [
    "Problemet låg i planeringen, inte i hur vi svarar. Nästa gång börjar vi med att mäta var tiden går.",
    "Invånarna ville något annat än vi trodde. Vi borde ha frågat dem innan vi började.",
    "En ändring i taget: vi ändrade tre saker samtidigt och vet inte vad som gjorde skillnad.",
    "Det räcker inte att en person driver det. Hela gruppen måste vara med från början.",
]
# Learnings: (title, what happened, what we expected, what we learned, what we change). One in twelve is about
# "schemat", as is one kind of improvement: the benchmark searches for it (bench/pages.py, SEARCH_WORD).
LEARNING_THEMES: Final = [
    (
        "Nyckeln som försvann",
        "Nyckeln till förrådet i {place} var borta en hel dag och vi kom inte åt materialet.",
        "Att nyckeln alltid hänger på sin krok.",
        "Rutinen för nycklar fanns bara i huvudet på några av oss.",
        "Vi skriver ner rutinen och sätter upp en lista över vem som har nyckeln.",
    ),
    (
        "Beställningen som aldrig gick iväg",
        "Materialet till {place} kom inte, eftersom beställningen aldrig skickades.",
        "Att beställningen gick iväg när den var godkänd.",
        "Ingen visste vem som skulle trycka på skicka efter godkännandet.",
        "Den som godkänner skickar också, och rutinen står i beställningssystemet.",
    ),
    (
        "Fel tid i kallelsen",
        "Ett tjugotal invånare kom till mötet i {place} en timme för tidigt.",
        "Att alla skulle komma i tid till informationsmötet.",
        "Vi läste inte kallelsen en gång till efter att tiden ändrades.",
        "Två personer läser alltid en kallelse innan den skickas.",
    ),
    (
        "Larmet som ingen hörde",
        "Ett trygghetslarm i {place} besvarades först efter tjugo minuter vid skiftbytet.",
        "Att larmet alltid besvaras inom fem minuter.",
        "Vid skiftbytet trodde båda passen att det andra tog larmen.",
        "Rutinen säger nu att det avgående passet har larmen tills överlämningen är klar.",
    ),
    (
        "Svaret som hamnade hos fel person",
        "Ett svar till en invånare skickades till en annan person med liknande namn.",
        "Att svaret gick till den som hade skrivit till oss.",
        "Vi valde mottagare ur en lista utan att kontrollera adressen.",
        "Vi svarar alltid direkt från ärendet i stället för att välja mottagare själva.",
    ),
    (
        "Snöröjningen som kom för sent",
        "Gångvägen till skolan i {place} var inte plogad när eleverna kom på morgonen.",
        "Att gång- och cykelvägar till skolor plogas först.",
        "Entreprenörens körordning hade inte uppdaterats efter att skolan flyttade.",
        "Vi går igenom körordningen varje höst tillsammans med skolorna.",
    ),
    (
        "Matallergin som missades",
        "Ett barn på förskolan i {place} fick mat med nötter trots en anmäld allergi.",
        "Att kökets lista över allergier alltid stämmer.",
        "Listan i köket uppdaterades inte när barnet bytte avdelning.",
        "Rutinen för allergier gäller nu vid varje byte av avdelning, och köket får en kopia.",
    ),
    (
        "Mötet som blev för långt",
        "Arbetsplatsträffen drog över med en timme och flera fick gå innan vi var klara.",
        "Att vi skulle hinna med dagordningen på en timme.",
        "Vi hade för många punkter som bara var information.",
        "Information skickas i förväg, och mötet används till det vi behöver prata om.",
    ),
    (
        "Ansökan som låg kvar",
        "En ansökan om bostadsanpassning låg obehandlad i sex veckor under semestern.",
        "Att någon tar över ärendena när handläggaren är ledig.",
        "Rutinen för semestertäckning gällde inte ärenden som kom in under ledigheten.",
        "Vi går igenom inkomna ärenden varje måndag under hela sommaren.",
    ),
    (
        "Den trasiga hissen",
        "Hissen på äldreboendet i {place} var trasig i fyra dagar innan den anmäldes.",
        "Att fel i fastigheten anmäls samma dag.",
        "Alla trodde att någon annan redan hade anmält felet.",
        "Den som upptäcker ett fel anmäler det, och vi skriver upp det på tavlan i personalrummet.",
    ),
    (
        "Tolken som inte var bokad",
        "Ett möte med en familj i {place} fick ställas in eftersom tolken inte var bokad.",
        "Att tolk bokas när familjen har bett om det.",
        "Behovet av tolk stod i ett anteckningsfält som ingen läste.",
        "Behov av tolk står nu överst i ärendet, och rutinen för bokning är kortare.",
    ),
    (
        "Schemat som ändrades i sista stund",
        "Tre medarbetare fick veta samma morgon att de skulle arbeta på en annan avdelning.",
        "Att ändringar i schemat meddelas minst en vecka i förväg.",
        "Vi planerade veckan för sent och hade ingen reserv.",
        "Schemat läggs två veckor framåt och rutinen för ändringar är skriven.",
    ),
]
DEVIATION_TEXTS: Final = [
    ("Brukaren fick inte sin medicin i tid vid lunch.", "Avdelningen i {place}"),
    ("Dörren till förrådet stod olåst hela natten.", "Förrådet i {place}"),
    ("En invånare fick vänta en timme i receptionen utan besked.", "Receptionen i {place}"),
    ("Bussen till utflykten kom inte, och ingen hade telefonnumret till bolaget.", "Skolgården i {place}"),
    ("Journalanteckningen sparades på fel person.", "Kontoret i {place}"),
    ("Kylen i köket höll tolv grader över helgen.", "Köket i {place}"),
]
DEVIATION_CLOSE_REASONS: Final = [
    "Engångshändelse som redan är åtgärdad. Vi har pratat om den på arbetsplatsträffen.",
    "Gäller fastighetsägaren, som har fått en felanmälan.",
    "Samma sak är redan en förbättring på tavlan.",
]
