"""The catalogue of the open data in DCAT-AP-SE 3 (docs.dataportal.se/dcat/), the Swedish profile of DCAT-AP, as
RDF for Sveriges dataportal to harvest: Turtle at /resultat/katalog.ttl, RDF/XML at /resultat/katalog.rdf.

One catalogue (the municipality's results), published by the municipality (a local authority), licensed CC0 as
the profile asks of a catalogue; two datasets, "Så håller vi våra löften" and "Synpunkter i siffror", each with a
CSV and a JSON download of its main table, its page, and the API (a `dcat:DataService` at /api/v1/ described by its
OpenAPI document). The spatial coverage is the municipality (a `dct:Location` named by its SCB code), the language
Swedish. Every URI is absolute, made from the address the catalogue was asked for. No case, and nothing staff have
not made public, is described: the datasets are the aggregate numbers the pages show.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from brobygget.dialog.public import public_setup

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
SWEDISH = URIRef("http://publications.europa.eu/resource/authority/language/SWE")
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MEDIA_TYPE = Namespace("http://www.iana.org/assignments/media-types/")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
ACCESS_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
DATASET_TYPE_STATISTICAL = URIRef("http://publications.europa.eu/resource/authority/dataset-type/STATISTICAL")

# The datasets: (the page's name in the download addresses, its main table, title, description, keywords).
DATASETS = [
    (
        "loften",
        "per-manad",
        "Så håller vi våra löften",
        "Synpunkter och felanmälningar per månad, enhet och kategori: inkomna, besvarade, besvarade inom "
        "servicelöftet och deras andel, median antal arbetsdagar till svar, och invånarnas svar på ”Blev det löst?”.",
        ["servicelöften", "synpunkter", "svarstider"],
    ),
    (
        "siffror",
        "typ-per-manad",
        "Synpunkter i siffror",
        "Inkomna synpunkter och felanmälningar per typ, kategori och månad, och felanmälningar per ruta om ungefär "
        "1 km (rutor med färre än fem anmälningar utelämnas).",
        ["synpunkter", "felanmälningar", "medborgardialog"],
    ),
]


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
                f"Öppna data från {municipality.name} om hur kommunen håller sina servicelöften och vad invånare "
                "skickar in: samma siffror som på kommunens resultatsidor, som nedladdningar och som API.",
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

    for page, table, title, description, keywords in DATASETS:
        page_url = absolute(reverse("openresults:promises" if page == "loften" else "openresults:figures"))
        dataset = absolute(f"{reverse('openresults:catalogue_ttl')}#{page}")
        graph.add((catalogue, DCAT.dataset, dataset))
        graph.add((service, DCAT.servesDataset, dataset))
        graph.add((dataset, RDF.type, DCAT.Dataset))
        graph.add((dataset, DCTERMS.title, Literal(title, lang="sv")))
        graph.add((dataset, DCTERMS.description, Literal(description, lang="sv")))
        graph.add((dataset, DCTERMS.publisher, publisher))
        graph.add((dataset, DCTERMS.spatial, spatial))
        graph.add((dataset, DCTERMS.language, SWEDISH))
        graph.add((dataset, DCTERMS.accessRights, ACCESS_PUBLIC))
        graph.add((dataset, DCTERMS.type, DATASET_TYPE_STATISTICAL))
        graph.add((dataset, DCTERMS.modified, today))
        graph.add((dataset, DCAT.theme, THEME.GOVE))
        graph.add((dataset, DCAT.landingPage, page_url))
        for word in keywords:
            graph.add((dataset, DCAT.keyword, Literal(word, lang="sv")))
        if contact is not None:
            graph.add((dataset, DCAT.contactPoint, contact))
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            download = absolute(reverse(f"openresults:download_{fmt}", kwargs={"page": page, "table": table}))
            distribution = URIRef(f"{download}#distribution")
            graph.add((dataset, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{title} ({fmt.upper()})", lang="sv")))
            graph.add((distribution, DCAT.accessURL, download))
            graph.add((distribution, DCAT.downloadURL, download))
            graph.add((distribution, DCAT.mediaType, MEDIA_TYPE[media]))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[fmt.upper()]))
            graph.add((distribution, DCTERMS.license, CC0))
        api = URIRef(f"{api_root}#{page}")
        graph.add((dataset, DCAT.distribution, api))
        graph.add((api, RDF.type, DCAT.Distribution))
        graph.add((api, DCTERMS.title, Literal(f"{title} (API)", lang="sv")))
        graph.add((api, DCAT.accessURL, api_root))
        graph.add((api, DCAT.accessService, service))
        graph.add((api, DCAT.mediaType, MEDIA_TYPE["application/json"]))
        graph.add((api, DCTERMS.format, FILE_TYPE.JSON))
        graph.add((api, DCTERMS.license, CC0))
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
