"""The board meeting: what is new since the last meeting (a week ago unless chosen), the meeting mode walking the cards
one by one with what needs the team first, its move form without JavaScript, and the board's in-place move (htmx):
a fragment to htmx, a redirect to a plain form post."""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from brobygget.improvement import services
from brobygget.improvement.models import Improvement, Outcome, Stage, StageMove
from brobygget.organisation.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONDAY = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)
DAY = datetime.timedelta(days=1)


def meeting_url(unit, position: int | None = None, since: str = "") -> str:
    query = [f"kort={position}"] if position is not None else []
    query += [f"sedan={since}"] if since else []
    return f"/forbattringar/enheter/{unit.pk}/mote/" + (f"?{'&'.join(query)}" if query else "")


def card_title(html: str) -> str:
    found = re.search(r'<h2 id="card-title"><a href="/forbattringar/\d+/">([^<]+)</a></h2>', html)
    assert found, html
    return found.group(1)


def to_act(improvement: Improvement, user) -> Improvement:
    for stage, answer in (("plan", ""), ("do", "Färre samtal."), ("study", "Vi skrev en sida."), ("act", "Hälften.")):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    return improvement


@pytest.fixture
def week(org, raise_improvement):
    """A board the Monday of a weekly meeting: one card of each kind, raised and moved at known times."""
    user = org["member"].user
    with time_machine.travel(MONDAY - 20 * DAY, tick=False):
        untouched = raise_improvement(title="Orörd idé", due_date=datetime.date(2026, 4, 1))
        overdue = raise_improvement(title="Försenad idé", due_date=datetime.date(2026, 2, 20))
        moved = raise_improvement(title="Flyttad idé")
        old_done = to_act(raise_improvement(title="Klar sedan länge"), user)
        services.improvement_finish(actor=user, improvement=old_done, outcome=Outcome.ADOPTED)
        lately_done = to_act(raise_improvement(title="Klar i veckan"), user)
    with time_machine.travel(MONDAY - 3 * DAY, tick=False):
        services.improvement_move(actor=user, improvement=moved, to=Stage.PLAN)
        services.improvement_finish(actor=user, improvement=lately_done, outcome=Outcome.ADOPTED)
    with time_machine.travel(MONDAY - 2 * DAY, tick=False):
        new = raise_improvement(title="Ny idé", due_date=datetime.date(2026, 5, 1))
    return {"untouched": untouched, "overdue": overdue, "moved": moved, "new": new, "done": lately_done}


# The order of the walk: overdue, new, moved (and finished) since the last meeting, then the rest by due date.
ORDER = ["Försenad idé", "Ny idé", "Flyttad idé", "Klar i veckan", "Orörd idé"]


def test_the_meeting_walks_the_cards_one_by_one_with_what_needs_the_team_first(org, week, login_client):
    client = login_client(org["member"])
    seen = []
    with time_machine.travel(MONDAY, tick=False):
        first = client.get(meeting_url(org["team"])).content.decode()
        position = 1
        while True:
            html = client.get(meeting_url(org["team"], position)).content.decode()
            seen.append(card_title(html))
            assert f"Kort {position} av {len(ORDER)}" in html
            if position == len(ORDER):
                assert "Avsluta mötet: tillbaka till tavlan" in html and 'rel="next"' not in html
                break
            assert (
                f'href="{meeting_url(org["team"], position + 1, "2026-02-23").replace("&", "&amp;")}" rel="next"'
                in html
            )
            position += 1

    assert seen == ORDER
    assert card_title(first) == "Försenad idé"  # the first card, and the last meeting a week ago by default
    assert 'value="2026-02-23"' in first and 'rel="prev"' not in first
    assert ">Försenad<" in first and "Ägare: " not in first and "Mats Medarbetare" in first
    assert "20 februari 2026" in first
    # The agenda lists every card in the same order, the current one marked.
    agenda = first.partition('id="agenda-title"')[2].partition("</ol>")[0]
    assert re.findall(r'<li><a href="[^"]+"(?: aria-current="page")?>(?:<strong>)?([^<]+)<', agenda) == ORDER
    assert f'aria-current="page"><strong>{ORDER[0]}<' in agenda


def test_the_meeting_since_a_chosen_day_and_a_position_past_the_end(org, week, login_client):
    client = login_client(org["member"])
    with time_machine.travel(MONDAY, tick=False):
        # Since yesterday nothing is new or moved: overdue first, then by due date, then those without one.
        html = client.get(meeting_url(org["team"], 1, "2026-03-01")).content.decode()
        last = client.get(meeting_url(org["team"], 99)).content.decode()
        wrong = client.get(meeting_url(org["team"]) + "?kort=x&sedan=nej").content.decode()

    assert card_title(html) == "Försenad idé" and "Kort 1 av 4" in html  # the one finished last week is left out
    assert card_title(last) == ORDER[-1] and f"Kort {len(ORDER)} av {len(ORDER)}" in last
    assert card_title(wrong) == ORDER[0]


def test_the_meeting_card_shows_its_question_and_moves_without_javascript(org, week, login_client):
    client = login_client(org["member"])
    moved = week["moved"]
    with time_machine.travel(MONDAY, tick=False):
        page = client.get(meeting_url(org["team"], 3)).content.decode()
        assert card_title(page) == "Flyttad idé"
        assert "Vad förväntar vi oss ska hända?" in page and ">Flyttad<" in page
        assert 'name="tillbaka" value="mote"' in page and 'name="kort" value="3"' in page

        empty = client.post(
            f"/forbattringar/{moved.pk}/flytta/",
            {"to": "do", "answer": "", "tillbaka": "mote", "kort": "3", "sedan": "2026-02-23"},
        )
        refused = client.post(
            f"/forbattringar/{moved.pk}/flytta/",
            {"to": "do", "answer": "Hälften\x07", "tillbaka": "mote", "kort": "3", "sedan": "2026-02-23"},
        )
        done = client.post(
            f"/forbattringar/{moved.pk}/flytta/",
            {"to": "do", "answer": "Hälften så många samtal.", "tillbaka": "mote", "kort": "3", "sedan": "2026-02-23"},
        )
        again = client.get(done["Location"]).content.decode()

    assert empty.status_code == 200 and card_title(empty.content.decode()) == "Flyttad idé"
    assert sv(services.ERROR_ANSWER_NEEDED[Stage.PLAN]) in empty.content.decode()
    assert refused.status_code == 400 and "Hälften\x07" in refused.content.decode()
    assert done.status_code == 302 and done["Location"] == meeting_url(org["team"], 3, "2026-02-23")
    assert Improvement.objects.get(pk=moved.pk).stage == Stage.DO
    assert StageMove.objects.filter(improvement=moved).count() == 2
    # The walk's order is fixed for the day: the card moved in the meeting keeps its place.
    assert card_title(again) == "Flyttad idé" and "”Flyttad idé” flyttades till Göra." in again
    assert "Vad gjorde vi?" in again


def test_a_card_in_act_links_to_the_decision_and_an_empty_board_says_so(org, street, raise_improvement, login_client):
    with time_machine.travel(MONDAY, tick=False):
        improvement = to_act(raise_improvement(title="Att besluta"), org["member"].user)
        html = login_client(org["member"]).get(meeting_url(org["team"])).content.decode()
        empty = login_client(street["person"]).get(meeting_url(street["unit"])).content.decode()

    assert f'href="/forbattringar/{improvement.pk}/#svara">Besluta: införa, anpassa eller avsluta' in html
    assert "Det finns inget på tavlan att gå igenom." in empty


def test_the_board_moves_a_card_in_place_for_htmx_and_redirects_a_plain_post(org, week, login_client):
    client = login_client(org["member"])
    untouched, overdue = week["untouched"], week["overdue"]
    data = {"to": "plan", "tillbaka": "tavla", "sedan": "2026-02-23"}
    with time_machine.travel(MONDAY, tick=False):
        fragment = client.post(f"/forbattringar/{untouched.pk}/flytta/", data, headers={"HX-Request": "true"})
        plain = client.post(f"/forbattringar/{overdue.pk}/flytta/", data)

    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert html.lstrip().startswith('<div class="board" id="board">') and "<html" not in html and "<h1" not in html
    assert 'id="board-status" hx-swap-oob="innerHTML"' in html and "”Orörd idé” flyttades till Planera." in html
    assert f'id="kort-{untouched.pk}" data-next="do" data-focus' in html
    assert (
        plain.status_code == 302 and plain["Location"] == f"/forbattringar/enheter/{org['team'].pk}/?sedan=2026-02-23"
    )
    assert Improvement.objects.filter(pk__in=[untouched.pk, overdue.pk], stage=Stage.PLAN).count() == 2


def test_the_board_in_place_refusals(org, week, login_client):
    client = login_client(org["member"])
    moved, done = week["moved"], week["done"]
    htmx = {"HX-Request": "true"}
    with time_machine.travel(MONDAY, tick=False):
        unanswered = client.post(f"/forbattringar/{moved.pk}/flytta/", {"to": "do", "tillbaka": "tavla"}, headers=htmx)
        finished = client.post(f"/forbattringar/{done.pk}/flytta/", {"to": "plan", "tillbaka": "tavla"}, headers=htmx)

    assert unanswered.status_code == 204 and unanswered["HX-Redirect"] == f"/forbattringar/{moved.pk}/#svara"
    assert finished.status_code == 200 and sv(services.ERROR_DONE) in finished.content.decode()
    assert 'class="notice notice-error"' in finished.content.decode()
    assert Improvement.objects.get(pk=moved.pk).stage == Stage.PLAN


def test_the_board_offers_the_meeting_the_figures_and_scripts_as_static_files(org, week, login_client):
    with time_machine.travel(MONDAY, tick=False):
        html = login_client(org["member"]).get(f"/forbattringar/enheter/{org['team'].pk}/").content.decode()

    assert f'href="{meeting_url(org["team"])}?sedan=2026-02-23">Starta tavelmötet' in html
    assert f'href="/forbattringar/enheter/{org["team"].pk}/siffror/"' in html
    # htmx is vendored, never from a CDN; no inline script (the Content Security Policy allows scripts from self).
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script src="/static/improvement/vendor/htmx.min.js" defer>',
        '<script src="/static/improvement/board.js" defer>',
    ]
    assert 'hx-post="/forbattringar/' in html and 'name="sedan" value="2026-02-23"' in html


def test_people_of_another_unit_or_municipality_get_404_in_the_meeting(org, street, week, login_client):
    other_municipality = MunicipalityFactory(code="9996")
    stranger = PersonFactory(municipality=other_municipality)
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=other_municipality), role=Role.ADMIN)
    for outsider in (street["person"], stranger):
        client = login_client(outsider)
        assert client.get(meeting_url(org["team"])).status_code == 404
        response = client.post(
            f"/forbattringar/{week['untouched'].pk}/flytta/",
            {"to": "plan", "tillbaka": "tavla"},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 404
    assert login_client(org["registrar"]).get(meeting_url(org["team"])).status_code == 200


def test_the_meeting_query_count_does_not_grow_with_the_cards(org, raise_improvement, login_client, assert_max_queries):
    client = login_client(org["member"])
    raise_improvement()
    client.get(meeting_url(org["team"]))
    # session, user, the person with their roles, the unit, the walk, the card with its round, session save (3)
    with assert_max_queries(9) as small:
        client.get(meeting_url(org["team"], 1))

    for index in range(20):
        improvement = raise_improvement(title=f"Idé {index}", due_date=datetime.date(2020, 1, 1) if index % 3 else None)
        if index % 2:
            assert org["member"].user is not None
            services.improvement_move(actor=org["member"].user, improvement=improvement, to=Stage.PLAN)
    with assert_max_queries(len(small)) as large:
        response = client.get(meeting_url(org["team"], 5))

    assert "Kort 5 av 21" in response.content.decode()
    assert len(large) == len(small)


def test_a_stale_meeting_form_says_why_and_the_move_in_place_is_audited(org, week, login_client):
    from brobygget.core.models import AuditEvent

    client = login_client(org["member"])
    untouched = week["untouched"]
    with time_machine.travel(MONDAY, tick=False):
        # Someone else moved the card on since the meeting's page was read: the old form's "to" no longer fits.
        assert org["leader"].user is not None
        services.improvement_move(actor=org["leader"].user, improvement=untouched, to=Stage.PLAN)
        stale = client.post(
            f"/forbattringar/{untouched.pk}/flytta/",
            {"to": "plan", "tillbaka": "mote", "kort": "5", "sedan": "2026-02-23"},
        )
        client.post(
            f"/forbattringar/{week['overdue'].pk}/flytta/",
            {"to": "plan", "tillbaka": "tavla"},
            headers={"HX-Request": "true"},
        )

    html = stale.content.decode()
    assert stale.status_code == 200 and card_title(html) == "Orörd idé"
    assert 'class="error-summary"' in html and sv(services.ERROR_MOVE_NOT_POSSIBLE) in html
    assert Improvement.objects.get(pk=untouched.pk).stage == Stage.PLAN
    event = AuditEvent.objects.filter(action="improvement.moved", target_id=str(week["overdue"].pk)).get()
    assert event.actor_id == org["member"].user.pk
    assert {key: event.payload[key] for key in ("from", "to", "round")} == {"from": "idea", "to": "plan", "round": 1}


@pytest.mark.django_db(transaction=True)
def test_a_meeting_move_keeps_the_answer_and_htmx_gets_the_board_when_the_database_is_locked(
    org, raise_improvement, login_client
):
    import html

    from brobygget.core.faults import ERROR_NOT_SAVED
    from tests.faults import database_locked, short_lock_wait

    improvement = raise_improvement(title="Låst")
    client = login_client(org["member"])
    client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan"})
    data = {"to": "do", "answer": "Hälften så många.", "tillbaka": "mote", "kort": "1"}

    with short_lock_wait(), database_locked():
        meeting = client.post(f"/forbattringar/{improvement.pk}/flytta/", data)
        in_place = client.post(
            f"/forbattringar/{improvement.pk}/flytta/",
            {"to": "do", "answer": "Hälften så många.", "tillbaka": "tavla"},
            headers={"HX-Request": "true"},
        )

    page = html.unescape(meeting.content.decode())
    assert meeting.status_code == 503 and sv(ERROR_NOT_SAVED) in page and "Hälften så många.</textarea>" in page
    assert card_title(page) == "Låst"
    fragment = in_place.content.decode()
    assert in_place.status_code == 503 and 'id="board"' in fragment and "notice-error" in fragment
    assert sv(ERROR_NOT_SAVED) in html.unescape(fragment)
    assert Improvement.objects.get().stage == Stage.PLAN and StageMove.objects.count() == 1


def test_a_card_counts_as_moved_by_its_moves_since_the_last_meeting_not_by_one_made_today(
    org, raise_improvement, login_client, assert_max_queries
):
    """The time of the last move kept on the improvement decides most cards without asking for the moves; a card
    moved today is asked about (one more query, however many such cards): moved since the last meeting as well, it
    counts as moved; moved only today, it does not."""
    user = org["member"].user
    with time_machine.travel(MONDAY - 20 * DAY, tick=False):
        only_today = raise_improvement(title="Flyttad i dag", due_date=datetime.date(2026, 4, 1))
        both = raise_improvement(title="Flyttad i veckan och i dag", due_date=datetime.date(2026, 4, 2))
        in_the_week = raise_improvement(title="Flyttad i veckan", due_date=datetime.date(2026, 4, 3))
        raise_improvement(title="Orörd", due_date=datetime.date(2026, 3, 31))
    with time_machine.travel(MONDAY - 3 * DAY, tick=False):
        both = services.improvement_move(actor=user, improvement=both, to=Stage.PLAN)
        services.improvement_move(actor=user, improvement=in_the_week, to=Stage.PLAN)
    client = login_client(org["member"])
    with time_machine.travel(MONDAY, tick=False):
        before_today = client.get(meeting_url(org["team"])).content.decode()
        with assert_max_queries(9) as decided_by_the_rows:
            client.get(meeting_url(org["team"]))
        queries = len(decided_by_the_rows)  # read now: every request empties the connection's query log
        services.improvement_move(actor=user, improvement=only_today, to=Stage.PLAN)
        services.improvement_move(actor=user, improvement=both, to=Stage.IDEA)
        html = client.get(meeting_url(org["team"])).content.decode()
        with assert_max_queries(queries + 1):
            client.get(meeting_url(org["team"]))

    def walk(page: str) -> list[str]:
        agenda = page.partition('id="agenda-title"')[2].partition("</ol>")[0]
        return re.findall(r'<li><a href="[^"]+"(?: aria-current="page")?>(?:<strong>)?([^<]+)<', agenda)

    # Moved since the last meeting (by due date), then the rest by due date.
    assert walk(before_today) == ["Flyttad i veckan och i dag", "Flyttad i veckan", "Orörd", "Flyttad i dag"]
    # The moves made today reorder nothing: the walk is fixed for the day.
    assert walk(html) == walk(before_today)
