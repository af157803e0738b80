"""The ten Brobygget principles, in our own words; loaded by a migration, then edited in the admin."""

from typing import TypedDict


class PrincipleData(TypedDict):
    slug: str
    title: str
    description: str


PRINCIPLES: list[PrincipleData] = [
    {
        "slug": "alla-kan-gora-ratt",
        "title": "Alla kan göra rätt och lika",
        "description": (
            "Vägen in till kommunen är enkel och tydlig. Vi arbetar på samma sätt, visar vem som gör vad "
            "och ser därför snabbt när något går fel."
        ),
    },
    {
        "slug": "lankande-ledarskap",
        "title": "Länkande ledarskap",
        "description": (
            "Chefen kopplar ihop helheten med delarna: tydliga mål, täta uppföljningar och återkoppling "
            "som lyfter det som går bra."
        ),
    },
    {
        "slug": "medarbetarskap",
        "title": "Medarbetarskap",
        "description": (
            "Alla säger till när något inte fungerar, letar lösningar tillsammans, delar med sig av "
            "kunskap och tar egna initiativ."
        ),
    },
    {
        "slug": "varde-for-medborgaren",
        "title": "Vad skapar värde för medborgaren?",
        "description": (
            "Vi ser verksamheten med invånarnas ögon och för en dialog med dem. Vi berättar vad de kan vänta "
            "sig och förbättrar i små steg."
        ),
    },
    {
        "slug": "var-ar-vi",
        "title": "Var är vi? Vart ska vi och hur tar vi oss dit?",
        "description": (
            "Långsiktiga mål delas upp i delmål och aktiviteter som vi följer upp, och vi visar resultaten öppet."
        ),
    },
    {
        "slug": "respekt",
        "title": "Vi visar respekt",
        "description": (
            "Människor har olika behov. Vi lyssnar på riktigt, bemöter alla väl och ser olikheter som en styrka."
        ),
    },
    {
        "slug": "tydliga",
        "title": "Vi är tydliga",
        "description": (
            "Målen hänger ihop med den politiska inriktningen. Det syns vem som ansvarar för vad, vi "
            "håller tider och löften och en ny kollega hittar rätt."
        ),
    },
    {
        "slug": "utvecklar",
        "title": "Vi utvecklar individen, verksamheten och samhället",
        "description": (
            "De som gör jobbet vet bäst vad som fungerar. Vi vågar pröva nya idéer och sprider det som fungerar."
        ),
    },
    {
        "slug": "tillatande-klimat",
        "title": "Vi har ett tillåtande klimat",
        "description": ("Vi lär oss genom att pröva. Ett misstag är något att lära av, inte något att skämmas för."),
    },
    {
        "slug": "lyssnar-in",
        "title": "Vi lyssnar in och är nyfikna",
        "description": ("Vi är öppna mot invånarna, visar resultat hela tiden och bjuder in till samtal."),
    },
]
