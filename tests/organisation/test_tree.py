"""The unit tree's `path__below` lookup: a unit and its subtree, read from the path's index on both databases."""

import pytest
from django.db import connection

from brobygget.organisation.models import Unit
from brobygget.organisation.scoping import unit_ids_below
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(municipality):
    root = UnitFactory(municipality=municipality, name="Kommunstyrelsen")
    child = UnitFactory(municipality=municipality, parent=root, name="Samhällsbyggnad")
    grandchild = UnitFactory(municipality=municipality, parent=child, name="Parkenheten")
    sibling = UnitFactory(municipality=municipality, parent=root, name="Socialtjänsten")
    # A unit whose path starts with the same digits as the root's, but not with its slash ("/10/" beside "/1/").
    lookalike = UnitFactory(municipality=municipality, name="Lookalike")
    Unit.objects.filter(pk=lookalike.pk).update(path=root.path[:-1] + "0/")
    return {"root": root, "child": child, "grandchild": grandchild, "sibling": sibling}


def test_below_is_the_unit_and_its_subtree_only(tree):
    child, grandchild = tree["child"], tree["grandchild"]

    assert set(Unit.objects.filter(path__below=child.path)) == {child, grandchild}
    assert set(Unit.objects.filter(path__below=tree["root"].path)) == set(tree.values())
    # The prepared read of the inbox gives the same, for one path and for several.
    assert sorted(unit_ids_below(paths=[child.path], under=None)) == sorted([child.pk, grandchild.pk])
    both = unit_ids_below(paths=[child.path, tree["sibling"].path], under=None)
    assert sorted(both) == sorted([child.pk, grandchild.pk, tree["sibling"].pk])
    assert unit_ids_below(paths=[tree["root"].path], under=grandchild.path) == [grandchild.pk]


def test_below_takes_a_path_literally(tree):
    if connection.vendor == "sqlite":  # a GLOB there: a wildcard in a path is refused, not obeyed
        with pytest.raises(ValueError, match="ids and slashes"):
            list(Unit.objects.filter(path__below="/*"))
    else:  # a LIKE with the value escaped, as startswith does
        assert not Unit.objects.filter(path__below="/%").exists()
