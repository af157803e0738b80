"""The inbox: who sees which cases, the filters, keyset pages that neither repeat nor skip, and its query count."""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from brobygget.dialog import selectors_staff
from brobygget.dialog.forms_staff import ERROR_CHOICE_UNKNOWN
from brobygget.dialog.models import Status
from brobygget.dialog.services import case_answer, case_assign
from brobygget.organisation.models import Role
from tests.dialog.conftest import sv
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
    submit_case,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def numbers(response) -> list[str]:
    """The case numbers of the inbox's rows, in order."""
    return re.findall(r'<th scope="row"><a href="/arenden/\d+/">(SYN-\d{4}-\d{5})</a></th>', response.content.decode())


@pytest.fixture
def street(org):
    """A second team beside the park team, with its own category and employee."""
    unit = UnitFactory(municipality=org["team"].municipality, code="GATA", name="Gatuenheten", parent=org["admin_unit"])
    person = PersonFactory(municipality=unit.municipality, first_name="Gustav", last_name="Gata")
    MembershipFactory(person=person, unit=unit, role=Role.STAFF)
    category = CategoryFactory(municipality=unit.municipality, unit=unit, name="Gator")
    return {"unit": unit, "person": person, "category": category}


def test_an_employee_sees_the_cases_of_their_unit_and_not_of_the_unit_beside_it(org, street, make_case, login_client):
    park_case = make_case(text="Gungan är trasig.")
    street_case = submit_case(street["category"], text="Hål i vägen.")[0]

    response = login_client(org["member"]).get("/arenden/")

    assert response.status_code == 200
    assert numbers(response) == [park_case.number]
    assert street_case.number not in response.content.decode()


def test_a_leader_of_a_unit_above_sees_the_cases_of_every_unit_below(org, street, make_case, login_client):
    department_leader = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=department_leader, unit=org["admin_unit"], role=Role.LEADER)
    park_case = make_case()
    street_case = submit_case(street["category"])[0]

    response = login_client(department_leader).get("/arenden/")

    assert numbers(response) == [street_case.number, park_case.number]


def test_the_registrar_sees_every_case_of_the_municipality_and_none_of_another(org, street, make_case, login_client):
    ours = [make_case(), submit_case(street["category"])[0]]
    elsewhere = CategoryFactory(municipality=MunicipalityFactory(code="9999"))
    theirs = submit_case(elsewhere)[0]

    response = login_client(org["registrar"]).get("/arenden/")

    html = response.content.decode()
    assert len(numbers(response)) == 2
    assert all(f'href="/arenden/{case.pk}/"' in html for case in ours)
    assert f'href="/arenden/{theirs.pk}/"' not in html  # the same number SYN-…-00001, in another municipality


def test_a_person_of_another_municipality_sees_no_cases(org, make_case, login_client):
    make_case()
    stranger = PersonFactory(municipality=MunicipalityFactory(code="9999"))
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=stranger.municipality), role=Role.REGISTRAR)

    response = login_client(stranger).get("/arenden/")

    assert response.status_code == 200
    assert numbers(response) == []


def test_an_account_without_a_person_is_told_why_it_sees_nothing(org, make_case, client, django_user_model):
    make_case()
    client.force_login(django_user_model.objects.create_user("utan-person", password="ett-bra-losenord-42"))

    response = client.get("/arenden/")

    assert numbers(response) == []
    assert sv("Your account is not linked to a unit, so you see no cases. Ask your administrator to link it.") in (
        response.content.decode()
    )


def test_anonymous_visitors_are_sent_to_the_login(client):
    for path in ("/arenden/", "/arenden/statistik/", "/arenden/1/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/?next=")


def test_the_filters_narrow_the_list(org, street, make_case, login_client):
    registrar = login_client(org["registrar"])
    complaint = make_case(kind="complaint")
    fault = make_case(kind="fault_report")
    street_case = submit_case(street["category"], kind="fault_report")[0]
    case_answer(actor=org["member"].user, case=complaint, text="Tack, vi åtgärdar det.")

    assert numbers(registrar.get("/arenden/", {"typ": "fault_report"})) == [street_case.number, fault.number]
    assert numbers(registrar.get("/arenden/", {"status": Status.ANSWERED})) == [complaint.number]
    assert numbers(registrar.get("/arenden/", {"kategori": street["category"].pk})) == [street_case.number]
    assert numbers(registrar.get("/arenden/", {"enhet": org["team"].pk})) == [fault.number, complaint.number]
    # A unit includes the units below it.
    assert len(numbers(registrar.get("/arenden/", {"enhet": org["admin_unit"].pk}))) == 3


def test_only_my_cases(org, make_case, login_client):
    mine = make_case()
    make_case()
    case_assign(actor=org["leader"].user, case=mine, unit=org["team"], assignee=org["member"])

    response = login_client(org["member"]).get("/arenden/", {"mina": "on"})

    assert numbers(response) == [mine.number]


def test_overdue_lists_open_cases_past_their_answer_by_date_and_marks_them(org, make_case, login_client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        late = make_case(text="Inskickat för länge sedan.")
        answered_late = make_case()
        case_answer(actor=org["member"].user, case=answered_late, text="Svar.")
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=STOCKHOLM), tick=False):
        fresh = make_case()
        response = login_client(org["member"]).get("/arenden/", {"forsenade": "on"})
        everything = login_client(org["member"]).get("/arenden/")

    assert numbers(response) == [late.number]
    html = everything.content.decode()
    row = re.search(rf"<tr class=\"row-overdue\">.*?{late.number}.*?</tr>", html, re.S)
    assert row is not None and sv("Overdue") in row.group(0)  # a word, not only a colour
    fresh_row = re.search(rf"<tr>\s*<th scope=\"row\"><a href=\"/arenden/{fresh.pk}/\">.*?</tr>", html, re.S)
    assert fresh_row is not None and sv("Overdue") not in fresh_row.group(0)


def test_a_case_due_within_two_working_days_is_marked_due_soon(org, make_case, login_client):
    # Promise of 10 working days from Monday 2 March: due Monday 16 March. On Thursday 12 March, two working
    # days remain (Friday, Monday): due soon. On Wednesday 11 March, three remain: not yet.
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        case = make_case()
    assert case.answer_due == datetime.date(2026, 3, 16)

    with time_machine.travel(datetime.datetime(2026, 3, 11, 10, tzinfo=STOCKHOLM), tick=False):
        not_yet = login_client(org["member"]).get("/arenden/").content.decode()
    with time_machine.travel(datetime.datetime(2026, 3, 12, 10, tzinfo=STOCKHOLM), tick=False):
        soon = login_client(org["member"]).get("/arenden/").content.decode()

    assert "row-due_soon" not in not_yet
    assert 'class="row-due_soon"' in soon and sv("Due soon") in soon


def test_most_urgent_first_lists_open_cases_by_answer_by_date(org, category, login_client):
    fast = CategoryFactory(municipality=category.municipality, unit=category.unit)
    ServicePromiseFactory(category=fast, acknowledge_days=1, answer_days=3)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        slow_early = submit_case(category)[0]
        closed = submit_case(fast)[0]
    with time_machine.travel(datetime.datetime(2026, 3, 4, 10, tzinfo=STOCKHOLM), tick=False):
        fast_late = submit_case(fast)[0]
    case_answer(actor=org["member"].user, case=closed, text="Klart.", close=True)

    response = login_client(org["member"]).get("/arenden/", {"ordning": "bradskande"})

    assert numbers(response) == [fast_late.number, slow_early.number]


def test_a_filter_value_that_is_not_a_choice_is_dropped_and_explained(org, make_case, login_client):
    case = make_case()

    response = login_client(org["member"]).get("/arenden/", {"status": "påhittad", "enhet": "999999"})

    html = response.content.decode()
    assert numbers(response) == [case.number]
    assert sv(ERROR_CHOICE_UNKNOWN) in html
    assert 'role="alert"' in html


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="([^"]*)" selected>', select.group(0))


def test_the_filter_form_shows_what_each_request_asked_for(org, make_case, category, login_client):
    # Asking again, or another person asking the same, shows exactly what was asked, in their language.
    make_case()
    client = login_client(org["member"])
    for status in ["received", "", "closed", "received"]:
        assert _selected(client.get("/arenden/", {"status": status}).content.decode(), "status") == [status]

    wrong = client.get("/arenden/", {"status": "påhittad"}).content.decode()
    assert sv(ERROR_CHOICE_UNKNOWN) in wrong
    assert sv(ERROR_CHOICE_UNKNOWN) not in client.get("/arenden/", {"status": "closed"}).content.decode()

    category.name = "Lekparker"
    category.save()
    assert "Lekparker" in client.get("/arenden/").content.decode()

    english = login_client(org["leader"]).get("/arenden/", {"status": "closed"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<button type="submit" class="button">Show cases</button>' in english.content.decode()
    assert _selected(english.content.decode(), "status") == ["closed"]


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(selectors_staff, "PAGE_SIZE", 4)


def _walk(client, params: dict) -> tuple[list[str], list[str]]:
    """Follow "Next page" to the end; returns every number seen and the "Visar a–b" text of each page."""
    seen, shown = [], []
    url, query = "/arenden/", dict(params)
    for _ in range(20):
        response = client.get(url, query)
        html = response.content.decode()
        seen += numbers(response)
        shown += re.findall(r'<span class="count">([^<]+)</span>', html)
        following = re.search(r'<a href="\?([^"]+)" rel="next">', html)
        if following is None:
            return seen, shown
        url, query = "/arenden/?" + following.group(1).replace("&amp;", "&"), {}
    raise AssertionError("the pages never end")


def test_newest_first_pages_neither_repeat_nor_skip_cases_that_came_in_at_the_same_moment(
    org, make_case, login_client, small_pages
):
    moments = [datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), datetime.datetime(2026, 3, 3, 9, tzinfo=STOCKHOLM)]
    created = []
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            created += [make_case() for _ in range(5)]  # five at exactly the same time: the id breaks the tie

    seen, shown = _walk(login_client(org["member"]), {})

    expected = [c.number for c in sorted(created, key=lambda c: (c.submitted_at, c.pk), reverse=True)]
    assert seen == expected
    showing = sv("Showing %(first)s–%(last)s")
    assert shown == [showing % {"first": a, "last": b} for a, b in ((1, 4), (5, 8), (9, 10))]


def test_most_urgent_pages_neither_repeat_nor_skip_and_keep_the_filters(org, make_case, login_client, small_pages):
    created = []
    for day in (2, 3, 4):
        with time_machine.travel(datetime.datetime(2026, 3, day, 10, tzinfo=STOCKHOLM), tick=False):
            created += [make_case(kind="fault_report") for _ in range(3)]
    make_case(kind="praise")  # filtered out on every page

    seen, _shown = _walk(login_client(org["member"]), {"ordning": "bradskande", "typ": "fault_report"})

    assert seen == [c.number for c in sorted(created, key=lambda c: (c.answer_due, c.pk))]


def test_a_cursor_that_was_not_made_by_us_shows_the_first_page(org, make_case, login_client):
    case = make_case()

    for cursor, start in (("x_1", "51"), ("99999999999999999999999_1", "x"), ("2026-13-01_4", "-3"), ("a" * 500, "")):
        response = login_client(org["member"]).get("/arenden/", {"efter": cursor, "fran": start})
        assert 'role="alert"' not in response.content.decode()
        assert numbers(response) == [case.number]
        assert sv("Showing %(first)s–%(last)s") % {"first": 1, "last": 1} in response.content.decode()


def _grow(org, category, count):
    """More cases, spread over categories, units, handlers and statuses (what a row shows)."""
    for index in range(count):
        unit = UnitFactory(municipality=org["team"].municipality, parent=org["team"])
        handler = PersonFactory(municipality=unit.municipality)
        MembershipFactory(person=handler, unit=unit)
        other = CategoryFactory(municipality=unit.municipality, unit=unit)
        case = submit_case(other if index % 2 else category)[0]
        case_assign(actor=None, case=case, unit=unit, assignee=handler)


def test_the_inbox_query_count_does_not_grow_with_the_cases(org, category, login_client, assert_max_queries):
    client = login_client(org["leader"])
    _grow(org, category, 2)
    client.get("/arenden/")
    # session, user, the person with their roles, units offered, ids of the units below (a hint for the database),
    # categories, cases, session save (3)
    with assert_max_queries(10) as small:
        client.get("/arenden/", {"ordning": "bradskande"})

    _grow(org, category, selectors_staff.PAGE_SIZE)  # a full page of rows
    with assert_max_queries(len(small)) as large:
        response = client.get("/arenden/", {"ordning": "bradskande"})

    assert len(numbers(response)) == selectors_staff.PAGE_SIZE
    assert len(large) == len(small)


def test_the_inbox_asks_for_one_page_and_one_row_more_and_counts_nothing(org, category, login_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(org, category, 3)
    with CaptureQueriesContext(connection) as context:
        login_client(org["registrar"]).get("/arenden/")

    case_queries = [q["sql"] for q in context.captured_queries if 'FROM "dialog_case"' in q["sql"]]
    assert len(case_queries) == 1
    assert f"LIMIT {selectors_staff.PAGE_SIZE + 1}" in case_queries[0]
    assert "COUNT(" not in " ".join(q["sql"] for q in context.captured_queries).upper()


def test_received_dates_are_the_local_date(org, make_case, login_client):
    # 00:30 in Stockholm on 3 March is still 2 March in UTC.
    with time_machine.travel(datetime.datetime(2026, 3, 3, 0, 30, tzinfo=STOCKHOLM), tick=False):
        make_case()
        html = login_client(org["member"]).get("/arenden/").content.decode()

    assert "2026-03-03" in html


def _offered(response) -> list[str]:
    select = re.search(r'<select name="enhet".*?</select>', response.content.decode(), re.S)
    assert select is not None
    return [label.replace("\u00a0", "_") for label in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))]


def test_the_unit_filter_opens_the_tree_one_level_at_a_time(org, login_client):
    # Given a registrar, who sees every unit, and a unit two levels below the top's children
    playgrounds = UnitFactory(municipality=org["root"].municipality, name="Lekplatser", parent=org["team"])
    client = login_client(org["registrar"])
    # When nothing is chosen, the top and the level below it are offered, indented under their parent
    assert _offered(client.get("/arenden/")) == ["Alla enheter du ser", "Kommunstyrelsen", "___Samhällsbyggnad"]
    # When a unit is chosen, its ancestors, itself and its children are offered, so it can be narrowed further
    assert _offered(client.get(f"/arenden/?enhet={org['admin_unit'].pk}")) == [
        "Alla enheter du ser",
        "Kommunstyrelsen",
        "___Samhällsbyggnad",
        "______Parkenheten",
    ]
    assert _offered(client.get(f"/arenden/?enhet={playgrounds.pk}")) == [
        "Alla enheter du ser",
        "Kommunstyrelsen",
        "___Samhällsbyggnad",
        "______Parkenheten",
        "_________Lekplatser",
    ]


def test_the_unit_filter_of_a_leader_starts_at_the_unit_they_lead_and_refuses_other_units(org, login_client):
    other = UnitFactory(municipality=org["root"].municipality, name="Bygglov", parent=org["admin_unit"])
    client = login_client(org["leader"])
    assert _offered(client.get("/arenden/")) == ["Alla enheter du ser", "Parkenheten"]
    response = client.get(f"/arenden/?enhet={other.pk}")  # a unit the leader sees no cases of
    assert _offered(response) == ["Alla enheter du ser", "Parkenheten"]
    assert sv(ERROR_CHOICE_UNKNOWN) in response.content.decode()


def test_the_person_comes_with_their_roles_so_what_they_see_needs_no_query_of_its_own(
    org, street, django_assert_num_queries
):
    from brobygget.organisation.scoping import unit_visibility
    from brobygget.organisation.selectors import person_for_actor

    MembershipFactory(person=org["leader"], unit=street["unit"], role=Role.STAFF)  # a second role elsewhere
    with django_assert_num_queries(1):
        person = person_for_actor(actor=org["leader"].user)
    assert person is not None and person.pk == org["leader"].pk
    assert person.municipality == org["team"].municipality
    assert sorted((r.role, r.unit_path) for r in person.unit_roles) == sorted(
        [(Role.LEADER, org["team"].path), (Role.STAFF, street["unit"].path)]
    )
    with django_assert_num_queries(0):
        visibility = unit_visibility(person=person)
    assert visibility is not None and visibility.paths == tuple(sorted([org["team"].path, street["unit"].path]))

    # A person in no unit comes with no roles and sees nothing; the registrar sees everything.
    loner = PersonFactory(municipality=org["team"].municipality)
    assert person_for_actor(actor=loner.user).unit_roles == []
    assert unit_visibility(person=person_for_actor(actor=loner.user)) is None
    assert unit_visibility(person=person_for_actor(actor=org["registrar"].user)).everything


def test_a_row_escapes_what_residents_and_administrators_wrote(org, category, login_client):
    category.name = '<script>alert("x")</script> & Co'
    category.save()
    case = submit_case(category)[0]

    html = login_client(org["leader"]).get("/arenden/").content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    row = re.search(rf"<tr[^>]*>.*?{case.number}.*?</tr>", html, re.S)
    assert row is not None
    assert sv("Nobody yet") in row.group(0)  # no handler yet: said in words
