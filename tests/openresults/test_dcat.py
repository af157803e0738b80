"""The DCAT-AP-SE catalogue parses as RDF (Turtle and RDF/XML alike) and has every mandatory property of the profile.

The mandatory properties of DCAT-AP-SE 3 (https://docs.dataportal.se/dcat/3.0.1/en/), as its templates state them
(github.com/diggsweden/DCAT-AP-SE, `templates/<class>/…`, `"cardinality": {"min": 1}`; the example of a catalogue
with the mandatory fields only is `exempel/obligatoriskt.ttl`):

* dcat:Catalog: dcterms:title, dcterms:description, dcterms:publisher, dcterms:license (in Sweden CC0:
  http://creativecommons.org/publicdomain/zero/1.0/), dcat:dataset (at least one).
* dcat:Dataset: dcterms:title, dcterms:description, dcterms:publisher.
* dcat:Distribution: dcat:accessURL.
* dcat:DataService: dcterms:title, dcat:endpointURL.
* foaf:Agent (the publisher): foaf:name.
* vcard contact point, where given: vcard:fn, vcard:hasEmail.
"""

import pytest
from django.urls import reverse
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

from brobygget.openresults import goals as our_goals_module
from brobygget.openresults import services
from tests.openresults import numbers_data

pytestmark = pytest.mark.django_db

numbers = numbers_data.numbers  # the fixture

CC0 = URIRef("http://creativecommons.org/publicdomain/zero/1.0/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
MANDATORY = {
    DCAT.Catalog: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, DCAT.dataset],
    DCAT.Dataset: [DCTERMS.title, DCTERMS.description, DCTERMS.publisher],
    DCAT.Distribution: [DCAT.accessURL],
    DCAT.DataService: [DCTERMS.title, DCAT.endpointURL],
    FOAF.Agent: [FOAF.name],
    VCARD.Organization: [VCARD.fn, VCARD.hasEmail],
}


def catalogue(client, name: str, rdf_format: str) -> Graph:
    response = client.get(reverse(name))
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content, format=rdf_format)
    return graph


@pytest.mark.parametrize(
    ("name", "rdf_format", "content_type"),
    [
        ("openresults:catalogue_ttl", "turtle", "text/turtle; charset=utf-8"),
        ("openresults:catalogue_rdf", "xml", "application/rdf+xml; charset=utf-8"),
    ],
    ids=["turtle", "rdf-xml"],
)
def test_the_catalogue_has_every_mandatory_property_of_dcat_ap_se(
    client,
    municipality,
    numbers,
    name,
    rdf_format,
    content_type,
    adopted_summary,
    publish,
    publish_goal,
    goals_org,
    tree,
):
    municipality.email = "kommunen@testby.se"
    municipality.save()
    publish(adopted_summary())
    publish_goal(tree["park"], by=goals_org["leader"])
    assert client.get(reverse(name))["Content-Type"] == content_type
    graph = catalogue(client, name, rdf_format)

    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 4
    for cls, properties in MANDATORY.items():
        subjects = set(graph.subjects(RDF.type, cls))
        assert subjects, f"no {cls}"
        for subject in subjects:
            for prop in properties:
                assert graph.value(subject, prop) is not None, f"{subject} ({cls}) lacks {prop}"
    (catalogue_uri,) = graph.subjects(RDF.type, DCAT.Catalog)
    assert graph.value(catalogue_uri, DCTERMS.license) == CC0
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        assert graph.value(distribution, DCTERMS.license) == CC0
    publisher = graph.value(catalogue_uri, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Testby kommun"
    assert (publisher, RDF.type, FOAF.Agent) in graph


def test_the_catalogue_describes_both_datasets_with_csv_json_and_the_api_that_answer(client, numbers):
    graph = catalogue(client, "openresults:catalogue_ttl", "turtle")

    titles = {str(graph.value(d, DCTERMS.title)) for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert titles == {"Så håller vi våra löften", "Synpunkter i siffror"}
    media = sorted(
        str(graph.value(d, DCAT.mediaType)).rsplit("/", 2)[-2:][-1] for d in graph.subjects(RDF.type, DCAT.Distribution)
    )
    assert media == ["csv", "csv", "json", "json", "json", "json"]
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert graph.value(dataset, DCTERMS.spatial) is not None
        for distribution in graph.objects(dataset, DCAT.distribution):
            url = str(graph.value(distribution, DCAT.downloadURL) or graph.value(distribution, DCAT.accessURL))
            assert url.startswith("http://testserver/")
            assert client.get(url.removeprefix("http://testserver")).status_code == 200, url
    (service,) = graph.subjects(RDF.type, DCAT.DataService)
    description = str(graph.value(service, DCAT.endpointDescription))
    assert client.get(description.removeprefix("http://testserver")).json()["openapi"].startswith("3.")


def titles(graph: Graph) -> set[str]:
    return {str(graph.value(d, DCTERMS.title)) for d in graph.subjects(RDF.type, DCAT.Dataset)}


def distributions(graph: Graph, title: str) -> dict[str, str]:
    """A dataset's distributions: their media type's last part -> the address to fetch."""
    (dataset,) = (d for d in graph.subjects(RDF.type, DCAT.Dataset) if str(graph.value(d, DCTERMS.title)) == title)
    result = {}
    for distribution in graph.objects(dataset, DCAT.distribution):
        media = str(graph.value(distribution, DCAT.mediaType)).rsplit("/", 1)[-1]
        label = "api" if graph.value(distribution, DCAT.accessService) is not None else media
        url = graph.value(distribution, DCAT.downloadURL) or graph.value(distribution, DCAT.accessURL)
        result[label] = str(url).removeprefix("http://testserver")
    return result


def test_the_text_datasets_are_listed_with_their_downloads_feed_and_api_while_something_is_published(
    client, adopted_summary, publish, publish_goal, goals_org, tree, django_capture_on_commit_callbacks
):
    unpublished = adopted_summary(title="Nya bänkar vid ån")
    assert titles(catalogue(client, "openresults:catalogue_ttl", "turtle")) == {
        "Så håller vi våra löften",
        "Synpunkter i siffror",
    }

    publication = publish(adopted_summary(title="Lagade gungor"))
    goal = publish_goal(tree["park"], by=goals_org["leader"])
    graph = catalogue(client, "openresults:catalogue_ttl", "turtle")

    assert titles(graph) == {"Så håller vi våra löften", "Synpunkter i siffror", "Du sa – vi gjorde", "Våra mål"}
    you_said = distributions(graph, "Du sa – vi gjorde")
    assert you_said == {
        "csv": "/resultat/du-sa-vi-gjorde.csv",
        "json": "/resultat/du-sa-vi-gjorde.json",
        "atom+xml": "/resultat/du-sa-vi-gjorde/flode.atom",
        "api": "/api/v1/you-said-we-did",
    }
    our_goals = distributions(graph, "Våra mål")
    assert our_goals == {"csv": "/resultat/vara-mal.csv", "json": "/resultat/vara-mal.json", "api": "/api/v1/our-goals"}
    for url in you_said.values():
        assert "Lagade gungor" in client.get(url).content.decode(), url
    for url in our_goals.values():
        assert tree["park"].title in client.get(url).content.decode(), url
    for distribution in graph.subjects(RDF.type, DCAT.Distribution):
        assert graph.value(distribution, DCTERMS.license) == CC0
    turtle = graph.serialize(format="turtle")
    assert unpublished.title not in turtle and "Lagade gungor" not in turtle  # datasets, never a row

    with django_capture_on_commit_callbacks(execute=True):
        services.publication_withdraw(actor=goals_org["member"].user, publication=publication, reason="Fel text.")
        our_goals_module.goal_publication_withdraw(actor=goals_org["leader"].user, publication=goal, reason="Fel.")
    assert titles(catalogue(client, "openresults:catalogue_ttl", "turtle")) == {
        "Så håller vi våra löften",
        "Synpunkter i siffror",
    }
