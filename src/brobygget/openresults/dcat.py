"""The catalogue of the open data in DCAT-AP-SE 3 (docs.dataportal.se/dcat/), the Swedish profile of DCAT-AP, as
RDF for Sveriges dataportal to harvest: Turtle at /resultat/katalog.ttl, RDF/XML at /resultat/katalog.rdf.

One catalogue (the municipality's results), published by the municipality (a local authority), licensed CC0 as
the profile asks of a catalogue. Its datasets: "Så håller vi våra löften" and "Synpunkter i siffror" (statistics),
each with a CSV and a JSON download of its main table, its page, and the API; and "Du sa – vi gjorde" and "Våra
mål" (the municipality's own texts as staff published them), each with its CSV and JSON download and its API
endpoint, "Du sa" also with its Atom feed, listed only while at least one of their publications is live. Every
distribution is CC0: the statistics, and the texts too (the municipality's own words, published as open data, as
Swedish municipalities commonly do; personal data is masked before anything is published). The API is a
`dcat:DataService` at /api/v1/ described by its OpenAPI document. The spatial coverage is the municipality (a
`dct:Location` named by its SCB code), the language Swedish. Every URI is absolute, made from the address the
catalogue was asked for. The catalogue describes datasets, never a row: no case, and nothing staff have not made
public.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from brobygget.core.models import Municipality
from brobygget.dialog.public import public_setup
from brobygget.openresults.models import GoalPublication, Publication

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
SWEDISH = URIRef("http://publications.europa.eu/resource/authority/language/SWE")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
ACCESS_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
DATASET_TYPE_STATISTICAL = URIRef("http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL")


@dataclass(frozen=True)
class Distribution:
    """One way to get a dataset: its address, its IANA media type and EU file type, and the API service it goes
    through, when it does."""

    label: str
    url: str
    media: str
    file_type: str
    via_api: bool = False


@dataclass(frozen=True)
class Dataset:
    """One dataset of the catalogue: `key` makes its URI (`katalog.ttl#<key>`)."""

    key: str
    title: str
    description: str
    keywords: tuple[str, ...]
    landing_page: str
    distributions: tuple[Distribution, ...]
    statistical: bool
    modified: datetime.date | None = None  # None: today (the numbers change with every case)


def _numbers(key: str, table: str, title: str, description: str, keywords: tuple[str, ...], page: str) -> Dataset:
    return Dataset(
        key=key,
        title=title,
        description=description,
        keywords=keywords,
        landing_page=reverse(page),
        distributions=(
            Distribution(
                "CSV", reverse("openresults:download_csv", kwargs={"page": key, "table": table}), "text/csv", "CSV"
            ),
            Distribution(
                "JSON",
                reverse("openresults:download_json", kwargs={"page": key, "table": table}),
                "application/json",
                "JSON",
            ),
            Distribution("API", f"/api/v1/#{key}", "application/json", "JSON", via_api=True),
        ),
        statistical=True,
    )


def _last_change(model: type[Publication] | type[GoalPublication], municipality: Municipality) -> datetime.date | None:
    """The day the dataset last changed (a publication or a withdrawal), or None when nothing of it is public.
    One query."""
    row = model.objects.filter(municipality=municipality).aggregate(
        live=Count("pk", filter=Q(withdrawn_at__isnull=True)),
        published=Max("published_at"),
        withdrawn=Max("withdrawn_at"),
    )
    if not row["live"]:
        return None
    return timezone.localdate(max(moment for moment in (row["published"], row["withdrawn"]) if moment is not None))


def datasets(municipality: Municipality) -> list[Dataset]:
    """The catalogue's datasets: the two numbers pages always (they sum every case), and "Du sa – vi gjorde" and
    "Våra mål" only while at least one publication of theirs is live (a municipality that publishes nothing there
    offers no dataset). Two queries."""
    result = [
        _numbers(
            "loften",
            "per-manad",
            "Så håller vi våra löften",
            "Synpunkter och felanmälningar per månad, enhet och kategori: inkomna, besvarade, besvarade inom "
            "servicelöftet och deras andel, median antal arbetsdagar till svar, och invånarnas svar på ”Blev det "
            "löst?”.",
            ("servicelöften", "synpunkter", "svarstider"),
            "openresults:promises",
        ),
        _numbers(
            "siffror",
            "typ-per-manad",
            "Synpunkter i siffror",
            "Inkomna synpunkter och felanmälningar per typ, kategori och månad, och felanmälningar per ruta om "
            "ungefär 1 km (rutor med färre än fem anmälningar utelämnas).",
            ("synpunkter", "felanmälningar", "medborgardialog"),
            "openresults:figures",
        ),
    ]
    you_said = _last_change(Publication, municipality)
    if you_said is not None:
        result.append(
            Dataset(
                key="du-sa-vi-gjorde",
                title="Du sa – vi gjorde",
                description="Förbättringar som kommunen har genomfört för att invånare hörde av sig: vad invånarna "
                "sa (kommunens sammanfattning, aldrig invånarens egen text), vad vi gjorde, när, vilken enhet, "
                "kategorier och principer. Personuppgifter maskeras innan något publiceras.",
                keywords=("synpunkter", "förbättringar", "medborgardialog"),
                landing_page=reverse("openresults:you_said_we_did"),
                distributions=(
                    Distribution(
                        "CSV", reverse("openresults:you_said_we_did_download", args=["csv"]), "text/csv", "CSV"
                    ),
                    Distribution(
                        "JSON",
                        reverse("openresults:you_said_we_did_download", args=["json"]),
                        "application/json",
                        "JSON",
                    ),
                    Distribution("Atom", reverse("openresults:feed"), "application/atom+xml", "ATOM"),
                    Distribution("API", "/api/v1/you-said-we-did", "application/json", "JSON", via_api=True),
                ),
                statistical=False,
                modified=you_said,
            )
        )
    our_goals = _last_change(GoalPublication, municipality)
    if our_goals is not None:
        result.append(
            Dataset(
                key="vara-mal",
                title="Våra mål",
                description="Kommunens mål från visionen och kommunfullmäktige till nämnder och förvaltningar, som "
                "de ansvariga senast följde upp dem: status, analys och indikatorernas värden per år mot målvärden "
                "(källa Kolada där de kommer därifrån).",
                keywords=("mål", "målstyrning", "uppföljning", "indikatorer"),
                landing_page=reverse("openresults:our_goals"),
                distributions=(
                    Distribution("CSV", reverse("openresults:our_goals_download", args=["csv"]), "text/csv", "CSV"),
                    Distribution(
                        "JSON", reverse("openresults:our_goals_download", args=["json"]), "application/json", "JSON"
                    ),
                    Distribution("API", "/api/v1/our-goals", "application/json", "JSON", via_api=True),
                ),
                statistical=False,
                modified=our_goals,
            )
        )
    return result


def catalogue_graph(request: HttpRequest) -> Graph:
    """The catalogue as an RDF graph, with absolute URIs from the request's address."""
    municipality = public_setup().municipality

    def absolute(path: str) -> URIRef:
        return URIRef(request.build_absolute_uri(path))

    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dcterms", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    catalogue = absolute(reverse("openresults:catalogue_ttl"))
    publisher = absolute(reverse("home") + "#kommunen")
    api_root = absolute("/api/v1/")
    service = absolute("/api/v1/#tjanst")
    today = Literal(timezone.localdate().isoformat(), datatype=XSD.date)

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(municipality.name, lang="sv")))
    graph.add((publisher, DCTERMS.type, LOCAL_AUTHORITY))

    spatial = absolute(reverse("home") + "#omradet")
    graph.add((spatial, RDF.type, DCTERMS.Location))
    graph.add((spatial, SKOS.prefLabel, Literal(municipality.name, lang="sv")))
    graph.add((spatial, DCTERMS.identifier, Literal(municipality.code)))

    contact: URIRef | None = None
    email = getattr(municipality, "email", "")
    if email:
        contact = absolute(reverse("home") + "#kontakt")
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(municipality.name, lang="sv")))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(f"Öppna data från {municipality.name}", lang="sv")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                f"Öppna data från {municipality.name} om hur kommunen håller sina servicelöften, vad invånare "
                "skickar in, vad kommunen ändrade för att invånare hörde av sig och hur det går med kommunens mål: "
                "samma uppgifter som på kommunens resultatsidor, som nedladdningar och som API.",
                lang="sv",
            ),
        )
    )
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, CC0))
    graph.add((catalogue, DCTERMS.language, SWEDISH))
    graph.add((catalogue, DCTERMS.spatial, spatial))
    graph.add((catalogue, DCTERMS.modified, today))
    graph.add((catalogue, FOAF.homepage, absolute(reverse("openresults:promises"))))
    graph.add((catalogue, DCAT.service, service))

    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal(f"Öppna data-API för {municipality.name}", lang="sv")))
    graph.add((service, DCTERMS.description, Literal("Läsbart API med sidindelning (limit, offset).", lang="sv")))
    graph.add((service, DCAT.endpointURL, api_root))
    graph.add((service, DCAT.endpointDescription, absolute("/api/v1/openapi.json")))
    graph.add((service, DCTERMS.publisher, publisher))
    graph.add((service, DCTERMS.license, CC0))
    graph.add((service, DCTERMS.accessRights, ACCESS_PUBLIC))

    for described in datasets(municipality):
        dataset = absolute(f"{reverse('openresults:catalogue_ttl')}#{described.key}")
        modified = today if described.modified is None else Literal(described.modified.isoformat(), datatype=XSD.date)
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(described.title, lang="sv")))
        graph.add((dataset, DCTERMS.description, Literal(described.description, lang="sv")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.spatial, spatial))
        graph.add((dataset, DCTERMS.language, SWEDISH))
        graph.add((dataset, DCTERMS.accessRights, ACCESS_PUBLIC))
        if described.statistical:
            graph.add((dataset, DCTERMS.type, DATASET_TYPE_STATISTICAL))
        graph.add((dataset, DCTERMS.modified, modified))
        graph.add((dataset, DCAT.theme, THEME.GOVE))
        graph.add((dataset, DCAT.landingPage, absolute(described.landing_page)))
        for word in described.keywords:
            graph.add((dataset, DCAT.keyword, Literal(word, lang="sv")))
        if contact is not None:
            graph.add((dataset, DCAT.contactPoint, contact))
        for way in described.distributions:
            url = absolute(way.url)
            distribution = URIRef(f"{url}#distribution") if "#" not in way.url else url
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{described.title} ({way.label})", lang="sv")))
            graph.add((distribution, DCAT.mediaType, MEDIA_TYPE[way.media]))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[way.file_type]))
            graph.add((distribution, DCTERMS.license, CC0))
            if way.via_api:
                graph.add((distribution, DCAT.accessURL, api_root if "#" in way.url else url))
                graph.add((distribution, DCAT.accessService, service))
                graph.add((service, DCAT.servesDataset, dataset))
            else:
                graph.add((distribution, DCAT.accessURL, url))
                graph.add((distribution, DCAT.downloadURL, url))
    return graph


@require_GET
def catalogue_turtle(request: HttpRequest) -> HttpResponse:
    """The catalogue in Turtle."""
    data = catalogue_graph(request).serialize(format="turtle")
    return HttpResponse(data, content_type="text/turtle; charset=utf-8")


@require_GET
def catalogue_rdf_xml(request: HttpRequest) -> HttpResponse:
    """The catalogue in RDF/XML (what harvesters most often read)."""
    data = catalogue_graph(request).serialize(format="pretty-xml")
    return HttpResponse(data, content_type="application/rdf+xml; charset=utf-8")
