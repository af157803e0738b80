"""The search of learnings and completed improvements, on the database the suite runs on (SQLite by default,
PostgreSQL in CI): Swedish words found in their other forms, the title first, filters by unit, principle and year,
pages, the municipality's boundary, no author, and a query count that does not grow with the hits."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygget.core.models import Principle
from brobygget.improvement import search, services
from brobygget.improvement.learnings import LearningInput, learning_write
from brobygget.improvement.models import Learning, Outcome, Stage
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def write(person, unit=None, *, title="Nycklar till hemtjänsten", **fields) -> Learning:
    values = {
        "title": title,
        "what_happened": "Nyckelskåpet var tomt på morgonen och besöken blev sena.",
        "what_we_expected": "Att nycklarna skulle finnas på plats.",
        "what_we_learned": "Ingen visste vem som skulle lämna tillbaka dem.",
        "what_we_change": "Vi skriver en checklista för kvällspasset.",
    }
    values.update(fields)
    assert person.user is not None
    return learning_write(actor=person.user, unit=unit or person.unit_roles[0].unit, data=LearningInput(**values))


def finish(improvement, person, lesson="Sms fungerade bättre än webben för äldre invånare."):
    user = person.user
    for stage, answer in (
        (Stage.PLAN, ""),
        (Stage.DO, "Färre samtal."),
        (Stage.STUDY, "Vi skickade sms."),
        (Stage.ACT, "Det blev bättre."),
    ):
        improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
    return services.improvement_finish(actor=user, improvement=improvement, outcome=Outcome.ABANDONED, lesson=lesson)


def found(person, **filters) -> list[tuple[str, str]]:
    page = search.search(municipality_id=person.municipality_id, filters=search.Filters(**filters))
    return [(hit.kind, hit.title) for hit in page.hits]


@pytest.fixture
def team(org):
    org["member"].unit_roles[0].unit = org["team"]
    return org


def test_a_word_finds_its_other_forms_and_the_title_weighs_most(team):
    member = team["member"]
    write(member, title="Checklista för kvällen", what_we_learned="Rutinen för återlämning var otydlig.")
    write(member, title="Rutiner som ingen kände till", what_we_learned="Vi visste inte.")
    write(member, title="Sopkärl på fel plats", what_we_learned="Kartan var fel.")

    titles = [title for _kind, title in found(member, query="rutinerna")]

    assert titles == ["Rutiner som ingen kände till", "Checklista för kvällen"]


def test_completed_improvements_are_found_but_not_those_still_on_the_board(team, raise_improvement):
    member = team["member"]
    finish(raise_improvement(title="Sms om plogning"), member)
    raise_improvement(title="Plogning på webben")  # still an idea

    assert found(member, query="plogningen") == [("improvement", "Sms om plogning")]
    assert found(member, query="äldre") == [("improvement", "Sms om plogning")]  # the lesson is searched


# With one of each kind read, the learning found is read from the newest rows on PostgreSQL (the window's filters).
@pytest.mark.parametrize("latest", [search.LATEST_PER_KIND, 1])
def test_filters_by_unit_principle_and_year(team, street, monkeypatch, latest):
    monkeypatch.setattr(search, "LATEST_PER_KIND", latest)
    member = team["member"]
    principle = Principle.objects.order_by("order").first()
    assert principle is not None
    with time_machine.travel(datetime.datetime(2025, 6, 1, 12, tzinfo=STOCKHOLM), tick=False):
        write(member, title="Nyckel 2025")
    with time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=STOCKHOLM), tick=False):
        write(member, title="Nyckel 2026", principle_ids=[principle.pk])
        write(street["person"], street["unit"], title="Nyckel på gatan")

    assert {t for _k, t in found(member, query="nyckel", year=2025)} == {"Nyckel 2025"}
    assert {t for _k, t in found(member, query="nyckel", principle_id=principle.pk)} == {"Nyckel 2026"}
    assert {t for _k, t in found(member, query="nyckel", unit_path=street["unit"].path)} == {"Nyckel på gatan"}
    # The administration above both teams holds them both (the latest `latest`).
    assert len(found(member, query="nyckel", unit_path=team["admin_unit"].path)) == min(3, latest)
    # Without words: the latest first, filtered alike.
    assert [t for _k, t in found(member, year=2026)] == ["Nyckel på gatan", "Nyckel 2026"][:latest]


def test_another_municipality_is_never_found(team):
    write(team["member"], title="Nycklar i Testby")
    other = MunicipalityFactory(name="Annanby", code="9001")
    unit = UnitFactory(municipality=other, code="X")
    stranger = PersonFactory(municipality=other)
    MembershipFactory(person=stranger, unit=unit)

    assert found(stranger, query="nycklar") == []
    assert found(stranger) == []


def test_results_come_in_pages(team):
    for number in range(search.PAGE_SIZE + 3):
        write(team["member"], title=f"Nyckel nummer {number}")

    first = search.search(municipality_id=team["member"].municipality_id, filters=search.Filters(query="nyckel"))
    second = search.search(
        municipality_id=team["member"].municipality_id, filters=search.Filters(query="nyckel"), page=2
    )

    assert first.total == second.total == search.PAGE_SIZE + 3
    assert (first.pages, len(first.hits), len(second.hits)) == (2, search.PAGE_SIZE, 3)
    assert not {h.pk for h in first.hits} & {h.pk for h in second.hits}


def test_a_snippet_marks_the_words_and_escapes_the_text(team):
    write(team["member"], title="Skyltar", what_happened="<b>Skylten</b> vid förskolan saknades i tre veckor.")

    hit = search.search(municipality_id=team["member"].municipality_id, filters=search.Filters(query="förskolan")).hits[
        0
    ]

    assert "<mark>förskolan</mark>" in hit.snippet
    assert "&lt;b&gt;Skylten&lt;/b&gt;" in hit.snippet


def test_a_query_of_punctuation_or_quotes_does_not_fail(team):
    write(team["member"])

    assert found(team["member"], query='"') == found(team["member"])
    assert found(team["member"], query='nyckel* OR "') is not None


def test_the_search_page_asks_the_same_number_of_queries_however_many_hits(team, login_client, assert_max_queries):
    client = login_client(team["member"])
    write(team["member"], title="Nyckel ett")
    client.get("/forbattringar/lardomar/", {"q": "nyckel"})
    with assert_max_queries(30) as few:
        client.get("/forbattringar/lardomar/", {"q": "nyckel"})
    for number in range(10):
        write(team["member"], title=f"Nyckel {number}")
    with assert_max_queries(len(few)) as many:
        response = client.get("/forbattringar/lardomar/", {"q": "nyckel"})

    assert response.status_code == 200 and len(many) == len(few)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the whole word first is how SQLite's search is bounded")
def test_on_sqlite_a_word_common_as_written_is_read_as_written_and_a_rarer_one_as_the_start_of_words(
    team, raise_improvement, monkeypatch
):
    """FTS5 walks a whole word's matches newest first and stops at the bound; a word's start it answers by merging
    the lists of every word so starting. So a kind first reads the word as written (or without its ending), and only
    one that finds fewer than LATEST_PER_KIND so reads the word as the start of longer ones: one query, or two."""
    monkeypatch.setattr(search, "LATEST_PER_KIND", 2)
    member = team["member"]
    write(member, title="Schemat i januari")
    write(member, title="Schemat i februari")
    write(member, title="Schemats sista version")  # the newest, but only a longer word
    finish(raise_improvement(title="Nytt schema"), member, lesson="Schemat kom i tid.")
    finish(raise_improvement(title="Schematisk plan"), member)  # the newest improvement, only a longer word

    def read(query):
        with CaptureQueriesContext(connection) as queries:
            page = search.search(municipality_id=member.municipality_id, filters=search.Filters(query=query))
        return {(hit.kind, hit.title) for hit in page.hits}, page.more, len(queries)

    hits, more, queries = read("schemat")
    # Two learnings have the word itself: that kind is read as written. One improvement has it: that kind is read
    # again, as the start of words.
    assert hits == {
        ("learning", "Schemat i januari"),
        ("learning", "Schemat i februari"),
        ("improvement", "Schematisk plan"),
        ("improvement", "Nytt schema"),
    }
    assert more and queries == 4  # the two kinds, the improvements again, and each kind's hits

    monkeypatch.setattr(search, "LATEST_PER_KIND", 4)
    hits, more, queries = read("schemat")
    assert ("learning", "Schemats sista version") in hits and len(hits) == 5 and not more


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table and its triggers are SQLite's")
def test_the_sqlite_index_and_its_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'improvement_%search%'")
        names = {name for (name,) in cursor.fetchall()}
    assert "improvement_search" in names
    for table in ("learning", "improvement"):
        for event in ("insert", "update", "delete"):
            assert f"improvement_{table}_search_{event}" in names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN indexes are PostgreSQL's")
def test_the_postgresql_search_uses_the_gin_index(team):
    write(team["member"])
    learnings = Learning.objects.alias(document=search.StoredVector(Learning)).filter(
        document=search.postgresql_query(["nyckel"])
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = learnings.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "learning_search" in plan


def test_without_words_the_latest_of_both_kinds_come_first_page_by_page(team, raise_improvement):
    member = team["member"]
    start = datetime.datetime(2026, 1, 5, 9, tzinfo=STOCKHOLM)
    for day in range(search.PAGE_SIZE + 2):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            if day % 2:
                finish(raise_improvement(title=f"Förbättring dag {day}"), member)
            else:
                write(member, title=f"Lärdom dag {day}")

    municipality = member.municipality_id
    first = search.search(municipality_id=municipality, filters=search.Filters())
    second = search.search(municipality_id=municipality, filters=search.Filters(), page=2)

    assert first.total == search.PAGE_SIZE + 2 and first.pages == 2
    last = search.PAGE_SIZE + 1
    assert [h.title for h in first.hits[:2]] == [f"Förbättring dag {last}", f"Lärdom dag {last - 1}"]
    assert [h.title for h in second.hits] == ["Förbättring dag 1", "Lärdom dag 0"]


@pytest.mark.parametrize("few_units", [0, search.FEW_UNITS])
def test_the_unit_filter_is_the_same_read_by_the_units_or_by_the_municipality(team, street, monkeypatch, few_units):
    """A unit filter of a few units reads by their index, of many along the municipality's: the same hits."""
    monkeypatch.setattr(search, "FEW_UNITS", few_units)
    member = team["member"]
    write(member, title="Nyckel i teamet")
    write(street["person"], street["unit"], title="Nyckel på gatan")

    assert found(member, query="nyckel", unit_path=street["unit"].path) == [("learning", "Nyckel på gatan")]
    assert found(member, unit_path=street["unit"].path) == [("learning", "Nyckel på gatan")]
    assert {t for _k, t in found(member, unit_path=team["admin_unit"].path)} == {"Nyckel i teamet", "Nyckel på gatan"}


def test_a_search_reads_the_latest_matches_of_each_kind_and_says_there_are_more(team, raise_improvement, monkeypatch):
    """However many rows match, a search reads at most LATEST_PER_KIND of each kind, the latest, ranks those, and
    says that there are more (to be found with more words or a filter)."""
    monkeypatch.setattr(search, "LATEST_PER_KIND", 3)
    member = team["member"]
    start = datetime.datetime(2026, 2, 2, 9, tzinfo=STOCKHOLM)
    for day in range(5):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            write(member, title=f"Nyckel {day}", what_we_learned="Nyckelskåpet.")
    with time_machine.travel(start + datetime.timedelta(days=6), tick=False):
        finish(raise_improvement(title="Nyckelbricka"), member)

    page = search.search(municipality_id=member.municipality_id, filters=search.Filters(query="nyckel"))
    assert page.more and page.total == 4  # three learnings and the one improvement
    assert {hit.title for hit in page.hits} == {"Nyckel 4", "Nyckel 3", "Nyckel 2", "Nyckelbricka"}
    alone = search.search(municipality_id=member.municipality_id, filters=search.Filters(query="nyckelbricka"))
    assert not alone.more and [hit.title for hit in alone.hits] == ["Nyckelbricka"]

    # Without words: the latest first, ending where the learnings read end (older ones were not read).
    latest = search.search(municipality_id=member.municipality_id, filters=search.Filters())
    assert latest.more
    assert [hit.title for hit in latest.hits] == ["Nyckelbricka", "Nyckel 4", "Nyckel 3", "Nyckel 2"]
    older = search.search(
        municipality_id=member.municipality_id,
        filters=search.Filters(query="nyckel", unit_path=team["team"].path, year=2026),
    )
    assert older.more  # still more than three learnings in the team that year


def test_the_search_page_says_when_there_are_more_hits(team, login_client, monkeypatch):
    monkeypatch.setattr(search, "LATEST_PER_KIND", 2)
    for number in range(3):
        write(team["member"], title=f"Nyckel {number}")
    html = login_client(team["member"]).get("/forbattringar/lardomar/", {"q": "nyckel"}).content.decode()
    assert "Fler än 2 träffar" in html
    assert "välj enhet, princip eller år" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_postgresql_search_sets_the_planner_back_outside_a_transaction(org):
    """Without a transaction (as a request runs), the search turns the planner's index and sequential scans off for
    its query only: the session's settings are back afterwards, for the next request on the same connection."""
    member = org["member"]
    member.unit_roles[0].unit = org["team"]
    write(member, title="Nyckel")

    assert found(member, query="nyckel") == [("learning", "Nyckel")]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        indexscan = cursor.fetchone()[0]
        cursor.execute("SHOW enable_seqscan")
        seqscan = cursor.fetchone()[0]
    assert (indexscan, seqscan) == ("on", "on")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's settings are PostgreSQL's")
def test_the_postgresql_search_sets_the_planner_back_inside_a_transaction(team):
    write(team["member"], title="Nyckel")

    assert found(team["member"], query="nyckel") == [("learning", "Nyckel")]
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"


def test_a_score_counts_each_word_found_as_the_start_of_a_word_the_title_ten_times():
    stems = [search._stem(word) for word in search.terms("Plogningen kartor")]

    assert search.score("Plogning", "", stems) == search.TITLE_WEIGHT == 10
    assert search.score("Vägar", "plogning, Plogningen och snöplogning (plogning)", stems) == 3
    assert search.score("Plogning på kartan", "Kartor och plogbilar.", stems) == 2 * 10 + 1
    assert search.score("", "", stems) == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="ranked by `search.score` on SQLite (ts_rank on PostgreSQL)")
def test_on_sqlite_the_title_ranks_above_the_text_more_times_above_fewer_and_then_the_latest(team, raise_improvement):
    member = team["member"]
    quiet = {"what_we_expected": "Inget.", "what_we_learned": "Inget.", "what_we_change": "Inget."}
    start = datetime.datetime(2026, 2, 2, 9, tzinfo=STOCKHOLM)
    written = [  # the best first, written oldest first: the time alone would give the opposite order
        ("Plogning i tid", "Plogningen kom sent."),  # the title and the text: 11
        ("Plogningen var sen", "Bilen kom inte."),  # the title: 10
        ("Vägar", "Plogning, plogningen och plogningar."),  # three times in the text: 3
        ("Gator, äldre", "Plogning, snöplogning och snöplogningar."),  # once (a word's start only): 1
        ("Gator, nyare", "Plogning."),  # once, the latest of those found once
    ]
    for day, (title, text) in enumerate(written):
        with time_machine.travel(start + datetime.timedelta(days=day), tick=False):
            write(member, title=title, what_happened=text, **quiet)
    with time_machine.travel(start + datetime.timedelta(days=9), tick=False):
        finish(raise_improvement(title="Sms om plogning", problem="Plogning."), member, lesson="Vi lärde oss.")
    write(member, title="Sopkärl", what_happened="Inte här.", **quiet)

    assert found(member, query="plogningen") == [
        ("improvement", "Sms om plogning"),  # 11 too (the title and the problem), finished the latest
        ("learning", "Plogning i tid"),
        ("learning", "Plogningen var sen"),
        ("learning", "Vägar"),
        ("learning", "Gator, nyare"),
        ("learning", "Gator, äldre"),
    ]


def test_a_search_asks_the_same_queries_with_more_matches_of_both_kinds_than_it_reads(
    team, raise_improvement, login_client, assert_max_queries, monkeypatch
):
    monkeypatch.setattr(search, "LATEST_PER_KIND", 3)
    member = team["member"]
    client = login_client(member)
    write(member, title="Nyckel ett")
    finish(raise_improvement(title="Nyckelbricka ett"), member)
    client.get("/forbattringar/lardomar/", {"q": "nyckel"})
    with assert_max_queries(30) as few:
        client.get("/forbattringar/lardomar/", {"q": "nyckel"})
    for number in range(6):
        write(member, title=f"Nyckel {number}", what_happened="Nyckeln, nycklarna och nyckelskåpet.")
    for number in range(4):
        finish(raise_improvement(title=f"Nyckelbricka {number}"), member)

    with assert_max_queries(len(few)) as many:
        response = client.get("/forbattringar/lardomar/", {"q": "nyckel"})
    page = search.search(municipality_id=member.municipality_id, filters=search.Filters(query="nyckel"))

    assert page.more and page.total == 6  # the latest three of each kind
    # A kind with fewer matches is read again: on PostgreSQL from its GIN index (fewer among its newest rows), on
    # SQLite as the start of words (fewer as the word itself; here the improvements, "Nyckelbricka", both times).
    # The first search (one match of each kind) asks the most; never more with more matches.
    assert response.status_code == 200 and len(many) <= len(few)
    if connection.vendor == "sqlite":
        assert len(many) == len(few)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the newest rows' window is PostgreSQL's")
@time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=STOCKHOLM))
def test_on_postgresql_a_common_and_a_rare_word_find_the_latest_matches_ranked_beyond_the_newest_window(
    team, raise_improvement, monkeypatch
):
    """A word found LATEST_PER_KIND times among the newest NEWEST_WINDOW rows of each kind is read there, in one
    query; one found fewer times there is read from the GIN index (the planner's settings around it). Either way
    the latest LATEST_PER_KIND matches of each kind, ranked by ts_rank: the title above the text."""
    monkeypatch.setattr(search, "NEWEST_WINDOW", 4)
    monkeypatch.setattr(search, "LATEST_PER_KIND", 3)
    member = team["member"]
    quiet = {"what_we_expected": "Inget.", "what_we_learned": "Inget.", "what_we_change": "Inget."}
    # The rare word only in the oldest rows, beyond the window of the four newest of each kind.
    write(member, title="Gammal text", what_happened="Grusvägen sandades.", **quiet)
    write(member, title="Grusvägen", what_happened="Inget om det.", **quiet)
    finish(raise_improvement(title="Gångvägen", problem="Grusvägen var hal."), member)
    for number in range(6):
        write(member, title=f"Snö {number}", what_happened="Snöröjningen kom sent.", **quiet)
        finish(raise_improvement(title=f"Snöröjning {number}", problem="Sent."), member)
    write(member, title="Snöröjningen", what_happened="Snöröjningen var bra.", **quiet)

    def read(**filters):
        with CaptureQueriesContext(connection) as queries:
            page = search.search(municipality_id=member.municipality_id, filters=search.Filters(**filters))
        gin = any("enable_indexscan" in query["sql"] for query in queries.captured_queries)
        return page, [(hit.kind, hit.title) for hit in page.hits], gin

    common, common_hits, gin = read(query="snöröjningen")
    assert not gin and common.more
    assert common_hits == [
        ("learning", "Snöröjningen"),  # the title and the text
        ("improvement", "Snöröjning 5"),  # the title; the latest first on a tie
        ("improvement", "Snöröjning 4"),
        ("improvement", "Snöröjning 3"),
        ("learning", "Snö 5"),  # the text only
        ("learning", "Snö 4"),
    ]

    rare, hits, gin = read(query="grusvägen")
    assert gin and not rare.more
    assert hits[0] == ("learning", "Grusvägen")  # the title
    assert set(hits[1:]) == {("improvement", "Gångvägen"), ("learning", "Gammal text")}  # the text

    assert read(query="grusvägen", unit_path=team["team"].path, year=2026)[1] == hits
    assert read(query="grusvägen", year=2000)[1] == []
    assert read(query="zebra")[1] == []
    assert read(query="snöröjningen", unit_path=team["team"].path, year=2026)[1:] == (common_hits, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the newest rows' window is PostgreSQL's")
@time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=STOCKHOLM))
def test_on_postgresql_the_window_of_improvements_is_the_latest_finished_not_the_latest_raised(
    team, raise_improvement, monkeypatch
):
    """The newest improvements are mostly still on the wheel, so the window of completed ones is the latest finished
    (read from the index on the time finished): one raised long ago and finished last is in it, found in the first
    query; one raised last and not finished is not found at all."""
    monkeypatch.setattr(search, "NEWEST_WINDOW", 2)
    monkeypatch.setattr(search, "LATEST_PER_KIND", 1)
    member = team["member"]
    old = raise_improvement(title="Halkbekämpning", problem="Gångvägen var hal.")
    early = [raise_improvement(title=f"Belysning {number}", problem="Mörkt.") for number in range(3)]
    raise_improvement(title="Halkbekämpning igen", problem="Gångvägen var hal igen.")  # still on the wheel
    for improvement in early:
        finish(improvement, member)
    finish(old, member)  # raised first, finished last
    write(member, title="Sand", what_happened="Halkbekämpning behövdes.")  # a learning in its own window too

    with CaptureQueriesContext(connection) as queries:
        page = search.search(municipality_id=member.municipality_id, filters=search.Filters(query="halkbekämpning"))
    assert {(hit.kind, hit.title) for hit in page.hits} == {("improvement", "Halkbekämpning"), ("learning", "Sand")}
    assert not any("enable_indexscan" in query["sql"] for query in queries.captured_queries)  # no GIN read needed
