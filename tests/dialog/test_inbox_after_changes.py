"""The inbox's filter form is made for each request: a unit moved, renamed, or a role given shows at once."""

import re

import pytest

from brobygget.organisation.models import Role, Unit
from brobygget.organisation.services import membership_add, unit_update
from tests.factories import CategoryFactory, UnitFactory, submit_case

pytestmark = pytest.mark.django_db


def _numbers(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/arenden/\d+/">(SYN-\d{4}-\d{5})</a></th>', html)


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="enhet".*?</select>', html, re.S)
    assert select is not None
    return [label.replace("\u00a0", "") for label in re.findall(r"<option [^>]*>([^<]*)</option>", select.group(0))]


def test_a_unit_moved_elsewhere_is_still_found_by_the_same_filter(org, make_case, login_client):
    case = make_case()
    registrar = login_client(org["registrar"])
    team = {"enhet": org["team"].pk}
    assert _numbers(registrar.get("/arenden/", team).content.decode()) == [case.number]

    unit_update(actor=None, unit=org["team"], name="Parkenheten", kind=Unit.Kind.TEAM, parent=org["root"])

    assert _numbers(registrar.get("/arenden/", team).content.decode()) == [case.number]
    assert _numbers(registrar.get("/arenden/", {"enhet": org["admin_unit"].pk}).content.decode()) == []


def test_a_unit_moved_under_its_own_staff_is_still_found_by_their_filter(org, make_case, login_client):
    # The member sees their own unit only, so the filter offers the same one option before and after the move:
    # only its path changed. A filter form kept by what it offered would keep the old path and find no cases.
    case = make_case()
    member = login_client(org["member"])
    team = {"enhet": org["team"].pk}
    assert _numbers(member.get("/arenden/", team).content.decode()) == [case.number]

    unit_update(actor=None, unit=org["team"], name="Parkenheten", kind=Unit.Kind.TEAM, parent=org["root"])

    assert _numbers(member.get("/arenden/", team).content.decode()) == [case.number]


def test_a_renamed_unit_is_offered_by_its_new_name(org, make_case, login_client):
    make_case()
    registrar = login_client(org["registrar"])
    assert "Parkenheten" in _options(registrar.get("/arenden/", {"enhet": org["team"].pk}).content.decode())

    unit_update(actor=None, unit=org["team"], name="Park och natur", kind=Unit.Kind.TEAM, parent=org["admin_unit"])

    options = _options(registrar.get("/arenden/", {"enhet": org["team"].pk}).content.decode())
    assert "Park och natur" in options
    assert "Parkenheten" not in options


def test_a_new_role_shows_the_units_and_cases_it_gives_at_once(org, make_case, login_client):
    park_case = make_case()
    street = UnitFactory(
        municipality=org["team"].municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"]
    )
    street_case = submit_case(CategoryFactory(municipality=street.municipality, unit=street, name="Gator"))[0]
    member = login_client(org["member"])
    before = member.get("/arenden/").content.decode()
    assert _numbers(before) == [park_case.number]
    assert "Gatuenheten" not in _options(before)

    membership_add(actor=None, person=org["member"], unit=street, role=Role.STAFF)

    after = member.get("/arenden/").content.decode()
    assert _numbers(after) == [street_case.number, park_case.number]
    assert "Gatuenheten" in _options(after)
    assert _numbers(member.get("/arenden/", {"enhet": street.pk}).content.decode()) == [street_case.number]
