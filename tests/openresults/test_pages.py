"""The public "Du sa – vi gjorde" pages: filters, pages, the feed, the downloads, the links from the staff's summary
page and the resident's tracking page, and query counts that do not grow with the number of publications."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from brobygget.core.models import Principle
from brobygget.dialog.tracking import tracking_path
from brobygget.openresults.forms import ERROR_CHOICE_GONE
from brobygget.organisation.models import Person, Role
from tests.factories import CategoryFactory, MembershipFactory, PersonFactory, UnitFactory, submit_case

pytestmark = pytest.mark.django_db

PAGE = "/resultat/du-sa-vi-gjorde/"
ATOM = "{http://www.w3.org/2005/Atom}"


def sv(message) -> str:
    with translation.override("sv"):
        return str(message)


@pytest.fixture
def street(org):
    """A second unit, with its own member who raises and publishes its improvements."""
    unit = UnitFactory(municipality=org["team"].municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    person = PersonFactory(municipality=unit.municipality, first_name="Gustav", last_name="Gata")
    MembershipFactory(person=person, unit=unit, role=Role.STAFF)
    return {"unit": unit, "person": Person.objects.with_roles().get(pk=person.pk)}


def test_the_page_shows_what_residents_said_what_we_did_when_the_unit_and_principles(adopted_summary, publish, client):
    with time_machine.travel("2026-04-15 10:00 +02:00", tick=False):
        publish(adopted_summary(title="Lagade gungor", principles=["varde-for-medborgaren"]))

    page = client.get(PAGE).content.decode()

    assert "Lagade gungor" in page
    assert "Flera av er skrev att gungorna i parkerna var trasiga länge." in page
    assert "Nu går vi en rond bland lekplatserna" in page
    assert "genomfört 15 april 2026 av parkenheten." in page.lower()
    assert Principle.objects.get(slug="varde-for-medborgaren").title in page
    assert "Parker och lekplatser" in page
    assert 'type="application/atom+xml"' in page
    assert "openresults/openresults.css" in page  # with its print styles


def test_never_the_residents_own_text(adopted_summary, publish, client, category):
    case, _key = submit_case(category, text="Jag heter Kalle och gungan vid mitt hus är trasig.")
    publish(adopted_summary(cases=[case]))

    bodies = [client.get(url).content.decode() for url in (PAGE, PAGE + "flode.atom", "/resultat/du-sa-vi-gjorde.json")]

    assert all("Kalle" not in body for body in bodies)


def test_filters_by_unit_category_principle_and_year_as_a_get_form(
    org, adopted_summary, publish, client, category, street
):
    lights = CategoryFactory(municipality=org["team"].municipality, unit=street["unit"], name="Gatubelysning")
    with time_machine.travel("2025-10-01 10:00 +02:00", tick=False):
        publish(adopted_summary(title="Lagade gungor", principles=["respekt"]))
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        publish(
            adopted_summary(
                title="Ljusare gator",
                by=street["person"],
                unit=street["unit"],
                cases=[submit_case(lights, text="Mörkt.")[0]],
                principles=["tydliga"],
            ),
            by=street["person"],
        )

    def titles(query: str) -> set[str]:
        body = client.get(PAGE + query).content.decode()
        return {title for title in ("Lagade gungor", "Ljusare gator") if f">{title}<" in body}

    page = client.get(PAGE).content.decode()
    assert '<form method="get"' in page
    assert titles("") == {"Lagade gungor", "Ljusare gator"}
    assert titles(f"?enhet={street['unit'].pk}") == {"Ljusare gator"}
    assert titles(f"?kategori={category.pk}") == {"Lagade gungor"}
    assert titles(f"?princip={Principle.objects.get(slug='respekt').pk}") == {"Lagade gungor"}
    assert titles("?ar=2025") == {"Lagade gungor"}
    assert titles(f"?ar=2026&enhet={org['team'].pk}") == set()


def test_a_choice_no_longer_in_the_list_is_said_beside_its_field_and_everything_shown(adopted_summary, publish, client):
    publish(adopted_summary(title="Lagade gungor"))

    response = client.get(PAGE + "?enhet=999999&ar=abc")
    body = response.content.decode()

    assert response.status_code == 200
    assert sv(ERROR_CHOICE_GONE) in body
    assert "Lagade gungor" in body


def test_pages_of_twenty_with_links_that_keep_the_filters(org, adopted_summary, publish, client):
    with time_machine.travel("2026-02-10 10:00 +01:00", tick=False):
        for number in range(21):
            publish(adopted_summary(title=f"Förbättring {number:02d}"))

    first = client.get(PAGE + f"?enhet={org['team'].pk}").content.decode()
    second = client.get(PAGE + f"?enhet={org['team'].pk}&sida=2").content.decode()

    assert first.count('class="publication"') == 20 and second.count('class="publication"') == 1
    assert f'href="?enhet={org["team"].pk}&amp;sida=2"' in first
    assert "Sida 1 av 2" in first


def test_the_feed_is_atom_with_the_latest_first_and_links_to_each_publication(adopted_summary, publish, client):
    with time_machine.travel("2026-01-10 10:00 +01:00", tick=False):
        older = publish(adopted_summary(title="Lagade gungor"))
    with time_machine.travel("2026-02-10 10:00 +01:00", tick=False):
        newer = publish(adopted_summary(title="Nya bänkar"))

    response = client.get(PAGE + "flode.atom")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test

    assert response["Content-Type"].startswith("application/atom+xml")
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Nya bänkar", "Lagade gungor"]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]  # type: ignore[union-attr]
    assert links[0].endswith(f"/resultat/du-sa-vi-gjorde/{newer.pk}/")
    assert links[1].endswith(f"/resultat/du-sa-vi-gjorde/{older.pk}/")
    assert client.get(f"/resultat/du-sa-vi-gjorde/{older.pk}/").status_code == 200


def test_the_json_download_names_its_columns_filters_and_licence(org, adopted_summary, publish, client):
    with time_machine.travel("2026-02-10 10:00 +01:00", tick=False):
        publication = publish(adopted_summary(title="Lagade gungor", principles=["respekt"]))

    response = client.get(f"/resultat/du-sa-vi-gjorde.json?enhet={org['team'].pk}")
    document = json.loads(response.content)

    assert response["Content-Disposition"] == 'attachment; filename="du-sa-vi-gjorde.json"'
    assert document["filters"] == {"unit": org["team"].pk}
    assert [column["key"] for column in document["columns"]][:3] == ["id", "title", "you_said"]
    assert document["rows"] == [
        {
            "id": publication.pk,
            "title": "Lagade gungor",
            "you_said": "Flera av er skrev att gungorna i parkerna var trasiga länge.",
            "we_did": "Nu går vi en rond bland lekplatserna varje vecka och lagar det vi hittar.",
            "done_on": "2026-02-10",
            "unit": "Parkenheten",
            "categories": ["Parker och lekplatser"],
            "principles": [Principle.objects.get(slug="respekt").title],
            "published_on": "2026-02-10",
        }
    ]
    assert client.get("/resultat/du-sa-vi-gjorde.xml").status_code == 404


def test_the_summary_page_offers_publicera_and_then_links_to_the_publication(
    org, adopted_summary, publish, login_client
):
    improvement = adopted_summary()
    staff = login_client(org["member"])
    summary_page = f"/forbattringar/{improvement.pk}/till-invanarna/"

    before = staff.get(summary_page).content.decode()
    publication = publish(improvement)
    after = staff.get(summary_page).content.decode()

    assert f'href="/resultat/publicera/{improvement.pk}/"' in before
    assert f'href="/resultat/du-sa-vi-gjorde/{publication.pk}/"' in after
    assert "publicera" in staff.get("/resultat/publicera/").content.decode()


def test_the_residents_tracking_page_links_to_the_publication_once_published(
    org, adopted_summary, publish, client, category, django_capture_on_commit_callbacks
):
    case, _key = submit_case(category, text="Gungan är trasig.")
    improvement = adopted_summary(cases=[case])
    # (every footer links the list; the case's own publication is what appears once published)
    assert not re.search(r'href="/resultat/du-sa-vi-gjorde/\d+/"', client.get(tracking_path(case)).content.decode())

    publication = publish(improvement)

    assert f'href="/resultat/du-sa-vi-gjorde/{publication.pk}/"' in client.get(tracking_path(case)).content.decode()


@pytest.mark.parametrize("url", [PAGE, PAGE + "flode.atom", "/resultat/du-sa-vi-gjorde.csv"])
def test_the_queries_of_a_public_page_do_not_grow_with_the_publications(
    url, org, adopted_summary, publish, client, django_assert_max_num_queries, category, street
):
    publish(adopted_summary(title="En", principles=["respekt"]))
    cache.clear()
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for number in range(6):
        improvement = adopted_summary(
            title=f"Fler {number}", principles=["respekt", "tydliga"], by=street["person"], unit=street["unit"]
        )
        publish(improvement, by=street["person"])
    cache.clear()

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_a_kept_unfiltered_page_reads_no_filter_choices(client, adopted_summary, publish, monkeypatch):
    from brobygget.openresults import views

    publish(adopted_summary(title="Lagade gungor"))
    html = client.get("/resultat/du-sa-vi-gjorde/").content.decode()

    def no_options(*args, **kwargs):
        raise AssertionError("a kept unfiltered page read the filters' choices")

    monkeypatch.setattr(views, "_options", no_options)
    for url in ("/resultat/du-sa-vi-gjorde/", "/resultat/du-sa-vi-gjorde/?enhet=&ar="):
        again = client.get(url).content.decode()
        assert "Lagade gungor" in again
        assert again.split("csrfmiddlewaretoken")[0] == html.split("csrfmiddlewaretoken")[0]
