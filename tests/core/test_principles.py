"""The principles as data, the one tagging mechanism, and the page that shows both."""

import pytest

from brobygget.core.models import AuditEvent, Principle, PrincipleTag
from brobygget.core.principles import PRINCIPLES
from brobygget.core.services import principle_tags_set
from tests.factories import MunicipalityFactory, RoutineFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_ten_principles_in_order():
    principles = list(Principle.objects.order_by("order"))

    assert len(principles) == 10
    assert [p.slug for p in principles] == [p["slug"] for p in PRINCIPLES]
    assert principles[0].title == "Alla kan göra rätt och lika"
    assert all(p.description for p in principles)


def test_tagging_sets_exactly_the_given_principles_and_is_audited(municipality):
    routine = RoutineFactory(unit=UnitFactory(municipality=municipality))
    first, second, third = Principle.objects.order_by("order")[:3]

    principle_tags_set(actor=None, target=routine, municipality=municipality, principles=[first, second])
    principle_tags_set(actor=None, target=routine, municipality=municipality, principles=[second, third])

    tagged = set(PrincipleTag.objects.filter(object_id=routine.pk).values_list("principle_id", flat=True))
    assert tagged == {second.pk, third.pk}
    assert AuditEvent.objects.filter(action="principles.tagged", target_id=str(routine.pk)).count() == 2


def test_tagging_with_the_same_principles_again_changes_nothing(municipality):
    routine = RoutineFactory(unit=UnitFactory(municipality=municipality))
    principle = Principle.objects.first()
    principle_tags_set(actor=None, target=routine, municipality=municipality, principles=[principle])

    principle_tags_set(actor=None, target=routine, municipality=municipality, principles=[principle])

    assert PrincipleTag.objects.count() == 1
    assert AuditEvent.objects.filter(action="principles.tagged").count() == 1


def test_the_principles_page_is_public_and_lists_all_ten(client):
    response = client.get("/principer/")

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="principle"') == 10
    assert "Vi lyssnar in och är nyfikna" in html
    assert "Kopplat till principen" not in html  # the public sees no internal objects


def test_staff_see_what_is_tagged_in_their_own_municipality_only(org, login_client):
    principle = Principle.objects.get(slug="tydliga")
    own = RoutineFactory(unit=org["team"], title="Vår egen rutin")
    neighbour = MunicipalityFactory(name="Grannby kommun", code="8002")
    foreign = RoutineFactory(unit=UnitFactory(municipality=neighbour), title="Grannens rutin")
    principle_tags_set(actor=None, target=own, municipality=org["team"].municipality, principles=[principle])
    principle_tags_set(actor=None, target=foreign, municipality=neighbour, principles=[principle])

    html = login_client(org["member"]).get("/principer/").content.decode()

    assert "Vår egen rutin" in html
    assert "Grannens rutin" not in html
    assert "Inget är kopplat till principen ännu." in html  # the other nine


def test_the_principles_page_query_count_does_not_grow_with_tags(org, login_client, assert_max_queries):
    client = login_client(org["member"])
    principles = list(Principle.objects.all())
    routine = RoutineFactory(unit=org["team"])
    principle_tags_set(actor=None, target=routine, municipality=org["team"].municipality, principles=principles[:1])
    client.get("/principer/")
    with assert_max_queries(9) as few:
        client.get("/principer/")

    for _ in range(10):
        principle_tags_set(
            actor=None,
            target=RoutineFactory(unit=org["team"]),
            municipality=org["team"].municipality,
            principles=principles,
        )
    with assert_max_queries(len(few)):
        assert client.get("/principer/").status_code == 200


def test_the_value_principle_reads_as_plain_swedish_after_the_migration():
    """Its first wording ("…med invånarnas ögon, för dialog, …") was not Swedish; the migration rewords it unless an
    administrator has changed it."""
    from brobygget.core.models import Principle

    description = Principle.objects.get(slug="varde-for-medborgaren").description
    assert description.startswith("Vi ser verksamheten med invånarnas ögon och för en dialog med dem.")
    assert "för dialog," not in description
