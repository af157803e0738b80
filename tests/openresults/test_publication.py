"""Publication: staff see the summary masked, confirm it, and only then is it public; withdrawn, it leaves every
public page, feed and download but is kept; the published text is a snapshot."""

import csv
import io
import json

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from brobygget.core.models import AuditEvent
from brobygget.openresults import services
from brobygget.openresults.models import Publication
from brobygget.openresults.selectors import publication_preview
from brobygget.openresults.services import ERROR_ALREADY_PUBLISHED, ERROR_REASON_EMPTY, ERROR_TEXT_CHANGED

pytestmark = pytest.mark.django_db

PAGE = "/resultat/du-sa-vi-gjorde/"
FEED = "/resultat/du-sa-vi-gjorde/flode.atom"
CSV = "/resultat/du-sa-vi-gjorde.csv"
JSON = "/resultat/du-sa-vi-gjorde.json"


def sv(message) -> str:
    with translation.override("sv"):
        return str(message)


def everywhere(client) -> dict[str, str]:
    """What the public sees of "Du sa – vi gjorde": the page, the feed and both downloads."""
    return {url: client.get(url).content.decode() for url in (PAGE, FEED, CSV, JSON)}


def test_an_unpublished_summary_appears_nowhere_in_public(adopted_summary, client):
    adopted_summary(title="Lagade gungor i Stadsparken")

    seen = everywhere(client)

    assert all("Lagade gungor" not in body for body in seen.values())
    assert json.loads(seen[JSON])["rows"] == []


def test_staff_see_the_text_masked_with_each_masked_part_marked_and_publish_it(
    org, adopted_summary, login_client, client, django_capture_on_commit_callbacks
):
    improvement = adopted_summary(
        you_said="Anna på Storgatan 12 ringde från 070-123 45 67 om gungorna.", we_did="Vi lagade gungorna."
    )
    staff = login_client(org["member"])

    page = staff.get(f"/resultat/publicera/{improvement.pk}/").content.decode()

    assert "070-123" not in page and "Storgatan 12" not in page
    assert page.count('<mark class="masked"') == 2
    assert "2 delar maskerades." in page
    digest = publication_preview(person=org["member"], improvement_id=improvement.pk).digest
    assert "Storgatan" not in client.get(PAGE).content.decode()  # and the public page is kept in the cache
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/resultat/publicera/{improvement.pk}/", {"confirmed": digest})
    assert response.status_code == 302
    publication = Publication.objects.get(improvement=improvement)
    assert publication.you_said == "Anna på [adress] ringde från [telefonnummer] om gungorna."
    assert [piece["kind"] for piece in publication.masked] == ["address", "phone"]
    public = everywhere(client)
    assert all("ringde från [telefonnummer]" in body for body in public.values())
    assert all("070-123" not in body for body in public.values())
    event = AuditEvent.objects.get(action="openresults.published")
    assert event.payload == {"improvement": improvement.pk, "masked": {"address": 1, "phone": 1}}


def test_the_published_row_keeps_the_unit_categories_principles_and_dates_as_a_snapshot(
    org, adopted_summary, publish, category
):
    with time_machine.travel("2026-05-04 10:00 +02:00", tick=False):
        improvement = adopted_summary(principles=["varde-for-medborgaren", "respekt"])
    with time_machine.travel("2026-05-20 09:00 +02:00", tick=False):
        publication = publish(improvement)
    org["team"].name = "Park- och naturenheten"
    org["team"].save()

    publication.refresh_from_db()
    assert publication.unit_name == "Parkenheten"
    assert publication.done_on.isoformat() == "2026-05-04"
    assert publication.published_at.date().isoformat() == "2026-05-20"
    assert list(publication.categories.values_list("name", flat=True)) == [category.name]
    assert sorted(publication.principles.values_list("slug", flat=True)) == ["respekt", "varde-for-medborgaren"]


def test_a_confirmation_of_another_text_is_refused_and_nothing_is_published(org, adopted_summary):
    improvement = adopted_summary()

    with pytest.raises(ValidationError) as refused:
        services.publication_publish(actor=org["member"].user, improvement_id=improvement.pk, confirmed="0" * 64)

    assert refused.value.messages == [sv(ERROR_TEXT_CHANGED)]
    assert not Publication.objects.exists()


def test_publishing_twice_is_refused(org, adopted_summary, publish):
    improvement = adopted_summary()
    publish(improvement)

    with pytest.raises(ValidationError) as refused:
        publish(improvement)

    assert refused.value.messages == [sv(ERROR_ALREADY_PUBLISHED)]
    assert Publication.objects.count() == 1


def test_a_person_who_does_not_see_the_unit_may_not_publish_nor_open_the_page(
    org, adopted_summary, street, login_client
):
    improvement = adopted_summary()
    digest = publication_preview(person=org["member"], improvement_id=improvement.pk).digest

    with pytest.raises(PermissionDenied):
        services.publication_publish(actor=street["person"].user, improvement_id=improvement.pk, confirmed=digest)

    other = login_client(street["person"])
    assert other.get(f"/resultat/publicera/{improvement.pk}/").status_code == 404
    assert other.post(f"/resultat/publicera/{improvement.pk}/", {"confirmed": digest}).status_code == 404
    assert not Publication.objects.exists()


def test_the_leader_of_the_unit_may_publish(org, adopted_summary, publish):
    improvement = adopted_summary()

    publication = publish(improvement, by=org["leader"])

    assert publication.published_by == org["leader"]


def test_a_withdrawn_publication_leaves_page_feed_and_downloads_but_is_kept_and_audited(
    org, adopted_summary, publish, login_client, client, django_capture_on_commit_callbacks
):
    improvement = adopted_summary(title="Lagade gungor")
    publication = publish(improvement)
    assert all("Lagade gungor" in body for body in everywhere(client).values())
    assert client.get(f"/resultat/du-sa-vi-gjorde/{publication.pk}/").status_code == 200

    staff = login_client(org["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/resultat/publicera/tillbaka/{publication.pk}/", {"reason": "Pekade ut en plats."})

    assert response.status_code == 302
    assert all("Lagade gungor" not in body for body in everywhere(client).values())
    assert client.get(f"/resultat/du-sa-vi-gjorde/{publication.pk}/").status_code == 404
    publication.refresh_from_db()
    assert publication.withdrawn_by == org["leader"] and publication.withdrawn_reason == "Pekade ut en plats."
    assert AuditEvent.objects.filter(action="openresults.withdrawn", target_id=str(publication.pk)).exists()
    page = staff.get(f"/resultat/publicera/{improvement.pk}/").content.decode()
    assert "Pekade ut en plats." in page  # kept, in the history


def test_a_withdrawal_needs_a_reason_and_keeps_the_publication_public_without_one(
    org, adopted_summary, publish, login_client, client
):
    publication = publish(adopted_summary(title="Lagade gungor"))

    response = login_client(org["member"]).post(f"/resultat/publicera/tillbaka/{publication.pk}/", {"reason": " "})

    assert response.status_code == 200
    assert sv(ERROR_REASON_EMPTY) in response.content.decode()
    assert "Lagade gungor" in client.get(PAGE).content.decode()


def test_a_withdrawn_summary_may_be_published_again_as_a_new_row(org, adopted_summary, publish):
    improvement = adopted_summary()
    first = publish(improvement)
    services.publication_withdraw(actor=org["member"].user, publication=first, reason="Fel bild.")

    second = publish(improvement)

    assert second.pk != first.pk
    assert Publication.objects.filter(improvement=improvement, withdrawn_at__isnull=True).get() == second


def test_the_downloads_hold_the_rows_of_every_page_in_the_order_of_the_page(adopted_summary, publish, client):
    for number in range(23):
        with time_machine.travel(f"2026-03-{number + 1:02d} 10:00 +01:00", tick=False):
            publish(adopted_summary(title=f"Förbättring {number:02d}"))

    pages = [client.get(PAGE).content.decode(), client.get(PAGE + "?sida=2").content.decode()]
    rows = list(csv.DictReader(io.StringIO(client.get(CSV).content.decode("utf-8-sig"))))
    document = json.loads(client.get(JSON).content)

    titles = [row["title"] for row in rows]
    assert titles == [f"Förbättring {number:02d}" for number in reversed(range(23))]
    assert [row["title"] for row in document["rows"]] == titles
    shown = "".join(pages)
    positions = [shown.index(f">{title}<") for title in titles]
    assert positions == sorted(positions)  # the page shows them in the same order, over its two pages
    assert all(f">{title}<" in pages[0] for title in titles[:20])
    assert all(f">{title}<" in pages[1] for title in titles[20:])
