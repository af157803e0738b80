"""The inbox's search box: a case number opens the case, words search the text, the place and the conversation,
within the person's scope and the inbox's filters, in keyset pages, in as many queries however many cases."""

import re

import pytest

from brobygget.dialog import search, selectors_staff
from brobygget.dialog.forms_staff import ERROR_SEARCH_TOO_LONG
from brobygget.dialog.services import case_answer, case_correct_text, case_note, case_resident_reply
from brobygget.organisation.models import Role
from tests.dialog.conftest import sv
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    UnitFactory,
    submit_case,
)

pytestmark = pytest.mark.django_db


def numbers(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/arenden/\d+/">(SYN-\d{4}-\d{5})</a>', response.content.decode())


@pytest.fixture
def street(org):
    unit = UnitFactory(municipality=org["team"].municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    return CategoryFactory(municipality=unit.municipality, unit=unit, name="Gator")


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("SYN-2026-00042", "SYN-2026-00042"),
        ("syn-2026-00042", "SYN-2026-00042"),
        ("  syn 2026 42 ", "SYN-2026-00042"),
        ("SYN202600042", "SYN-2026-00042"),
        ("2026-42", "SYN-2026-00042"),
        ("lekplats 2026", None),
        ("SYN-26-42", None),
        ("", None),
    ],
)
def test_a_case_number_is_recognised_as_staff_type_it(typed, number):
    assert search.case_number_typed(typed) == number


def test_a_case_number_opens_the_case(org, make_case, login_client):
    case = make_case()
    typed = case.number.lower().replace("-", "")

    response = login_client(org["member"]).get("/arenden/", {"sok": typed})

    assert response.status_code == 302
    assert response["Location"] == f"/arenden/{case.pk}/"


def test_a_case_number_outside_the_persons_scope_says_there_is_none_they_may_see(org, street, login_client):
    theirs = submit_case(street)[0]  # the street team's, which the park team's employee does not see

    response = login_client(org["member"]).get("/arenden/", {"sok": theirs.number})

    assert response.status_code == 200
    assert numbers(response) == []
    assert "Det finns inget ärende" in response.content.decode()
    assert f"/arenden/{theirs.pk}/" not in response.content.decode()


def test_words_find_the_text_the_place_and_the_conversation_but_not_internal_notes(org, make_case, login_client):
    by_text = make_case(text="Gungorna på lekplatsen är trasiga.")
    by_place = make_case(text="Det luktar illa.", address="Storgatan 12")
    by_answer = make_case(text="Något är fel.")
    case_answer(actor=None, case=by_answer, text="Vi har lagat vattenledningen.")
    by_reply = make_case(text="Ett annat fel.")
    case_resident_reply(case=by_reply, text="Det gäller bänken vid dammen.")
    by_correction = make_case(text="Stavfel.")
    case_correct_text(actor=None, case=by_correction, text="Rättat: sandlådan är full av glas.")
    noted = make_case(text="Ingenting särskilt.")
    case_note(actor=None, case=noted, text="Hemlig anteckning om sandlådan.")
    client = login_client(org["member"])

    def found(words: str) -> list[str]:
        return numbers(client.get("/arenden/", {"sok": words}))

    assert found("lekplats") == [by_text.number]  # a Swedish ending: "lekplatsen" found by "lekplats"
    assert found("gunga") == [by_text.number]
    assert found("storgatan") == [by_place.number]
    assert found("vattenledningen") == [by_answer.number]
    assert found("dammen") == [by_reply.number]
    assert found("sandlådan") == [by_correction.number]  # and not the case whose note says it
    assert found("lekplatsen trasiga") == [by_text.number]  # every word required
    assert found("lekplatsen vattenledningen") == []


def test_the_search_keeps_the_scope_and_the_filters(org, street, make_case, login_client):
    ours = make_case(text="Trasig lampa i parken.")
    answered = make_case(text="Trasig bänk i parken.")
    case_answer(actor=None, case=answered, text="Lagad.")
    submit_case(street, text="Trasig lampa på gatan.")
    elsewhere = CategoryFactory(municipality=MunicipalityFactory(code="9999"))
    submit_case(elsewhere, text="Trasig lampa i en annan kommun.")

    member = login_client(org["member"])
    assert numbers(member.get("/arenden/", {"sok": "trasig"})) == [answered.number, ours.number]
    assert numbers(member.get("/arenden/", {"sok": "trasig", "status": "answered"})) == [answered.number]
    registrar = login_client(org["registrar"])
    assert len(numbers(registrar.get("/arenden/", {"sok": "trasig lampa"}))) == 2  # not the other municipality's


def test_a_search_that_finds_nothing_says_so(org, make_case, login_client):
    make_case(text="Gatlampan lyser inte.")

    response = login_client(org["member"]).get("/arenden/", {"sok": "elefant"})

    assert numbers(response) == []
    assert "Inga ärenden innehåller de orden" in response.content.decode()


def test_a_search_too_long_is_explained_and_the_inbox_still_shows(org, make_case, login_client):
    case = make_case()

    response = login_client(org["member"]).get("/arenden/", {"sok": "ord " * 60})

    assert sv(ERROR_SEARCH_TOO_LONG) % {"limit_value": search.MAX_LENGTH} in response.content.decode()
    assert numbers(response) == [case.number]


def test_awkward_words_find_nothing_and_break_nothing(org, make_case, login_client):
    make_case(text="Gatlampan lyser inte.")
    client = login_client(org["member"])
    for typed in ['"', "' OR 1=1 --", "NEAR(a b)", "*", "a:* & !b", "gat*", "-", "ÅÄÖ"]:
        response = client.get("/arenden/", {"sok": typed})
        assert response.status_code == 200, typed
    assert numbers(client.get("/arenden/", {"sok": "gat*"})) != []  # the star is not a word: "gat" is searched


def test_search_results_come_in_keyset_pages_without_repeats(org, make_case, login_client):
    cases = [make_case(text=f"Sopkorgen nummer {index} är full.") for index in range(selectors_staff.PAGE_SIZE + 3)]
    make_case(text="Något annat.")
    client = login_client(org["member"])

    first = client.get("/arenden/", {"sok": "sopkorg"})
    link = re.search(r'href="\?([^"]*)" rel="next"', first.content.decode())
    assert link is not None
    second = client.get("/arenden/?" + link.group(1).replace("&amp;", "&"))

    seen = numbers(first) + numbers(second)
    assert sorted(seen) == sorted(case.number for case in cases)
    assert len(set(seen)) == len(seen)


def test_the_search_asks_as_many_queries_however_many_cases_it_finds(org, category, login_client, assert_max_queries):
    department_leader = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=department_leader, unit=org["admin_unit"], role=Role.LEADER)
    client = login_client(department_leader)
    submit_case(category, text="Sopkorgen är full.")
    client.get("/arenden/", {"sok": "sopkorg"})
    # the inbox's (session, user, person, units offered, categories, unit ids, cases, session save), and on SQLite
    # the ids of the few matching cases (dialog.search.case_ids_matching)
    with assert_max_queries(11) as small:
        client.get("/arenden/", {"sok": "sopkorg"})

    for index in range(selectors_staff.PAGE_SIZE + 5):
        case = submit_case(category, text=f"Sopkorgen {index} är full.")[0]
        case_answer(actor=None, case=case, text="Tömd.")
    with assert_max_queries(len(small)) as large:
        response = client.get("/arenden/", {"sok": "sopkorg"})

    assert len(numbers(response)) == selectors_staff.PAGE_SIZE
    assert len(large) == len(small)


@pytest.mark.parametrize("limit", [0, 1, 1000])
def test_a_word_many_cases_hold_finds_the_same_cases_as_a_rare_one(org, make_case, login_client, monkeypatch, limit):
    # SQLite reads the ids of a rare word's few cases, and checks each case of the inbox's order for a common one
    # (dialog.search.case_ids_matching); either way the same cases are found, in the same order.
    monkeypatch.setattr(search, "SQLITE_ID_LIMIT", limit)
    matching = [make_case(text=f"Sopkorgen {index} är full.") for index in range(3)]
    make_case(text="Något annat.")
    client = login_client(org["member"])

    for order in ("nyast", "bradskande"):
        found = numbers(client.get("/arenden/", {"sok": "sopkorgen", "ordning": order}))
        assert sorted(found) == sorted(case.number for case in matching)
    assert numbers(client.get("/arenden/", {"sok": "elefant"})) == []
