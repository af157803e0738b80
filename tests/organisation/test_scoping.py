"""The scoping API on its own: which units a person sees, and the unit filter's tree (organisation.scoping)."""

import pytest

from brobygget.organisation.models import Membership, Person, Role, Unit
from brobygget.organisation.scoping import (
    ERROR_ROLES_NOT_READ,
    UnitOption,
    Visibility,
    unit_filter_options,
    unit_visibility,
)
from brobygget.organisation.selectors import person_for_actor
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(org):
    """The org fixture's KS → Samhällsbyggnad → Parkenheten, with a sibling below KS and one below Samhällsbyggnad,
    and a second municipality with a tree of its own."""
    municipality = org["root"].municipality
    social = UnitFactory(municipality=municipality, code="SOC", name="Socialtjänsten", parent=org["root"])
    roads = UnitFactory(municipality=municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    elsewhere = MunicipalityFactory(name="Grannby kommun", code="8002")
    far_root = UnitFactory(municipality=elsewhere, code="KS", name="Grannby kommunstyrelse")
    far_team = UnitFactory(municipality=elsewhere, code="PARK", name="Grannby park", parent=far_root)
    return {**org, "social": social, "roads": roads, "far_root": far_root, "far_team": far_team}


def _person(person) -> Person:
    """The person (a Person or what a factory made) as every page reads them: with their roles."""
    read = person_for_actor(actor=person.user)
    assert read is not None
    return read


def _seen(visibility: Visibility | None) -> set[str]:
    """The names of the units a visibility lets its person see (the municipality is the caller's filter)."""
    assert visibility is not None
    units = Unit.objects.filter(visibility.units(), municipality_id=visibility.municipality_id)
    return set(units.values_list("name", flat=True))


def _member(tree, unit: Unit, role: str) -> Person:
    person = PersonFactory(municipality=unit.municipality)
    MembershipFactory(person=person, unit=unit, role=role)
    return _person(person)


def test_a_leader_sees_the_unit_they_lead_and_every_unit_below_it_only(tree, django_assert_num_queries):
    leader = _member(tree, tree["admin_unit"], Role.LEADER)

    with django_assert_num_queries(0):  # the roles came with the person
        visibility = unit_visibility(person=leader)

    assert visibility == Visibility(leader.municipality_id, everything=False, paths=(tree["admin_unit"].path,))
    assert _seen(visibility) == {"Samhällsbyggnad", "Parkenheten", "Gatuenheten"}


def test_staff_see_their_own_units_and_those_below_each_of_them(tree):
    person = _member(tree, tree["team"], Role.STAFF)
    MembershipFactory(person=person, unit=tree["social"], role=Role.STAFF)

    visibility = unit_visibility(person=_person(person))

    assert _seen(visibility) == {"Parkenheten", "Socialtjänsten"}


@pytest.mark.parametrize("role", [Role.REGISTRAR, Role.ADMIN])
def test_registrars_and_administrators_see_the_whole_municipality_wherever_their_role_is(tree, role):
    person = _member(tree, tree["team"], Role.STAFF)
    MembershipFactory(person=person, unit=tree["roads"], role=role)  # a role low in the tree counts as high

    visibility = unit_visibility(person=_person(person))

    assert visibility is not None and visibility.everything
    assert _seen(visibility) == {
        "Kommunstyrelsen",
        "Samhällsbyggnad",
        "Parkenheten",
        "Socialtjänsten",
        "Gatuenheten",
    }


def test_a_person_in_no_unit_and_nobody_see_nothing(tree):
    loner = _person(PersonFactory(municipality=tree["root"].municipality))

    assert list(loner.unit_roles) == []
    assert unit_visibility(person=loner) is None
    assert unit_visibility(person=None) is None
    assert unit_filter_options(visibility=None) == []


def test_nobody_sees_a_unit_of_another_municipality(tree):
    registrar = unit_visibility(person=_person(tree["registrar"]))
    leader = unit_visibility(person=_person(tree["leader"]))
    neighbour = unit_visibility(person=_member(tree, tree["far_root"], Role.REGISTRAR))

    assert not {"Grannby kommunstyrelse", "Grannby park"} & (_seen(registrar) | _seen(leader))
    assert _seen(neighbour) == {"Grannby kommunstyrelse", "Grannby park"}
    # rows(): an app's rows by municipality and unit (here memberships, whose municipality is their unit's).
    assert registrar is not None and neighbour is not None and leader is not None
    for visibility, expected in ((registrar, {"Lena", "Mats", "Rut"}), (leader, {"Lena", "Mats"})):
        memberships = Membership.objects.filter(visibility.rows(municipality="unit__municipality"))
        assert set(memberships.values_list("person__first_name", flat=True)) == expected
    neighbours = Membership.objects.filter(neighbour.rows(municipality="unit__municipality"))
    assert list(neighbours.values_list("unit__name", flat=True)) == ["Grannby kommunstyrelse"]
    # Nor is another municipality's unit offered, even when asked for by its id.
    options = unit_filter_options(visibility=registrar, chosen=str(tree["far_team"].pk))
    assert {option.pk for option in options} == {tree["root"].pk, tree["admin_unit"].pk, tree["social"].pk}


def _labels(options: list[UnitOption]) -> list[str]:
    return [option.label.replace("\u00a0\u00a0\u00a0", "> ") for option in options]


def test_the_filter_tree_offers_the_top_two_levels_and_opens_the_chosen_unit(tree, django_assert_num_queries):
    registrar = unit_visibility(person=_person(tree["registrar"]))

    with django_assert_num_queries(1):
        top = unit_filter_options(visibility=registrar)
    assert _labels(top) == ["Kommunstyrelsen", "> Samhällsbyggnad", "> Socialtjänsten"]

    with django_assert_num_queries(2):  # the chosen unit's path, then the options
        opened = unit_filter_options(visibility=registrar, chosen=str(tree["admin_unit"].pk))
    assert _labels(opened) == [
        "Kommunstyrelsen",
        "> Samhällsbyggnad",
        "> > Gatuenheten",
        "> > Parkenheten",
        "> Socialtjänsten",
    ]
    assert [option.depth for option in opened] == [0, 1, 2, 2, 1]
    # A caller that has read the chosen unit's path (here: a unit's parent_path) saves reading it again.
    assert tree["team"].parent_path == tree["admin_unit"].path
    with django_assert_num_queries(1):
        known = unit_filter_options(
            visibility=registrar, chosen=str(tree["admin_unit"].pk), chosen_path=tree["team"].parent_path
        )
    assert known == opened
    assert tree["root"].parent_path == tree["root"].path

    # A unit deep down comes with its ancestors, so the way back up is offered too.
    deep = UnitFactory(municipality=tree["root"].municipality, name="Lekplatser", parent=tree["team"])
    labels = _labels(unit_filter_options(visibility=registrar, chosen=str(deep.pk)))
    assert labels == [
        "Kommunstyrelsen",
        "> Samhällsbyggnad",
        "> > Parkenheten",
        "> > > Lekplatser",
        "> Socialtjänsten",
    ]


def test_the_filter_tree_of_a_leader_starts_at_their_unit_and_ignores_what_they_do_not_see(tree):
    leader = unit_visibility(person=_member(tree, tree["admin_unit"], Role.LEADER))

    assert _labels(unit_filter_options(visibility=leader)) == ["Samhällsbyggnad", "> Gatuenheten", "> Parkenheten"]
    for chosen in (str(tree["root"].pk), str(tree["social"].pk), "abc", "", "9" * 12):
        assert _labels(unit_filter_options(visibility=leader, chosen=chosen)) == [
            "Samhällsbyggnad",
            "> Gatuenheten",
            "> Parkenheten",
        ]


def _roles(person: Person) -> list[tuple[int, int, str, str, str]]:
    return [(m.pk, m.unit_id, m.role, m.unit_path, m.unit_name) for m in person.unit_roles]


def test_a_person_read_for_a_page_has_the_roles_the_plain_prefetch_reads(tree, django_assert_num_queries):
    person = PersonFactory(municipality=tree["root"].municipality)
    for unit, role in ((tree["team"], Role.STAFF), (tree["roads"], Role.LEADER), (tree["root"], Role.ADMIN)):
        MembershipFactory(person=person, unit=unit, role=role)
    MembershipFactory(person=person, unit=tree["roads"], role=Role.STAFF)  # two roles in one unit

    with django_assert_num_queries(1):
        read = person_for_actor(actor=person.user)
        assert read is not None and read.municipality.name == "Testby kommun"
    with django_assert_num_queries(2):
        plain = Person.objects.select_related("municipality").with_roles().get(pk=person.pk)

    assert _roles(read) == _roles(plain)
    assert [(unit, role) for _pk, _id, role, _path, unit in _roles(read)] == [
        ("Gatuenheten", Role.LEADER),
        ("Gatuenheten", Role.STAFF),
        ("Kommunstyrelsen", Role.ADMIN),
        ("Parkenheten", Role.STAFF),
    ]
    assert unit_visibility(person=read) == unit_visibility(person=plain)
    # An inactive person, or an account without a person, is nobody.
    Person.objects.filter(pk=person.pk).update(is_active=False)
    assert person_for_actor(actor=person.user) is None


def test_a_person_read_without_roles_is_refused_rather_than_scoped_by_a_hidden_query(tree):
    person = Person.objects.get(pk=tree["leader"].pk)

    with pytest.raises(TypeError, match=ERROR_ROLES_NOT_READ[:30]):
        unit_visibility(person=person)
