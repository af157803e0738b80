"""manage.py demo_scale: bulk scale data with the documented counts, a sound tree, one leader per unit, and
cases numbered, dated and answered as the dialog's services would have left them."""

import datetime
import importlib
import itertools
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from brobygget.core.calendar import add_working_days
from brobygget.core.models import AuditEvent, Municipality
from brobygget.demo.scale import (
    AUDIT_ACTION,
    SCALE_PASSWORD,
    SIZES,
    expected_counts,
    scale_cases,
    scale_open311_key,
    scale_plan,
)
from brobygget.demo.scale.improvements import ImprovementWork
from brobygget.demo.scale.sizes import DEVIATION_STATES
from brobygget.dialog.models import (
    Case,
    CaseEntry,
    CaseNumberSeries,
    CaseTally,
    Category,
    Kind,
    Open311Client,
    Status,
)
from brobygget.dialog.numbering import case_number_format
from brobygget.dialog.public import case_by_link
from brobygget.dialog.selectors import case_scope, open311_client_for_key
from brobygget.dialog.services import SubmissionInput, feedback_submit, promise_for
from brobygget.dialog.tally import TallyCounter, tally_of
from brobygget.dialog.tracking import tracking_key
from brobygget.improvement.models import (
    Decision,
    Deviation,
    DeviationState,
    Improvement,
    Learning,
    Outcome,
    Stage,
    StageMove,
)
from brobygget.improvement.search import Filters, search
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit

# The counts docs/benchmarks.md and the command's help promise for size S.
SIZE_S = {
    "units": 6,
    "people": 15,
    "users": 15,
    "memberships": 15,
    "leaders": 6,
    "registrars": 1,
    "responsibilities": 6,
    "routines": 6,
    "categories": 5,
    "open311_clients": 3,
    "cases": 200,
    "improvements": 50,
    "learnings": 200,
    "deviations": 24,  # eight per unit at the bottom of the tree, two in each state
}


def generate(size: str = "S", **options) -> str:
    out = StringIO()
    call_command("demo_scale", size=size, force=True, stdout=out, verbosity=0, **options)
    return out.getvalue()


# The data depends on the day it is made: the clock starts here (and runs on) for every test of generated data.
GENERATED_AT = datetime.datetime(2026, 6, 15, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def scale_s(db) -> Iterator[Municipality]:
    with time_machine.travel(GENERATED_AT):
        generate("S")
        yield Municipality.objects.get(code=SIZES["S"].municipality_code)


def test_size_s_generates_the_documented_counts(scale_s):
    units = Unit.objects.filter(municipality=scale_s)
    counts = {
        "units": units.count(),
        "people": Person.objects.filter(municipality=scale_s).count(),
        "users": User.objects.filter(username__startswith="scale-s-").count(),
        "memberships": Membership.objects.filter(unit__in=units).count(),
        "leaders": Membership.objects.filter(unit__in=units, role=Role.LEADER).count(),
        "registrars": Membership.objects.filter(unit__in=units, role=Role.REGISTRAR).count(),
        "responsibilities": Responsibility.objects.filter(unit__in=units).count(),
        "routines": Routine.objects.filter(unit__in=units).count(),
        "categories": Category.objects.filter(municipality=scale_s).count(),
        "open311_clients": Open311Client.objects.filter(municipality=scale_s).count(),
        "cases": Case.objects.filter(municipality=scale_s).count(),
        "improvements": Improvement.objects.filter(municipality=scale_s).count(),
        "learnings": Learning.objects.filter(municipality=scale_s).count(),
        "deviations": Deviation.objects.filter(municipality=scale_s).count(),
    }

    assert counts == SIZE_S == expected_counts("S")
    assert scale_s.name == "Skalkommun S"


def test_every_unit_has_exactly_one_leader_and_every_team_has_staff(scale_s):
    units = Unit.objects.filter(municipality=scale_s).annotate(
        leaders=Count("memberships", filter=Q(memberships__role=Role.LEADER)),
        staff=Count("memberships", filter=Q(memberships__role=Role.STAFF)),
    )

    assert {u.leaders for u in units} == {1}
    assert all(u.staff >= 1 for u in units if u.kind == Unit.Kind.TEAM)


def test_paths_are_the_parent_path_and_the_own_key_four_levels_deep(scale_s):
    units = {u.pk: u for u in Unit.objects.filter(municipality=scale_s)}
    levels = [Unit.Kind.BOARD, Unit.Kind.ADMINISTRATION, Unit.Kind.DEPARTMENT, Unit.Kind.TEAM]

    for unit in units.values():
        parent_path = units[unit.parent_id].path if unit.parent_id else "/"
        assert unit.path == f"{parent_path}{unit.pk}/"
        assert levels.index(unit.kind) == len(unit.ancestor_ids)
    assert max(len(u.ancestor_ids) for u in units.values()) == 3


def test_every_person_logs_in_with_the_documented_password(scale_s):
    people = Person.objects.filter(municipality=scale_s).select_related("user")
    users = [p.user for p in people]

    assert all(u is not None for u in users)
    assert sorted(u.username for u in users if u) == sorted(f"scale-s-{n}" for n in range(1, 16))
    assert len({u.password for u in users if u}) == 1  # hashed once, shared
    assert users[0] is not None and users[0].check_password(SCALE_PASSWORD)


def test_some_routines_are_overdue_and_others_ahead(scale_s):
    today = timezone.localdate()
    routines = Routine.objects.filter(unit__municipality=scale_s)

    assert routines.filter(review_date__lt=today).exists()
    assert routines.filter(review_date__gte=today).exists()


def test_one_audit_event_records_the_whole_generation_without_personal_data(scale_s):
    events = AuditEvent.objects.filter(municipality=scale_s)

    event = events.get(action=AUDIT_ACTION)
    assert event.target == scale_s
    assert event.payload["counts"]["people"] == 15
    assert event.payload["counts"]["cases"] == 200
    assert event.payload["counts"]["improvements"] == 50 and event.payload["counts"]["learnings"] == 200
    assert "scale-s-" not in str(event.payload) and "invanare" not in str(event.payload)
    # Besides it, only the issue of each Open311 key, audited by the service that issues keys.
    assert set(events.exclude(pk=event.pk).values_list("action", flat=True)) == {"open311.client_created"}
    assert events.count() == 1 + SIZE_S["open311_clients"]


def test_running_twice_is_refused(scale_s):
    with pytest.raises(CommandError, match="already exists"):
        generate("S")

    assert Municipality.objects.filter(code=SIZES["S"].municipality_code).count() == 1


@pytest.mark.django_db
def test_refused_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_scale", size="S", stdout=StringIO())

    assert not Municipality.objects.exists()


@pytest.mark.django_db
def test_the_command_names_the_logins_and_the_password():
    output = generate("S")

    assert "scale-s-1" in output and SCALE_PASSWORD in output


def test_the_plan_is_the_same_for_the_same_seed_and_differs_for_another():
    assert scale_plan(size="S", seed=7) == scale_plan(size="S", seed=7)
    assert scale_plan(size="S", seed=7).people != scale_plan(size="S", seed=8).people


@pytest.mark.parametrize("size", ["M", "L"])
def test_the_larger_plans_have_the_documented_shape(size):
    plan = scale_plan(size=size)
    counts = expected_counts(size)
    leaders = [p.unit for p in plan.people if p.role == Role.LEADER]

    assert len(plan.units) == counts["units"]
    assert len(plan.people) == counts["people"]
    assert sorted(leaders) == list(range(len(plan.units)))
    assert len(plan.responsibilities) == counts["responsibilities"]
    assert len({(r.unit, r.area) for r in plan.responsibilities}) == len(plan.responsibilities)
    assert len({u.code for u in plan.units}) == len(plan.units)
    assert 0 < sum(1 for r in plan.routines if r.review_in_days < 0) < len(plan.routines) / 2
    assert len(plan.categories) == counts["categories"]
    assert len({c.code for c in plan.categories}) == len({c.name for c in plan.categories}) == len(plan.categories)
    assert {plan.units[c.unit].kind for c in plan.categories} == {Unit.Kind.TEAM}
    assert sum(1 for p in plan.people if p.role == Role.REGISTRAR) == 1


def test_the_sizes_are_the_documented_ones():
    assert expected_counts("M")["units"] == 307 and expected_counts("M")["people"] == 3000
    assert expected_counts("L")["units"] == 1549 and expected_counts("L")["people"] == 40000
    assert (expected_counts("M")["improvements"], expected_counts("M")["learnings"]) == (5_000, 20_000)
    assert (expected_counts("L")["improvements"], expected_counts("L")["learnings"]) == (200_000, 500_000)


# --- The dialogue: categories, cases, answers ------------------------------------------------------------------


def test_every_category_is_handled_by_a_unit_with_a_promise(scale_s):
    categories = Category.objects.filter(municipality=scale_s).select_related("unit").annotate(n=Count("promises"))

    assert {c.unit.municipality_id for c in categories} == {scale_s.pk}
    assert all(c.n >= 1 for c in categories)
    assert len({c.code for c in categories}) == len(categories)


def test_case_numbers_run_from_one_without_gaps_in_each_year(scale_s):
    by_year = defaultdict(list)
    for year, sequence, number in Case.objects.filter(municipality=scale_s).values_list("year", "sequence", "number"):
        by_year[year].append(sequence)
        assert number == case_number_format(year=year, sequence=sequence)

    assert len(by_year) >= 2  # the cases of size S span the last year: two calendar years
    assert all(sorted(sequences) == list(range(1, len(sequences) + 1)) for sequences in by_year.values())


def test_numbers_follow_the_order_the_cases_came_in(scale_s):
    cases = list(Case.objects.filter(municipality=scale_s).order_by("submitted_at", "id"))

    for earlier, later in itertools.pairwise(cases):
        assert (earlier.year, earlier.sequence) < (later.year, later.sequence)
        assert timezone.localdate(later.submitted_at).year == later.year


def test_the_number_series_holds_the_last_number_of_each_year(scale_s):
    counts = dict(
        Case.objects.filter(municipality=scale_s).values("year").annotate(n=Count("id")).values_list("year", "n")
    )

    assert dict(CaseNumberSeries.objects.filter(municipality=scale_s).values_list("year", "last_number")) == counts


def test_a_case_submitted_after_the_generation_gets_the_next_number_of_the_year(scale_s):
    year = timezone.localdate().year
    last = CaseNumberSeries.objects.get(municipality=scale_s, year=year).last_number
    category = Category.objects.filter(municipality=scale_s).first()

    case, _key = feedback_submit(
        municipality=scale_s, data=SubmissionInput(kind=Kind.QUESTION, category=category, text="Hur gör jag?")
    )

    assert case.number == case_number_format(year=year, sequence=last + 1)
    assert CaseNumberSeries.objects.get(municipality=scale_s, year=year).last_number == last + 1


def test_every_case_is_with_the_unit_of_its_category(scale_s):
    cases = Case.objects.filter(municipality=scale_s)

    assert cases.exclude(unit_id=F("category__unit_id")).count() == 0
    assert cases.values("unit_id").distinct().count() > 1


def test_due_dates_are_the_promise_in_working_days_from_the_day_it_came_in(scale_s):
    for case in Case.objects.filter(municipality=scale_s).select_related("category"):
        promise = promise_for(category=case.category, kind=case.kind)
        day = timezone.localdate(case.submitted_at)

        assert case.acknowledge_due == add_working_days(day, promise.acknowledge_days)
        assert case.answer_due == add_working_days(day, promise.answer_days)


def test_recent_cases_are_open_and_old_ones_answered_or_closed(scale_s):
    today = timezone.localdate()
    cases = Case.objects.filter(municipality=scale_s)
    still_due = cases.filter(answer_due__gte=today)
    long_past = cases.filter(answer_due__lt=today - datetime.timedelta(days=60))
    done = [Status.ANSWERED, Status.CLOSED]

    assert still_due.filter(status__in=[Status.RECEIVED, Status.IN_PROGRESS]).exists()
    assert long_past.exclude(status__in=done).count() <= long_past.count() * 0.05
    assert set(cases.values_list("kind", flat=True)) == set(Kind.values)


def test_each_answered_or_closed_case_has_one_answer_written_when_it_was_answered(scale_s):
    cases = Case.objects.filter(municipality=scale_s)
    entries = CaseEntry.objects.filter(case__municipality=scale_s).select_related("case")

    assert entries.count() == cases.filter(status__in=[Status.ANSWERED, Status.CLOSED]).count()
    for entry in entries:
        assert entry.kind == CaseEntry.Kind.ANSWER
        assert entry.created_at == (entry.case.answered_at or entry.case.closed_at)
        assert entry.case.updated_at >= entry.created_at


def test_the_history_of_a_case_is_in_order_and_in_the_past(scale_s):
    now = timezone.now()
    for case in Case.objects.filter(municipality=scale_s):
        moments = [case.submitted_at, case.acknowledged_at, case.answered_at, case.closed_at]
        given = [m for m in moments if m is not None]

        assert given == sorted(given)
        assert max(given) == case.updated_at or case.resolved_answered_at == case.updated_at
        assert case.updated_at <= now
        assert (case.closed_at is not None) == (case.status == Status.CLOSED)
        assert len(case.tracking_salt) == 32


def test_the_tracking_link_of_a_generated_case_opens_it(scale_s):
    case = Case.objects.filter(municipality=scale_s).last()

    assert case_by_link(number=case.number, key=tracking_key(case)) == case


def test_the_registrar_sees_every_case_and_a_leader_those_of_the_unit(scale_s):
    registrar = Person.objects.with_roles().get(municipality=scale_s, memberships__role=Role.REGISTRAR)
    category = Category.objects.filter(municipality=scale_s).select_related("unit").first()
    leader = Person.objects.with_roles().get(memberships__unit=category.unit, memberships__role=Role.LEADER)

    assert Case.objects.filter(case_scope(person=registrar)).count() == SIZE_S["cases"]
    assert set(Case.objects.filter(case_scope(person=leader)).values_list("unit_id", flat=True)) == {category.unit_id}


def test_the_documented_open311_key_belongs_to_the_scale_municipality(scale_s):
    client = open311_client_for_key(key=scale_open311_key("S"))

    assert client is not None and client.municipality == scale_s
    assert Case.objects.filter(open311_client__municipality=scale_s, kind=Kind.FAULT_REPORT).exists()


def test_the_cases_are_the_same_for_the_same_seed_and_moment():
    now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    plan = scale_plan(size="S", seed=7)

    first = list(scale_cases(plan, now=now))

    assert first == list(scale_cases(plan, now=now))
    assert len(first) == SIZES["S"].cases
    assert first != list(scale_cases(scale_plan(size="S", seed=8), now=now))


def test_the_statistics_rollup_counts_every_case_as_the_services_would(scale_s):
    counter = TallyCounter()
    for case in Case.objects.filter(municipality=scale_s):
        counter.add(tally_of(case))
    columns = ["unit_id", "category_id", "kind", "month", "received", "answered", "in_time", "resolved_yes"]

    def as_tuple(row: CaseTally) -> tuple:
        return (*(getattr(row, c) for c in columns), row.resolved_no, tuple(sorted(row.answer_days.items())))

    kept = {as_tuple(row) for row in CaseTally.objects.filter(municipality=scale_s)}
    assert kept == {as_tuple(row) for row in counter.rows()}
    assert sum(row[4] for row in kept) == SIZE_S["cases"]


# --- Improvement work: improvements, their rounds and moves, deviations, learnings, the search -------------------


def test_every_improvement_has_a_history_that_ends_in_its_stage(scale_s):
    improvements = Improvement.objects.filter(municipality=scale_s).prefetch_related("moves", "rounds")
    now = timezone.now()

    for improvement in improvements:
        moves = sorted(improvement.moves.all(), key=lambda m: (m.at, m.pk))
        rounds = sorted(improvement.rounds.all(), key=lambda r: r.number)
        stages = [Stage.IDEA.value] + [m.to_stage for m in moves]
        assert [m.from_stage for m in moves] == stages[:-1]  # one stage at a time, each from where it was
        assert stages[-1] == improvement.stage
        assert [m.pk for m in moves] == sorted(m.pk for m in moves)  # written in the order they were made
        assert all(improvement.created_at < m.at <= now for m in moves)
        assert improvement.stage_changed_at == (moves[-1].at if moves else improvement.created_at)
        assert [r.number for r in rounds] == list(range(1, improvement.round_number + 1))
        assert rounds[0].created_at == improvement.created_at
        adapted = [m for m in moves if m.from_stage == Stage.ACT and m.to_stage == Stage.PLAN]
        assert [r.created_at for r in rounds[1:]] == [m.at for m in adapted]
        assert all(r.decision == Decision.ADAPT for r in rounds[:-1])
        # Each answer is kept once the stage is left onwards, in the round it was given in.
        for r in rounds:
            left = {(m.from_stage, m.to_stage) for m in moves if m.round_id == r.pk}
            assert bool(r.expectation) == ((Stage.PLAN, Stage.DO) in left)
            assert bool(r.actions) == ((Stage.DO, Stage.STUDY) in left)
            assert bool(r.result) == ((Stage.STUDY, Stage.ACT) in left)
        done = improvement.stage == Stage.DONE
        assert done == bool(improvement.outcome) == (improvement.finished_at is not None)
        if done:
            assert improvement.finished_at == moves[-1].at
            assert rounds[-1].decision == (
                Decision.ABANDON if improvement.outcome == Outcome.ABANDONED else Decision.ADOPT
            )
        if improvement.outcome == Outcome.ABANDONED:
            assert improvement.lesson


def test_improvements_are_of_the_units_people_and_most_are_done(scale_s):
    improvements = Improvement.objects.filter(municipality=scale_s).prefetch_related("involved", "moves")
    members = defaultdict(set)
    for unit_id, person_id in Membership.objects.filter(unit__municipality=scale_s).values_list("unit", "person"):
        members[unit_id].add(person_id)
    today = timezone.localdate()

    assert {i.unit.kind for i in improvements.select_related("unit")} == {Unit.Kind.TEAM}
    for improvement in improvements:
        unit = members[improvement.unit_id]
        assert {improvement.owner_id, improvement.created_by_id} <= unit
        assert {p.pk for p in improvement.involved.all()} <= unit - {improvement.owner_id}
        assert {m.person_id for m in improvement.moves.all()} <= unit
    done = improvements.filter(stage=Stage.DONE)
    on_the_wheel = improvements.exclude(stage=Stage.DONE)
    assert done.count() > improvements.count() / 2
    assert set(done.values_list("outcome", flat=True)) == set(Outcome.values)
    assert on_the_wheel.exists()
    assert on_the_wheel.filter(due_date__lt=today).exists()  # overdue
    assert StageMove.objects.filter(improvement__municipality=scale_s).count() > improvements.count()


def test_at_size_m_there_are_improvements_in_every_stage_and_overdue_ones():
    now = datetime.datetime(2026, 6, 15, 8, tzinfo=datetime.UTC)
    work = ImprovementWork(scale_plan(size="M"), now=now)

    improvements = list(work.improvements())

    assert len(improvements) == SIZES["M"].improvements
    stages = {i.stage for i in improvements}
    assert stages == set(Stage.values)
    on_the_wheel = [i for i in improvements if i.stage != Stage.DONE]
    assert 0.05 < len(on_the_wheel) / len(improvements) < 0.3  # most are finished
    assert any(i.due_date is not None and i.due_date < now.date() for i in on_the_wheel)
    assert any(i.round_number > 1 for i in improvements)
    assert len(list(work.learnings())) == SIZES["M"].learnings


def test_the_improvement_work_is_the_same_for_the_same_seed_and_moment():
    now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)

    def work(seed: int) -> tuple[list, list, list]:
        decided = ImprovementWork(scale_plan(size="S", seed=seed), now=now)
        improvements = list(decided.improvements())
        return improvements, decided.deviations(), list(decided.learnings())

    first = work(7)
    assert first == work(7)
    assert first != work(8)


def test_deviations_are_in_each_state_in_every_unit_and_triaged_as_the_services_do(scale_s):
    teams = Unit.objects.filter(municipality=scale_s, kind=Unit.Kind.TEAM)
    leaders = dict(Membership.objects.filter(unit__in=teams, role=Role.LEADER).values_list("unit", "person"))

    for team in teams:
        states = list(Deviation.objects.filter(unit=team).values_list("state", flat=True))
        assert sorted(states) == sorted(DEVIATION_STATES)
    deviations = Deviation.objects.filter(municipality=scale_s).select_related("improvement")
    for deviation in deviations:
        assert deviation.happened_at <= deviation.reported_at
        if deviation.state == DeviationState.NEW:
            assert deviation.triaged_at is None and deviation.triaged_by_id is None
            continue
        assert deviation.reported_at <= deviation.triaged_at <= timezone.now()
        if deviation.state == DeviationState.IMPROVEMENT:
            assert deviation.improvement.unit_id == deviation.unit_id
            assert deviation.improvement.created_at == deviation.triaged_at
            assert deviation.improvement.created_by_id == deviation.triaged_by_id == leaders[deviation.unit_id]
        elif deviation.state == DeviationState.LEARNING:
            learning = Learning.objects.get(deviation=deviation)
            assert learning.written_at == deviation.triaged_at and learning.unit_id == deviation.unit_id
            # An anonymous learning keeps no author, and its deviation not who triaged it (they wrote it).
            assert learning.author_id == deviation.triaged_by_id
            assert deviation.triaged_by_id in (None, leaders[deviation.unit_id])
        else:
            assert deviation.close_reason and deviation.triaged_by_id == leaders[deviation.unit_id]


def test_learnings_are_anonymous_exactly_when_they_have_no_author(scale_s):
    learnings = Learning.objects.filter(municipality=scale_s)

    assert learnings.filter(anonymous=True, author__isnull=False).count() == 0
    assert learnings.filter(anonymous=False, author__isnull=True).count() == 0
    assert 0 < learnings.filter(anonymous=True).count() < learnings.count() / 2
    linked = learnings.filter(improvement__isnull=False).select_related("improvement")
    assert linked.exists()
    for learning in linked:
        assert learning.improvement.unit_id == learning.unit_id
        assert learning.improvement.stage == Stage.DONE and learning.written_at > learning.improvement.finished_at
    assert learnings.filter(improvement__isnull=True, deviation__isnull=True).exists()


def _search_all(municipality: Municipality, query: str, **filters) -> list[tuple[str, int]]:
    found, page, pages = [], 1, 1
    while page <= pages:
        result = search(municipality_id=municipality.pk, filters=Filters(query=query, **filters), page=page)
        found += [(hit.kind, hit.pk) for hit in result.hits]
        page, pages = page + 1, result.pages
    return found


def test_the_search_finds_generated_learnings_and_done_improvements_by_their_words(scale_s):
    learning = Learning.objects.filter(municipality=scale_s).select_related("unit").order_by("pk")[7]
    improvement = Improvement.objects.filter(municipality=scale_s, stage=Stage.DONE).select_related("unit").first()
    waiting = Improvement.objects.filter(municipality=scale_s).exclude(stage=Stage.DONE).first()

    def words(text: str) -> str:
        return " ".join(w for w in text.replace(".", " ").replace(",", " ").split() if len(w) >= 5)

    found = _search_all(
        scale_s,
        words(learning.title),
        unit_path=learning.unit.path,
        year=timezone.localtime(learning.written_at).year,
    )
    assert ("learning", learning.pk) in found
    assert ("improvement", improvement.pk) in _search_all(
        scale_s, words(improvement.title), unit_path=improvement.unit.path
    )
    assert ("improvement", waiting.pk) not in _search_all(scale_s, words(waiting.title))
    # The benchmark's word (bench/pages.py) is found in many.
    assert len(_search_all(scale_s, "schemat")) >= 5


def test_the_search_index_of_the_generated_rows_is_the_one_the_triggers_make(scale_s):
    """Whatever way the rows are written, the search must hold exactly what migration 0004_search's triggers keep."""
    migration = importlib.import_module("brobygget.improvement.migrations.0004_search")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, texts, condition in (
                ("improvement_learning", migration.LEARNING_TEXTS, ""),
                ("improvement_improvement", migration.IMPROVEMENT_TEXTS, "AND stage = 'done'"),
            ):
                vector = migration._vector_sql(texts).replace("NEW.", "")
                cursor.execute(
                    f"SELECT count(*), count(*) FILTER (WHERE search_vector IS DISTINCT FROM {vector}) "  # noqa: S608
                    f"FROM {table} WHERE municipality_id = %s {condition}",
                    [scale_s.pk],
                )
                total, different = cursor.fetchone()
                assert total > 0 and different == 0
            cursor.execute(
                "SELECT count(*) FROM improvement_improvement WHERE municipality_id = %s AND stage <> 'done' "
                "AND search_vector IS NOT NULL",
                [scale_s.pk],
            )
            assert cursor.fetchone()[0] == 0
        else:
            expected = set()
            for kind, texts, at, table, condition in (
                (0, migration.LEARNING_TEXTS, "written_at", "improvement_learning", ""),
                (1, migration.IMPROVEMENT_TEXTS, "finished_at", "improvement_improvement", "AND stage = 'done'"),
            ):
                select = migration._row(kind, texts, at).replace("new.", "")
                cursor.execute(f"{select} FROM {table} WHERE municipality_id = %s {condition}", [scale_s.pk])
                # The cursor reads the column as a datetime; the search table keeps the text it was written as.
                expected |= {tuple(str(v) if isinstance(v, datetime.datetime) else v for v in row) for row in cursor}
            cursor.execute(
                "SELECT rowid, title, body, municipality_id, unit_id, at FROM improvement_search "
                "WHERE municipality_id = %s",
                [scale_s.pk],
            )
            kept = set(cursor.fetchall())
            assert len(expected) == SIZE_S["learnings"] + Improvement.objects.filter(stage=Stage.DONE).count()
            assert kept == expected


def test_a_learning_written_after_the_generation_is_indexed_by_the_triggers(scale_s):
    team = Unit.objects.filter(municipality=scale_s, kind=Unit.Kind.TEAM).first()
    learning = Learning.objects.create(
        municipality=scale_s,
        unit=team,
        title="Kaffebryggaren som läckte",
        what_happened="Bryggaren läckte över golvet.",
        what_we_expected="Att den höll.",
        what_we_learned="Den var gammal.",
        what_we_change="Vi köper en ny.",
        anonymous=True,
        written_at=timezone.now(),
    )

    assert _search_all(scale_s, "kaffebryggaren") == [("learning", learning.pk)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statistics are PostgreSQL's (SQLite gathers none)")
def test_on_postgresql_every_table_written_has_statistics_also_the_goals_and_the_open_results(scale_s):
    # Where autovacuum is off (the benchmark's machine), a table written after the statistics were made has none, and
    # the planner guesses: a person's due follow-ups on Min sida read 50,000 index entries at size L to find two goals.
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tablename FROM pg_stats WHERE schemaname = current_schema()")
        analysed = {name for (name,) in cursor.fetchall()}
    for table in ["dialog_case", "improvement_improvement", "goals_goal", "goals_followup", "openresults_publication"]:
        assert table in analysed
