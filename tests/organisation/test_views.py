"""The unit page and "Min sida": what they show, who may see them, and their query counts."""

import datetime
import re

import pytest
from django.utils import timezone

from brobygget.organisation.models import Role
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ResponsibilityFactory,
    RoutineFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


def _page_text(response, path: str) -> str:
    """The page without what differs by request alone: the CSRF token and the page's own address."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(path, "PATH")


def _grow_unit(unit, members: int, routines: int) -> None:
    for _ in range(members):
        MembershipFactory(person=PersonFactory(municipality=unit.municipality), unit=unit, role=Role.STAFF)
    for _ in range(routines):
        RoutineFactory(unit=unit)
    for _ in range(routines):
        ResponsibilityFactory(unit=unit)
    for _ in range(routines):
        UnitFactory(municipality=unit.municipality, parent=unit)


def test_unit_page_shows_who_is_responsible_for_what(org, login_client):
    ResponsibilityFactory(unit=org["team"], person=org["member"], area="Arbetsmiljö")
    RoutineFactory(unit=org["team"], owner=org["member"], title="Besiktning av lekplatser")

    response = login_client(org["member"]).get(org["team"].get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ansvarig chef" in html and "Lena Ledare" in html
    assert "Arbetsmiljö" in html and "Besiktning av lekplatser" in html
    # The path from the top of the organisation, as breadcrumbs.
    assert html.index("Kommunstyrelsen") < html.index("Samhällsbyggnad") < html.index("<h1>Parkenheten")


def test_unit_page_says_kindly_when_a_unit_has_no_leader_or_routines(org, login_client):
    response = login_client(org["member"]).get(org["admin_unit"].get_absolute_url())

    html = response.content.decode()
    assert "Ingen ansvarig chef är angiven" in html
    assert "Enheten har inte dokumenterat några rutiner ännu." in html


def test_unit_page_query_count_does_not_grow_with_the_unit(org, login_client, assert_max_queries):
    client = login_client(org["member"])
    client.get(org["team"].get_absolute_url())  # session and translations warmed up
    # session, user, unit (joined with the person), its relatives, members, responsibilities, routines, one per
    # section of the apps above (the improvement board's thanks), session save (3: savepoint, update, release)
    with assert_max_queries(11) as small:
        client.get(org["team"].get_absolute_url())

    _grow_unit(org["team"], members=15, routines=6)
    with assert_max_queries(len(small)) as large:
        response = client.get(org["team"].get_absolute_url())

    assert response.status_code == 200
    assert len(large) == len(small)


def test_my_page_lists_units_responsibilities_and_what_is_due(org, login_client):
    today = timezone.localdate()
    RoutineFactory(
        unit=org["team"], owner=org["leader"], title="Försenad rutin", review_date=today - datetime.timedelta(days=2)
    )
    RoutineFactory(
        unit=org["team"], owner=org["member"], title="Snart dags", review_date=today + datetime.timedelta(days=20)
    )
    RoutineFactory(
        unit=org["team"], owner=org["leader"], title="Långt bort", review_date=today + datetime.timedelta(days=200)
    )
    ResponsibilityFactory(unit=org["team"], person=org["leader"], area="Brandskydd")

    html = login_client(org["leader"]).get("/min-sida/").content.decode()

    assert "Parkenheten" in html and "Ansvarig chef för Parkenheten" in html and "Brandskydd" in html
    assert "Försenad:" in html and "Försenad rutin" in html
    assert "Snart dags" in html  # due in the unit the person leads, though owned by another
    assert "Långt bort" not in html


def test_my_page_hands_its_sections_the_person_as_every_page_reads_them(org, login_client, monkeypatch):
    from brobygget.organisation import selectors

    viewers = []
    monkeypatch.setattr(selectors, "my_page_sections", lambda *, viewer: viewers.append(viewer) or [])
    for person in (org["leader"], PersonFactory(municipality=org["team"].municipality)):
        assert login_client(person).get("/min-sida/").status_code == 200

    leader, loner = (viewer.person for viewer in viewers)
    assert [(m.unit_name, m.role) for m in leader.unit_roles] == [("Parkenheten", Role.LEADER)]
    assert viewers[0].led_unit_ids == (org["team"].pk,)
    assert loner.unit_roles == [] and viewers[1].led_unit_ids == ()
    assert leader.municipality.name == loner.municipality.name == "Testby kommun"


def test_my_page_says_kindly_when_there_is_nothing(municipality, login_client):
    loner = PersonFactory(municipality=municipality)

    html = login_client(loner).get("/min-sida/").content.decode()

    assert f"Välkommen, {loner.first_name}." in html  # a person in no unit is read as anyone else
    assert "Inget behöver göras den närmaste månaden." in html
    assert "Du är inte medlem i någon enhet ännu." in html
    assert "Du har inget särskilt ansvarsområde." in html


def test_my_page_query_count_does_not_grow_with_memberships(org, login_client, assert_max_queries):
    client = login_client(org["leader"])
    client.get("/min-sida/")
    # session, user, the person with their memberships, responsibilities, routines due, one per Min sida
    # section of the apps above (the dialog's cases due, her units' cases and her choice of mail; my improvements,
    # deviations to triage, thanks to me; follow-ups due and overdue below: 9), session save (3)
    with assert_max_queries(16) as small:
        client.get("/min-sida/")

    for _ in range(8):
        unit = UnitFactory(municipality=org["team"].municipality, parent=org["team"])
        MembershipFactory(person=org["leader"], unit=unit, role=Role.LEADER)
        RoutineFactory(unit=unit, review_date=timezone.localdate())
        ResponsibilityFactory(unit=unit, person=org["leader"])
    with assert_max_queries(len(small)) as large:
        response = client.get("/min-sida/")

    assert response.status_code == 200
    assert len(large) == len(small)


def test_staff_pages_send_anonymous_visitors_to_login(org, client):
    for path in ("/min-sida/", org["team"].get_absolute_url()):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")


def test_a_unit_of_another_municipality_looks_exactly_like_a_missing_one(org, login_client):
    other = UnitFactory(municipality=MunicipalityFactory(name="Grannby kommun", code="8002"))
    client = login_client(org["member"])

    foreign = client.get(other.get_absolute_url())
    missing = client.get("/organisation/enheter/999999/")

    assert foreign.status_code == missing.status_code == 404
    assert _page_text(foreign, other.get_absolute_url()) == _page_text(missing, "/organisation/enheter/999999/")
    assert other.name not in foreign.content.decode()


def test_an_account_without_a_person_sees_no_units(org, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ensam", password="x-ett-bra-losenord"))

    assert client.get(org["team"].get_absolute_url()).status_code == 404
    assert "inte kopplat till en person" in client.get("/min-sida/").content.decode()
