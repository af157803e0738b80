"""Learnings: written without blame, shared with the whole municipality, linked to an improvement or a deviation,
audited; and anonymous when the author chooses: no page, search result, admin page or audit event names them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from brobygget.core.models import AuditEvent, Principle, PrincipleTag
from brobygget.improvement import deviations, search
from brobygget.improvement.learnings import ERROR_LEARNED_EMPTY, LearningInput, learning_write
from brobygget.improvement.models import Learning
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory, UserFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Sms i stället för brev",
    "what_happened": "Kallelserna kom fram efter mötet.",
    "what_we_expected": "Att brevet skulle räcka.",
    "what_we_learned": "Posten tar längre tid än vi trodde.",
    "what_we_change": "Vi skickar sms en vecka före.",
}


def learning_input(**fields) -> LearningInput:
    return LearningInput(**{**FORM, **fields})


def write(person: Person, unit, **fields) -> Learning:
    assert person.user is not None
    return learning_write(actor=person.user, unit=unit, data=learning_input(**fields))


def test_a_learning_is_written_from_the_form_and_read_by_another_unit(org, street, login_client):
    principle = Principle.objects.order_by("order").first()
    assert principle is not None
    response = login_client(org["member"]).post(
        "/forbattringar/lardomar/ny/", {**FORM, "unit": str(org["team"].pk), "principles": [str(principle.pk)]}
    )

    learning = Learning.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/forbattringar/lardomar/{learning.pk}/"
    assert learning.author == org["member"] and not learning.anonymous
    event = AuditEvent.objects.get(action="learning.written")
    assert event.actor == org["member"].user and event.payload == {"unit": org["team"].pk, "anonymous": False}
    page = login_client(street["person"]).get(response["Location"]).content.decode()
    assert "Posten tar längre tid än vi trodde." in page and "Mats Medarbetare" in page
    assert principle.title in page


def test_a_refused_learning_keeps_what_was_typed(org, login_client):
    response = login_client(org["member"]).post(
        "/forbattringar/lardomar/ny/", {**FORM, "what_we_learned": "", "unit": str(org["team"].pk)}
    )

    html = response.content.decode()
    assert response.status_code == 200 and sv(ERROR_LEARNED_EMPTY) in html
    assert "Kallelserna kom fram efter mötet." in html
    assert not Learning.objects.exists()


def test_a_learning_may_link_an_improvement_the_writer_sees(org, street, raise_improvement, login_client):
    improvement = raise_improvement()
    client = login_client(org["member"])

    form = client.get("/forbattringar/lardomar/ny/", {"forbattring": improvement.pk}).content.decode()
    client.post("/forbattringar/lardomar/ny/", {**FORM, "unit": str(org["team"].pk), "improvement": improvement.pk})

    assert "Färre samtal om snöröjning" in form
    assert Learning.objects.get().improvement == improvement
    # Someone of another team cannot link it, nor reach it through the form.
    assert (
        login_client(street["person"]).get("/forbattringar/lardomar/ny/", {"forbattring": improvement.pk}).status_code
        == 404
    )
    with pytest.raises(ValidationError):
        write(street["person"], street["unit"], improvement_id=improvement.pk)


def test_a_learning_is_written_for_a_unit_one_sees_only(org, street):
    with pytest.raises(PermissionDenied):
        write(org["member"], street["unit"])


def test_another_municipality_gets_404(org, login_client):
    learning = write(org["member"], org["team"])
    other = MunicipalityFactory(name="Annanby", code="9003")
    unit = UnitFactory(municipality=other, code="Z")
    stranger = PersonFactory(municipality=other)
    MembershipFactory(person=stranger, unit=unit)

    assert login_client(stranger).get(f"/forbattringar/lardomar/{learning.pk}/").status_code == 404


def test_an_anonymous_learning_keeps_no_author_and_its_events_no_actor(org):
    principle = Principle.objects.order_by("order").first()
    assert principle is not None

    learning = write(org["member"], org["team"], anonymous=True, principle_ids=[principle.pk])

    learning.refresh_from_db()
    assert learning.anonymous and learning.author_id is None
    assert PrincipleTag.objects.filter(object_id=learning.pk, principle=principle).exists()
    for event in AuditEvent.objects.filter(target_id=str(learning.pk)):
        assert event.actor_id is None
        assert org["member"].pk not in event.payload.values()
    assert AuditEvent.objects.get(action="learning.written").payload == {"unit": org["team"].pk, "anonymous": True}


def test_a_deviation_made_an_anonymous_learning_does_not_name_the_leader(org, login_client):
    assert org["member"].user is not None and org["leader"].user is not None
    deviation = deviations.deviation_report(
        actor=org["member"].user, unit=org["team"], what_happened="Bilen var tom.", where="Garaget"
    )

    learning = deviations.deviation_to_learning(
        actor=org["leader"].user, deviation=deviation, data=learning_input(anonymous=True)
    )

    deviation.refresh_from_db()
    assert deviation.triaged_by is None and learning.author_id is None
    assert AuditEvent.objects.get(action="deviation.triaged").actor_id is None
    for person in (org["leader"], org["member"]):
        page = login_client(person).get(f"/forbattringar/avvikelser/{deviation.pk}/").content.decode()
        assert "Lena Ledare" not in page


def _anonymous_author(org) -> Person:
    """A person whose name, username and id appear nowhere but as the author of one anonymous learning."""
    user = UserFactory(username="agnes.hemlig")
    PersonFactory(municipality=org["team"].municipality, user=user, first_name="Agnes", last_name="Hemligsson")
    person = Person.objects.get(user__username="agnes.hemlig")
    MembershipFactory(person=person, unit=org["team"], role=Role.STAFF)
    return Person.objects.with_roles().select_related("user").get(pk=person.pk)


def test_no_page_search_or_admin_page_names_the_author_of_an_anonymous_learning(org, street, login_client):
    author = _anonymous_author(org)
    principle = Principle.objects.order_by("order").first()
    assert principle is not None and author.user is not None
    learning = learning_write(
        actor=author.user,
        unit=org["team"],
        data=learning_input(title="Hemlig lärdom om nycklar", anonymous=True, principle_ids=[principle.pk]),
    )
    # A named learning beside it, so that the walk shows it would see a name where there is one.
    named = write(org["member"], org["team"], title="Öppen lärdom om nycklar")
    admin = get_user_model().objects.create_superuser("admin.granskare", "granskare@example.se", "ett-bra-losenord-42")
    events = list(AuditEvent.objects.filter(target_id=str(learning.pk)).values_list("pk", flat=True))
    year = learning.written_at.year

    staff_pages = [
        f"/forbattringar/lardomar/{learning.pk}/",
        "/forbattringar/lardomar/",
        "/forbattringar/lardomar/?q=nycklar",
        "/forbattringar/lardomar/?q=hemlig",
        f"/forbattringar/lardomar/?q=nycklar&enhet={org['team'].pk}&princip={principle.pk}&ar={year}",
        "/min-sida/",
        "/principer/",
    ]
    admin_pages = [
        "/admin/improvement/learning/",
        "/admin/improvement/learning/?anonymous__exact=1",
        f"/admin/improvement/learning/{learning.pk}/change/",
        f"/admin/improvement/learning/{learning.pk}/history/",
        "/admin/core/auditevent/",
        "/admin/core/auditevent/?action=learning.written",
        "/admin/core/auditevent/?action=principles.tagged",
        *(f"/admin/core/auditevent/{pk}/change/" for pk in events),
    ]
    secrets = [
        "Agnes",
        "Hemligsson",
        "agnes.hemlig",
        f"/admin/auth/user/{author.user.pk}/",
        f"/admin/organisation/person/{author.pk}/",
    ]
    readers = [login_client(person) for person in (org["leader"], org["member"], org["registrar"], street["person"])]
    admin_client = login_client(org["leader"])
    admin_client.force_login(admin)

    walked = 0
    for client in readers:
        for url in staff_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            for secret in secrets:
                assert secret not in html, (url, secret)
            walked += 1
    for url in admin_pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, (url, secret)
        walked += 1

    # Searching for the author's name or username finds nothing (the page only repeats what was typed).
    for words in ("Agnes Hemligsson", "agnes.hemlig", "Hemligsson"):
        assert search.search(municipality_id=author.municipality_id, filters=search.Filters(query=words)).total == 0
    assert "Hemlig lärdom" not in admin_client.get("/admin/improvement/learning/?q=Agnes").content.decode()
    # The walk sees what it looks for: the learning is on the pages, and a named author is named.
    assert "Hemlig lärdom om nycklar" in readers[3].get("/forbattringar/lardomar/?q=nycklar").content.decode()
    assert "Hemlig lärdom om nycklar" in admin_client.get("/admin/improvement/learning/").content.decode()
    assert "Mats Medarbetare" in readers[3].get(f"/forbattringar/lardomar/{named.pk}/").content.decode()
    assert re.search(r"Publicerad utan namn", readers[0].get(staff_pages[0]).content.decode())
    assert walked == len(readers) * len(staff_pages) + len(admin_pages)


def test_a_learnings_page_asks_the_same_number_of_queries_however_many_principles(
    org, login_client, assert_max_queries
):
    principles = list(Principle.objects.order_by("order").values_list("pk", flat=True))
    few = write(org["member"], org["team"], principle_ids=principles[:1])
    many = write(org["member"], org["team"], principle_ids=principles)
    client = login_client(org["leader"])
    client.get(f"/forbattringar/lardomar/{few.pk}/")

    with assert_max_queries(12) as one:
        client.get(f"/forbattringar/lardomar/{few.pk}/")
    with assert_max_queries(len(one)):
        response = client.get(f"/forbattringar/lardomar/{many.pk}/")

    assert response.status_code == 200
