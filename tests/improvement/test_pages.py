"""The improvement pages: the board's columns and overdue cards, moving a card without JavaScript, the forms' refusals
in Swedish with what was typed kept, 404 for those who may not see, and the board's query count."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.utils import translation

from brobygget.improvement import selectors, services
from brobygget.improvement.forms import ERROR_DATE_INVALID
from brobygget.improvement.models import Improvement, Outcome, Stage, StageMove
from brobygget.organisation.models import Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONDAY = datetime.datetime(2026, 3, 2, 10, tzinfo=STOCKHOLM)


def board_url(unit) -> str:
    return f"/forbattringar/enheter/{unit.pk}/"


def cards(html: str) -> list[str]:
    """The titles of the board's cards, in order."""
    return re.findall(r'<h3><a href="/forbattringar/\d+/">([^<]+)</a></h3>', html)


def test_the_board_shows_a_column_per_stage_with_owners_due_dates_and_overdue_cards(
    org, raise_improvement, login_client
):
    with time_machine.travel(MONDAY, tick=False):
        raise_improvement(title="Skyltar vid lekplatsen", due_date=datetime.date(2026, 2, 27))
        raise_improvement(title="Sms om plogning", due_date=datetime.date(2026, 3, 20))
        response = login_client(org["member"]).get(board_url(org["team"]))

    html = response.content.decode()
    assert response.status_code == 200
    headings = re.findall(r'<h2 id="column-(\w+)">([^<]+)<', html)
    assert [stage for stage, _label in headings] == ["idea", "plan", "do", "study", "act", "done"]
    assert [label.strip() for _stage, label in headings] == ["Idé", "Planera", "Göra", "Studera", "Agera", "Klar"]
    assert cards(html) == ["Skyltar vid lekplatsen", "Sms om plogning"]  # the one due first first
    assert html.count("board-card-overdue") == 1 and html.count(">Försenad<") == 1
    assert "Ägare: Mats Medarbetare" in html
    assert "Klart senast 20 mars 2026" in html
    assert html.count("Flytta till Planera") == 2


def test_the_board_marks_what_is_new_or_moved_since_the_chosen_day(org, raise_improvement, login_client):
    with time_machine.travel(MONDAY - datetime.timedelta(days=14), tick=False):
        old = raise_improvement(title="Gammal idé")
        raise_improvement(title="Orörd idé")
    with time_machine.travel(MONDAY, tick=False):
        assert org["member"].user is not None
        services.improvement_move(actor=org["member"].user, improvement=old, to=Stage.PLAN)
        raise_improvement(title="Ny idé")
        response = login_client(org["member"]).get(board_url(org["team"]), {"sedan": "2026-02-27"})

    html = response.content.decode()
    assert 'value="2026-02-27"' in html
    assert html.count(">Ny<") == 1 and html.count(">Flyttad<") == 1


def test_a_card_is_written_in_the_language_of_the_request(org, raise_improvement):
    """A card's texts are written once in the selector (its due date kept per day and language): each language its
    own, whichever was asked first."""
    with time_machine.travel(MONDAY, tick=False):
        raise_improvement(title="Sms om plogning", due_date=datetime.date(2026, 3, 20))
        cards = {}
        for language in ("sv", "en", "sv"):
            with translation.override(language):
                board = selectors.board(unit=org["team"], today=MONDAY.date(), since=MONDAY.date())
                cards[language] = next(card for column in board.columns for card in column.cards)

    assert (cards["sv"].owner_line, cards["sv"].due_line) == ("Ägare: Mats Medarbetare", "Klart senast 20 mars 2026")
    assert (cards["en"].owner_line, cards["en"].due_line) == ("Owner: Mats Medarbetare", "Due 20 March 2026")
    assert cards["sv"].url == f"/forbattringar/{cards['sv'].pk}/" and cards["sv"].move_url.endswith("/flytta/")


def test_a_card_moves_with_a_plain_form_and_the_board_comes_back(org, raise_improvement, login_client):
    improvement = raise_improvement()
    client = login_client(org["member"])

    response = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan", "tillbaka": "tavla"})

    assert response.status_code == 302 and response["Location"] == board_url(org["team"])
    assert Improvement.objects.get(pk=improvement.pk).stage == Stage.PLAN
    assert StageMove.objects.get().person == org["member"]
    page = client.get(response["Location"]).content.decode()
    assert "”Färre samtal om snöröjning” flyttades till Planera." in page


def test_a_card_whose_question_is_unanswered_goes_to_the_answer_form_of_its_page(org, raise_improvement, login_client):
    improvement = raise_improvement()
    client = login_client(org["member"])
    client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan", "tillbaka": "tavla"})

    response = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "do", "tillbaka": "tavla"})

    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{improvement.pk}/#svara"
    assert Improvement.objects.get(pk=improvement.pk).stage == Stage.PLAN
    page = client.get(f"/forbattringar/{improvement.pk}/").content.decode()
    assert sv(services.ERROR_ANSWER_NEEDED[Stage.PLAN]) in page
    assert '<label for="id_answer">Vad förväntar vi oss ska hända?' in page


def test_the_page_answers_the_stage_and_moves_on_or_keeps_the_text_with_the_error(org, raise_improvement, login_client):
    improvement = raise_improvement()
    client = login_client(org["member"])
    client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan"})

    refused = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "do", "answer": "Hälften\x07"})
    empty = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "do", "answer": ""})
    moved = client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "do", "answer": "Hälften så många samtal."})

    assert refused.status_code == 400 and "Hälften\x07" in refused.content.decode()
    assert empty.status_code == 200 and sv(services.ERROR_ANSWER_NEEDED[Stage.PLAN]) in empty.content.decode()
    assert moved.status_code == 302 and moved["Location"] == f"/forbattringar/{improvement.pk}/"
    page = client.get(moved["Location"]).content.decode()
    assert "Hälften så många samtal." in page and "Varv 1" in page
    assert page.count("Idé → Planera") == 1 and page.count("Planera → Göra") == 1
    # Each move of the history with its time, who moved it and its round, in Swedish.
    history = re.findall(r'<li>([^<]+) <span class="meta">([^<]+)</span></li>', page)
    assert [change for change, _meta in history] == ["Idé → Planera", "Planera → Göra"]
    assert all(
        re.fullmatch(r"\d{1,2} [a-zåäö]+ \d{4} \d\d:\d\d – Mats Medarbetare \(varv 1\)", meta) for _c, meta in history
    )


def test_a_new_improvement_refused_keeps_what_was_typed_and_says_why_in_swedish(org, login_client):
    client = login_client(org["member"])
    form = client.get(f"{board_url(org['team'])}ny/").content.decode()
    assert 'name="owner"' in form and "Mats Medarbetare" in form

    response = client.post(
        f"{board_url(org['team'])}ny/",
        {
            "title": "Tydligare skyltar",
            "problem": "",
            "idea": "Nya skyltar",
            "owner": org["member"].pk,
            "due_date": "i vår",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tydligare skyltar"' in html and "Nya skyltar</textarea>" in html
    assert sv(services.ERROR_PROBLEM_EMPTY) in html and sv(ERROR_DATE_INVALID) in html
    assert "Rätta följande" in html or "error-summary" in html
    assert not Improvement.objects.exists()


def test_a_new_improvement_goes_on_the_board_in_idea(org, login_client):
    client = login_client(org["member"])
    data = {
        "title": "Tydligare skyltar",
        "problem": "Besökare hittar inte toaletten.",
        "value_for_resident": "De hittar rätt utan att fråga.",
        "idea": "Nya skyltar vid entrén.",
        "measure": "Frågor om vägen per dag.",
        "baseline_value": "3,5",
        "owner": org["member"].pk,
        "involved": [org["leader"].pk],
        "due_date": "2027-05-31",
    }

    response = client.post(f"{board_url(org['team'])}ny/", data)

    improvement = Improvement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{improvement.pk}/"
    assert improvement.stage == Stage.IDEA and str(improvement.baseline_value) == "3.50"
    page = client.get(response["Location"]).content.decode()
    assert "Förbättringen sitter på tavlan, under Idé." in page and "Lena Ledare" in page


def test_ending_without_adoption_shows_the_lesson_as_the_outcome(org, raise_improvement, login_client):
    improvement = raise_improvement()
    assert org["member"].user is not None
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "Färre"), (Stage.STUDY, "Kartan"), (Stage.ACT, "Lika många")):
        improvement = services.improvement_move(
            actor=org["member"].user, improvement=improvement, to=stage, answer=answer
        )
    client = login_client(org["member"])

    missing = client.post(f"/forbattringar/{improvement.pk}/avsluta/", {"outcome": Outcome.ABANDONED})
    done = client.post(
        f"/forbattringar/{improvement.pk}/avsluta/",
        {"outcome": Outcome.ABANDONED, "lesson": "Samtalen handlar om annat."},
    )

    assert sv(services.ERROR_LESSON_NEEDED) in missing.content.decode()
    assert done.status_code == 302
    page = client.get(done["Location"]).content.decode()
    assert "Avslutad utan införande – det här lärde vi oss" in page and "Samtalen handlar om annat." in page
    assert "badge-overdue" not in page


def test_people_of_another_unit_or_municipality_get_404(org, street, raise_improvement, login_client):
    improvement = raise_improvement()
    other_municipality = MunicipalityFactory(code="9997")
    stranger = PersonFactory(municipality=other_municipality)
    MembershipFactory(person=stranger, unit=UnitFactory(municipality=other_municipality), role=Role.ADMIN)

    for outsider in (street["person"], stranger):
        client = login_client(outsider)
        assert client.get(board_url(org["team"])).status_code == 404
        assert client.get(f"{board_url(org['team'])}ny/").status_code == 404
        assert client.get(f"/forbattringar/{improvement.pk}/").status_code == 404
        assert client.get(f"/forbattringar/{improvement.pk}/andra/").status_code == 404
        assert client.post(f"/forbattringar/{improvement.pk}/flytta/", {"to": "plan"}).status_code == 404
        assert client.post(f"/forbattringar/{improvement.pk}/avsluta/", {"outcome": "adopted"}).status_code == 404
    assert login_client(org["member"]).get("/forbattringar/999999/").status_code == 404
    assert Improvement.objects.get().stage == Stage.IDEA


def test_the_unit_page_and_the_menu_lead_to_the_boards(org, login_client):
    client = login_client(org["member"])

    unit_page = client.get(f"/organisation/enheter/{org['team'].pk}/").content.decode()
    index = client.get("/forbattringar/").content.decode()

    assert f'href="{board_url(org["team"])}"' in unit_page
    assert 'href="/forbattringar/">Förbättringar</a>' in index
    assert f'href="{board_url(org["team"])}">Parkenheten</a>' in index


def test_the_board_query_count_does_not_grow_with_the_cards(org, raise_improvement, login_client, assert_max_queries):
    client = login_client(org["member"])
    for _ in range(2):
        raise_improvement()
    client.get(board_url(org["team"]))
    # session, user, the person with their roles, the unit, the cards, session save (2)
    with assert_max_queries(8) as small:
        client.get(board_url(org["team"]))

    for index in range(20):
        improvement = raise_improvement(title=f"Idé {index}")
        if index % 2:
            assert org["member"].user is not None
            services.improvement_move(actor=org["member"].user, improvement=improvement, to=Stage.PLAN)
    with assert_max_queries(len(small)) as large:
        response = client.get(board_url(org["team"]))

    assert len(cards(response.content.decode())) == 22
    assert len(large) == len(small)


def test_the_change_form_shows_what_the_improvement_says_and_saves_a_change(org, raise_improvement, login_client):
    from brobygget.core.models import Principle

    principle = Principle.objects.order_by("order").first()
    assert principle is not None
    improvement = raise_improvement(principle_ids=[principle.pk], involved_ids=[org["leader"].pk])
    client = login_client(org["member"])

    form = client.get(f"/forbattringar/{improvement.pk}/andra/").content.decode()

    assert 'value="Färre samtal om snöröjning"' in form
    assert f'name="principles" value="{principle.pk}" checked' in form
    assert f'name="involved" value="{org["leader"].pk}" checked' in form

    data = {
        "title": "Färre samtal om plogning",
        "problem": improvement.problem,
        "value_for_resident": improvement.value_for_resident,
        "idea": improvement.idea,
        "measure": improvement.measure,
        "owner": org["leader"].pk,
    }
    response = client.post(f"/forbattringar/{improvement.pk}/andra/", data)

    assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.title == "Färre samtal om plogning" and improvement.owner == org["leader"]
    assert not improvement.involved.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Förbättringen är sparad." in page and "Inga valda" in page


def test_done_shows_what_finished_lately_and_act_links_to_the_decision(org, raise_improvement, login_client):
    assert org["member"].user is not None
    user = org["member"].user

    def finish(title: str) -> Improvement:
        improvement = raise_improvement(title=title)
        for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "a"), (Stage.STUDY, "b"), (Stage.ACT, "c")):
            improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
        return services.improvement_finish(actor=user, improvement=improvement, outcome=Outcome.ADOPTED)

    with time_machine.travel(MONDAY - datetime.timedelta(days=40), tick=False):
        finish("Klar för länge sedan")
    with time_machine.travel(MONDAY, tick=False):
        lately = finish("Klar nyss")
        in_act = raise_improvement(title="Att besluta")
        for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "a"), (Stage.STUDY, "b"), (Stage.ACT, "c")):
            in_act = services.improvement_move(actor=user, improvement=in_act, to=stage, answer=answer)
        html = login_client(org["member"]).get(board_url(org["team"])).content.decode()

    assert cards(html) == ["Att besluta", "Klar nyss"]
    assert f'href="/forbattringar/{in_act.pk}/#svara">Besluta: införa, anpassa eller avsluta' in html
    assert ">Infört<" in html
    assert f'action="/forbattringar/{lately.pk}/flytta/"' not in html
