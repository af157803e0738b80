"""A case's page: what it shows, who may see it and its photos, and every action through its small form."""

import datetime
import html as html_lib
import io
import re
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from PIL import Image

from brobygget.core.models import AuditEvent
from brobygget.dialog.forms_staff import (
    ERROR_ANSWER_EMPTY,
    ERROR_CHOICE_UNKNOWN,
    ERROR_NOTE_EMPTY,
    ERROR_NUMBER_UNKNOWN,
    ERROR_STATUS_UNKNOWN,
)
from brobygget.dialog.models import AnswerTemplate, Case, CaseEntry, ServicePromise, Status
from brobygget.dialog.photos import ProcessedPhoto
from brobygget.dialog.selectors_staff import RESIDENT_SEES
from brobygget.dialog.services import (
    DEFAULT_ACKNOWLEDGE_DAYS,
    DEFAULT_ANSWER_DAYS,
    ERROR_CASE_CLOSED,
    ERROR_DUPLICATE_OF_ITSELF,
    ERROR_REASON_NEEDED,
    ERROR_TEXT_TOO_LONG,
    case_answer,
    case_assign,
    case_note,
    case_status_set,
)
from brobygget.dialog.views_staff import (
    MESSAGE_ANSWER_MAILED,
    MESSAGE_ANSWER_SAVED_CLOSED,
    MESSAGE_ASSIGNED,
    MESSAGE_MOVED,
    MESSAGE_NOTE_SAVED,
    MESSAGE_NOTHING_CHANGED,
)
from brobygget.organisation.models import Role
from tests.dialog.conftest import sv
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ServicePromiseFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def page_html(response) -> str:
    return html_lib.unescape(response.content.decode())


def same_page(response, path: str) -> str:
    """The page without what differs by request alone: the CSRF token and the page's own address."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(path, "PATH")


def messages_of(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


@pytest.fixture
def case(make_case):
    return make_case(
        text="Gungan i Norrbyparken har en trasig kedja.",
        address="Norrbyparken",
        contact_name="Ada Invånare",
        contact_email="ada@example.se",
        wants_answer=True,
    )


@pytest.fixture
def member(org, login_client):
    return login_client(org["member"])


def post(client, case: Case, action: str, data: dict):
    return client.post(f"/arenden/{case.pk}/{action}/", data)


# What the page shows


def test_the_case_page_shows_what_the_resident_sent_the_promise_and_the_deadlines(org, case, member):
    case_assign(actor=org["leader"].user, case=case, unit=org["team"], assignee=org["member"])
    html = page_html(member.get(f"/arenden/{case.pk}/"))

    facts = html[html.index('class="facts"') : html.index('id="promise-title"')]
    assert "Parker och lekplatser" in facts and "Parkenheten" in facts and "Mats Medarbetare" in facts
    assert case.number in html
    assert "Gungan i Norrbyparken har en trasig kedja." in html and "Norrbyparken" in html
    assert "Ada Invånare" in html and "ada@example.se" in html
    assert "Vi bekräftar inom 2 arbetsdagar och svarar inom 10 arbetsdagar." in html
    assert sv("Answer by") in html and sv("Acknowledge by") in html
    assert sv("The resident gets the answer by email and can read it at their tracking link.") in html


def test_the_page_shows_the_promise_for_the_case_s_kind_else_the_category_s_for_any_kind_else_the_default(
    category, make_case, member
):
    ServicePromise.objects.filter(category=category, kind="").update(acknowledge_days=3, answer_days=15)
    own = ServicePromiseFactory(category=category, kind="complaint", acknowledge_days=1, answer_days=5)
    case = make_case(kind="complaint")
    sentence = "Vi bekräftar inom {} arbetsdag{} och svarar inom {} arbetsdagar."

    assert sentence.format(1, "", 5) in page_html(member.get(f"/arenden/{case.pk}/"))
    own.delete()
    assert sentence.format(3, "ar", 15) in page_html(member.get(f"/arenden/{case.pk}/"))
    ServicePromise.objects.filter(category=category).delete()
    assert sentence.format(DEFAULT_ACKNOWLEDGE_DAYS, "ar", DEFAULT_ANSWER_DAYS) in page_html(
        member.get(f"/arenden/{case.pk}/")
    )


def test_an_overdue_case_says_so_in_words(org, make_case, login_client):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM), tick=False):
        old = make_case()
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=STOCKHOLM), tick=False):
        html = page_html(login_client(org["member"]).get(f"/arenden/{old.pk}/"))

    assert sv("Overdue") in html
    assert sv("Not acknowledged in time") in html


def test_without_an_email_address_the_page_says_the_answer_is_read_only_at_the_link(make_case, member):
    anonymous = make_case()

    html = page_html(member.get(f"/arenden/{anonymous.pk}/"))

    assert sv("The resident gave no email address: they read the answer only at their tracking link.") in html
    assert sv("Anonymous: no contact details") in html


def test_the_history_shows_answers_notes_and_events_in_order(org, case, member):
    case_note(actor=org["member"].user, case=case, text="Ringde verkstaden.")
    case_answer(actor=org["member"].user, case=case, text="Kedjan byts på fredag.")
    case_note(actor=org["member"].user, case=case, text="Bytt.")

    html = page_html(member.get(f"/arenden/{case.pk}/"))

    history = html[html.index('id="history-title"') : html.index('id="answer-title"')]
    assert history.index("Ringde verkstaden.") < history.index("Kedjan byts på fredag.") < history.index("Bytt.")
    assert sv("Only staff see this") in history and sv("The resident sees this") in history
    assert "Mats Medarbetare" in history


def test_the_history_marks_what_the_resident_sees_by_the_model_s_own_rule():
    for kind in CaseEntry.Kind:
        assert (kind in RESIDENT_SEES) == CaseEntry(kind=kind).visible_to_resident, kind


@pytest.mark.parametrize("who", ["other_unit", "other_municipality"])
def test_a_case_not_visible_looks_exactly_like_a_missing_one(org, case, login_client, who):
    if who == "other_unit":
        unit = UnitFactory(municipality=org["team"].municipality, parent=org["admin_unit"])
        outsider = PersonFactory(municipality=unit.municipality)
    else:
        unit = UnitFactory(municipality=MunicipalityFactory(code="9999"))
        outsider = PersonFactory(municipality=unit.municipality)
    MembershipFactory(person=outsider, unit=unit, role=Role.LEADER)
    client = login_client(outsider)

    hidden = client.get(f"/arenden/{case.pk}/")
    missing = client.get("/arenden/999999/")

    assert hidden.status_code == missing.status_code == client.get(f"/arenden/{10**30}/").status_code == 404
    assert same_page(hidden, f"/arenden/{case.pk}/") == same_page(missing, "/arenden/999999/")
    assert post(client, case, "anteckning", {"note-text": "Smyger in."}).status_code == 404
    assert not CaseEntry.objects.filter(case=case).exists()


def test_an_unknown_action_is_not_found_and_the_case_page_s_actions_only_take_posts(case, member):
    assert post(member, case, "radera", {}).status_code == 404
    assert member.get(f"/arenden/{case.pk}/radera/").status_code == 404
    for action in ("svara", "anteckning", "handlaggare", "status"):
        assert member.get(f"/arenden/{case.pk}/{action}/").status_code == 405


def test_the_page_query_count_does_not_grow_with_the_history(org, case, member, assert_max_queries):
    member.get(f"/arenden/{case.pk}/")
    # session, user, person with their roles, the case with its promise, entries, photos, duplicates, templates,
    # people of the unit, the improvements raised from the case, session save (3); no units, no categories (their
    # own pages)
    with assert_max_queries(13) as small:
        member.get(f"/arenden/{case.pk}/")

    for index in range(12):
        author = PersonFactory(municipality=case.municipality)
        MembershipFactory(person=author, unit=org["team"])
        case_note(actor=author.user, case=case, text=f"Anteckning {index}")
        AnswerTemplate.objects.create(municipality=case.municipality, title=f"Mall {index}", text="Tack!")
        unit = UnitFactory(municipality=case.municipality, parent=org["root"], name=f"Enhet {index}")
        CategoryFactory(municipality=case.municipality, unit=unit, name=f"Kategori {index}")
    with assert_max_queries(len(small)) as large:
        response = member.get(f"/arenden/{case.pk}/")

    html = page_html(response)
    assert "Anteckning 11" in html and ">Mall 11</option>" in html
    assert f'<option value="{author.pk}">{author.full_name}</option>' in html
    assert "Enhet 11" not in html and "Kategori 11" not in html
    assert len(large) == len(small)


def test_the_case_page_keeps_the_frequent_actions_and_links_the_rarer_to_their_own_pages(case, member):
    html = page_html(member.get(f"/arenden/{case.pk}/"))

    for action in ("svara", "anteckning", "status", "handlaggare"):
        assert f'action="/arenden/{case.pk}/{action}/"' in html
    for action, label in [
        ("flytta", "Move the case"),
        ("kategori", "Correct the category"),
        ("ratta-text", "Correct the text"),
        ("inte-for-oss", "Not for us"),
        ("dubblett", "Link as a duplicate"),
    ]:
        assert f'<a href="/arenden/{case.pk}/{action}/">{sv(label)}</a>' in html
        assert f'action="/arenden/{case.pk}/{action}/"' not in html
    # Every form carries the page's CSRF token (one token for the page, masked once).
    assert html.count("<form ") == html.count('name="csrfmiddlewaretoken"')


def test_a_closed_case_offers_no_not_for_us(case, member, org):
    case_status_set(actor=org["member"].user, case=case, status=Status.CLOSED)

    html = page_html(member.get(f"/arenden/{case.pk}/"))

    assert f'href="/arenden/{case.pk}/inte-for-oss/"' not in html
    assert f'href="/arenden/{case.pk}/flytta/"' in html


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("flytta", "Move the case"),
        ("kategori", "Correct the category"),
        ("ratta-text", "Correct the text"),
        ("inte-for-oss", "Not for us"),
        ("dubblett", "Link as a duplicate"),
    ],
)
def test_a_rarer_action_has_a_page_of_its_own_with_the_case_in_brief(case, member, action, label):
    response = member.get(f"/arenden/{case.pk}/{action}/")

    html = page_html(response)
    assert response.status_code == 200
    assert f"<h1>{sv(label)}</h1>" in html
    assert f'<a href="/arenden/{case.pk}/">{sv("Case %(number)s") % {"number": case.number}}</a>' in html
    assert "Gungan i Norrbyparken har en trasig kedja." in html
    assert f'<form method="post" action="/arenden/{case.pk}/{action}/"' in html
    assert html.count("<form ") == html.count('name="csrfmiddlewaretoken"')


@pytest.mark.parametrize("action", ["flytta", "kategori", "ratta-text", "inte-for-oss", "dubblett"])
def test_a_rarer_action_s_page_of_a_case_not_visible_looks_like_a_missing_one(org, case, login_client, action):
    unit = UnitFactory(municipality=org["team"].municipality, parent=org["admin_unit"])
    outsider = PersonFactory(municipality=unit.municipality)
    MembershipFactory(person=outsider, unit=unit, role=Role.LEADER)

    assert login_client(outsider).get(f"/arenden/{case.pk}/{action}/").status_code == 404


@pytest.mark.parametrize("action", ["flytta", "kategori"])
def test_a_rarer_action_s_page_asks_the_same_number_of_queries_with_more_units_and_categories(
    org, case, member, assert_max_queries, action
):
    member.get(f"/arenden/{case.pk}/{action}/")
    # session, user, person, scope (memberships), case, the choices (units or categories), session save (3)
    with assert_max_queries(9) as small:
        member.get(f"/arenden/{case.pk}/{action}/")

    for index in range(12):
        unit = UnitFactory(municipality=case.municipality, parent=org["root"], name=f"Enhet {index}")
        UnitFactory(municipality=case.municipality, parent=unit, name=f"Under {index}")
        CategoryFactory(municipality=case.municipality, unit=unit, name=f"Kategori {index}")
    with assert_max_queries(len(small)):
        html = page_html(member.get(f"/arenden/{case.pk}/{action}/"))

    assert ("Enhet 11" in html) if action == "flytta" else (">Kategori 11</option>" in html)


def test_the_move_page_offers_the_tree_a_level_at_a_time_with_the_case_s_own_unit_chosen(org, case, member):
    beside = UnitFactory(municipality=case.municipality, parent=org["root"], name="Kultur")
    below_beside = UnitFactory(municipality=case.municipality, parent=beside, name="Biblioteket")
    sibling = UnitFactory(municipality=case.municipality, parent=org["admin_unit"], name="Gatuenheten")
    foreign = UnitFactory(municipality=MunicipalityFactory(code="9998"), name="Annan kommun")

    html = page_html(member.get(f"/arenden/{case.pk}/flytta/"))

    # The top, its next level, and the level of the case's own unit (its siblings), indented under their parents.
    assert re.search(rf'<option value="{case.unit_id}" selected>\s*{case.unit.name}</option>', html)
    assert re.search(rf'<option value="{beside.pk}">\s*Kultur</option>', html)
    assert re.search(rf'<option value="{sibling.pk}">\s*Gatuenheten</option>', html)
    assert f'value="{below_beside.pk}"' not in html  # a level not opened
    assert f'value="{foreign.pk}"' not in html


def test_the_category_page_offers_the_municipality_s_categories_with_the_case_s_chosen(case, member):
    foreign = CategoryFactory(municipality=MunicipalityFactory(code="9998"), name="Främmande")

    html = page_html(member.get(f"/arenden/{case.pk}/kategori/"))

    assert f'<option value="{case.category_id}" selected>{case.category.name}</option>' in html
    assert "Främmande" not in html and f'value="{foreign.pk}"' not in html


def test_the_case_page_gives_the_case_to_a_person_of_its_own_unit(org, case, member):
    html = page_html(member.get(f"/arenden/{case.pk}/"))

    assert re.search(r'<select name="assign-assignee"[^>]*>\s*<option value="" selected>', html)
    assert f'<option value="{org["member"].pk}">{org["member"].full_name}</option>' in html
    assert org["registrar"].full_name not in html  # people of the case's own unit only


def test_show_the_units_below_opens_that_level_without_moving_the_case(org, case, member):
    beside = UnitFactory(municipality=case.municipality, parent=org["root"], name="Kultur")
    below_beside = UnitFactory(municipality=case.municipality, parent=beside, name="Biblioteket")

    response = post(member, case, "flytta", {"move-unit": beside.pk, "visa": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"/arenden/{case.pk}/flytta/?enhet={beside.pk}"
    html = page_html(member.get(response["Location"]))
    assert re.search(rf'<option value="{beside.pk}" selected>\s*Kultur</option>', html)
    assert re.search(rf'<option value="{below_beside.pk}">\s*Biblioteket</option>', html)
    case.refresh_from_db()
    assert case.unit == org["team"]
    assert not case.entries.exists()


def test_a_case_is_moved_to_a_unit_deep_in_another_branch_and_its_handler_cleared(org, case, member):
    case_assign(actor=org["member"].user, case=case, unit=org["team"], assignee=org["member"])
    beside = UnitFactory(municipality=case.municipality, parent=org["root"], name="Kultur")
    below_beside = UnitFactory(municipality=case.municipality, parent=beside, name="Biblioteket")

    response = post(member, case, "flytta", {"move-unit": below_beside.pk})

    assert messages_of(response) == [str(MESSAGE_MOVED) % {"unit": "Biblioteket"}]
    assert response["Location"] == "/arenden/"  # the member no longer sees the case: back to the inbox
    case.refresh_from_db()
    assert case.unit == below_beside and case.assignee is None
    assert AuditEvent.objects.filter(action="case.assigned", target_id=case.pk).count() == 2


def test_a_case_is_given_to_a_person_of_its_unit(org, case, member):
    response = post(member, case, "handlaggare", {"assign-assignee": org["member"].pk})

    assert messages_of(response) == [str(MESSAGE_ASSIGNED)]
    case.refresh_from_db()
    assert case.assignee == org["member"] and case.unit == org["team"]


def test_a_person_of_another_unit_is_refused_and_the_select_marked_for_assistive_technology(org, case, member):
    html = page_html(post(member, case, "handlaggare", {"assign-assignee": org["registrar"].pk}))

    assert sv(ERROR_CHOICE_UNKNOWN) in html
    assert re.search(
        r'<select name="assign-assignee" aria-describedby="id_assign-assignee-hint id_assign-assignee-error" '
        r'aria-invalid="true" id="id_assign-assignee">',
        html,
    )
    case.refresh_from_db()
    assert case.assignee is None


# Photos


def _photo() -> ProcessedPhoto:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 30, 30)).save(out, format="JPEG")
    return ProcessedPhoto(out.getvalue(), "image/jpeg", "jpg", 8, 6)


def test_photos_are_shown_to_staff_who_see_the_case_and_to_nobody_else(org, make_case, member, login_client):
    with_photo = make_case(photos=[_photo()])
    attachment = with_photo.attachments.get()
    outsider = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=outsider, unit=UnitFactory(municipality=outsider.municipality))

    html = page_html(member.get(f"/arenden/{with_photo.pk}/"))
    response = member.get(f"/arenden/{with_photo.pk}/bilder/{attachment.pk}/")

    assert f"/arenden/{with_photo.pk}/bilder/{attachment.pk}/" in html
    assert sv("Photo %(number)s from the resident, full size") % {"number": 1} in html
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert login_client(outsider).get(f"/arenden/{with_photo.pk}/bilder/{attachment.pk}/").status_code == 404
    assert member.get(f"/arenden/{with_photo.pk}/bilder/{attachment.pk + 1}/").status_code == 404


# Answer


def test_answering_saves_the_answer_and_comes_back_with_a_message(case, member):
    response = post(member, case, "svara", {"answer-text": "Vi byter kedjan på fredag."})

    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"
    assert messages_of(response) == [str(MESSAGE_ANSWER_MAILED)]
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.answered_at is not None
    assert case.entries.get(kind=CaseEntry.Kind.ANSWER).text == "Vi byter kedjan på fredag."
    assert "Vi byter kedjan på fredag." in page_html(member.get(response["Location"]))


def test_answer_and_close_closes_the_case(make_case, member):
    anonymous = make_case()

    response = post(member, anonymous, "svara", {"answer-text": "Klart.", "answer-close": "on"})

    anonymous.refresh_from_db()
    assert anonymous.status == Status.CLOSED and anonymous.closed_at is not None
    assert messages_of(response) == [str(MESSAGE_ANSWER_SAVED_CLOSED)]


def test_an_empty_answer_is_refused_with_a_message_and_nothing_is_saved(case, member):
    response = post(member, case, "svara", {"answer-text": "   "})

    html = page_html(response)
    assert response.status_code == 200
    assert sv(ERROR_ANSWER_EMPTY) in html and 'role="alert"' in html
    assert not case.entries.exists()
    assert not AuditEvent.objects.filter(action="case.answered").exists()


def test_a_too_long_answer_is_refused_and_the_typed_text_is_kept(case, member):
    typed = "Ett långt svar. " * 300

    html = page_html(post(member, case, "svara", {"answer-text": typed}))

    assert sv(ERROR_TEXT_TOO_LONG) in html
    assert typed.strip() in html
    assert 'aria-invalid="true"' in html
    assert not case.entries.exists()


def test_an_answer_to_a_case_closed_meanwhile_is_refused_and_the_text_kept(org, case, member):
    case_status_set(actor=org["leader"].user, case=case, status=Status.CLOSED)

    html = page_html(post(member, case, "svara", {"answer-text": "Mitt omsorgsfullt skrivna svar."}))

    assert sv(ERROR_CASE_CLOSED) in html
    assert "Mitt omsorgsfullt skrivna svar." in html
    assert not case.entries.filter(kind=CaseEntry.Kind.ANSWER).exists()


def test_an_answer_template_fills_in_the_answer_without_javascript(case, member):
    template = AnswerTemplate.objects.create(
        municipality=case.municipality, title="Tack för felanmälan", text="Tack! Vi åtgärdar felet inom några dagar."
    )
    foreign = AnswerTemplate.objects.create(
        municipality=MunicipalityFactory(code="9999"), title="Främmande", text="Från en annan kommun."
    )

    filled = page_html(member.get(f"/arenden/{case.pk}/", {"mall": template.pk}))
    refused = page_html(member.get(f"/arenden/{case.pk}/", {"mall": foreign.pk}))
    nonsense = member.get(f"/arenden/{case.pk}/", {"mall": "x"})

    assert f'<option value="{template.pk}" selected>Tack för felanmälan</option>' in filled
    assert "Vi åtgärdar felet inom några dagar.</textarea>" in filled
    assert "Från en annan kommun." not in refused and "Främmande" not in refused
    assert nonsense.status_code == 200


# Note, move, category, text, not for us, duplicate, status


def test_an_internal_note_is_saved(case, member):
    response = post(member, case, "anteckning", {"note-text": "Ringde verkstaden."})

    assert messages_of(response) == [str(MESSAGE_NOTE_SAVED)]
    assert case.entries.get().kind == CaseEntry.Kind.INTERNAL_NOTE


def test_an_empty_note_is_refused(case, member):
    html = page_html(post(member, case, "anteckning", {"note-text": ""}))

    assert sv(ERROR_NOTE_EMPTY) in html
    assert not case.entries.exists()


def test_a_unit_that_is_not_a_choice_is_refused_on_the_move_page(case, member):
    html = page_html(post(member, case, "flytta", {"move-unit": "999999"}))

    assert sv(ERROR_CHOICE_UNKNOWN) in html
    assert f"<h1>{sv('Move the case')}</h1>" in html and 'role="alert"' in html
    case.refresh_from_db()
    assert not case.entries.exists()


def test_a_case_moved_within_what_the_person_sees_comes_back_to_its_page(org, case, login_client):
    below = UnitFactory(municipality=case.municipality, parent=org["team"], name="Lekplatsgruppen")

    response = post(login_client(org["leader"]), case, "flytta", {"move-unit": below.pk})

    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"


def test_moving_a_case_to_its_own_unit_changes_nothing(case, member):
    response = post(member, case, "flytta", {"move-unit": case.unit_id})

    assert messages_of(response) == [str(MESSAGE_NOTHING_CHANGED)]
    assert not case.entries.exists()


def test_the_category_is_corrected_and_the_old_one_stays_in_the_history(org, case, member):
    other = CategoryFactory(municipality=case.municipality, unit=org["team"], name="Lekplatser")

    post(member, case, "kategori", {"category-category": other.pk})

    case.refresh_from_db()
    assert case.category == other
    assert "Parker och lekplatser" in case.entries.get(kind=CaseEntry.Kind.CORRECTION).text


def test_a_category_of_another_municipality_is_not_a_choice(case, member):
    foreign = CategoryFactory(municipality=MunicipalityFactory(code="9999"))

    html = page_html(post(member, case, "kategori", {"category-category": foreign.pk}))

    assert sv(ERROR_CHOICE_UNKNOWN) in html
    case.refresh_from_db()
    assert case.category_id != foreign.pk


def test_the_correct_text_page_starts_from_the_resident_s_text_and_keeps_a_refused_one(case, member):
    shown = member.get(f"/arenden/{case.pk}/ratta-text/").content.decode()
    typed = "Gungan i parken. " * 300

    refused = page_html(post(member, case, "ratta-text", {"correct-text": typed}))

    assert ">\nGungan i Norrbyparken har en trasig kedja.</textarea>" in shown
    assert sv(ERROR_TEXT_TOO_LONG) in refused and typed.strip() in refused
    assert f"<h1>{sv('Correct the text')}</h1>" in refused
    assert not case.entries.exists()


def test_a_corrected_text_is_kept_beside_the_original(case, member):
    response = post(member, case, "ratta-text", {"correct-text": "Gungan i parken har en trasig kedja."})

    assert response.status_code == 302 and response["Location"] == f"/arenden/{case.pk}/"

    case.refresh_from_db()
    assert case.text == "Gungan i Norrbyparken har en trasig kedja."
    assert case.entries.get(kind=CaseEntry.Kind.CORRECTION).text == "Gungan i parken har en trasig kedja."


def test_not_for_us_needs_a_reason_and_then_closes_the_case(case, member):
    refused = page_html(post(member, case, "inte-for-oss", {"reject-reason": ""}))
    assert sv(ERROR_REASON_NEEDED) in refused
    assert f"<h1>{sv('Not for us')}</h1>" in refused
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED

    post(member, case, "inte-for-oss", {"reject-reason": "Trafikverket sköter vägen. Ring 0771-921 921."})

    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.rejection_reason.startswith("Trafikverket")


def test_a_duplicate_is_linked_by_the_number_of_the_original(org, make_case, case, member):
    repeat = make_case(text="Samma gunga.")
    street = UnitFactory(municipality=org["team"].municipality, parent=org["admin_unit"])
    hidden = make_case(category=CategoryFactory(municipality=case.municipality, unit=street))
    Case.objects.filter(pk=hidden.pk).update(duplicate_of=case)  # linked by someone who sees both

    post(member, repeat, "dubblett", {"duplicate-number": case.number.lower()})

    repeat.refresh_from_db()
    assert repeat.duplicate_of == case
    original = page_html(member.get(f"/arenden/{case.pk}/"))
    assert repeat.number in original and hidden.number not in original
    facts = page_html(member.get(f"/arenden/{repeat.pk}/"))
    assert f'<a href="/arenden/{case.pk}/">{case.number}</a>' in facts


def test_an_unknown_or_hidden_number_is_refused_and_the_typed_number_kept(org, make_case, case, member):
    street = UnitFactory(municipality=org["team"].municipality, parent=org["admin_unit"])
    hidden = make_case(category=CategoryFactory(municipality=case.municipality, unit=street))

    for typed in ("SYN-1999-00001", hidden.number):
        html = page_html(post(member, case, "dubblett", {"duplicate-number": typed}))
        assert sv(ERROR_NUMBER_UNKNOWN) in html
        assert f'value="{typed}"' in html
    case.refresh_from_db()
    assert case.duplicate_of is None


def test_a_case_is_not_a_duplicate_of_itself(case, member):
    html = page_html(post(member, case, "dubblett", {"duplicate-number": case.number}))

    assert sv(ERROR_DUPLICATE_OF_ITSELF) in html


def test_take_up_close_and_reopen(case, member):
    post(member, case, "status", {"status-status": "in_progress"})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.acknowledged_at is not None

    post(member, case, "status", {"status-status": "closed"})
    case.refresh_from_db()
    assert case.status == Status.CLOSED

    post(member, case, "status", {"status-status": "in_progress"})
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and case.closed_at is None


def test_a_status_that_is_not_an_action_is_refused(case, member):
    html = page_html(post(member, case, "status", {"status-status": "answered"}))

    assert sv(ERROR_STATUS_UNKNOWN) in html
    assert Case.objects.get(pk=case.pk).status == Status.RECEIVED


def test_a_person_who_may_not_handle_a_case_is_stopped_by_the_service_too(org, case):
    # The page's 404 is the first guard; the service refuses on its own as well.
    outsider = PersonFactory(municipality=org["team"].municipality)
    with pytest.raises(PermissionDenied):
        case_note(actor=outsider.user, case=case, text="Nej.")
