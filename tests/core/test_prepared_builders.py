"""Every prepared query of the project gives exactly the rows of its plain ORM queryset (`list(build(**arguments))`),
with awkward values: LIKE's and GLOB's own characters, quotes, å ä ö, empty and long lists, None/True/False, the
days and instants around the DST changes of Europe/Stockholm, aware datetimes of other zones; in another current
time zone too, and on SQLite and PostgreSQL alike.

Each builder has a case here, keyed by where it lives ("module.name"): a builder added without one (or moved)
fails `test_every_prepared_builder_of_the_project_has_a_case`."""

import datetime
import importlib
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

import brobygget
from brobygget.core.prepared import PreparedQuery, registered, shape_cache
from brobygget.dialog.models import Case, Kind, Status
from brobygget.dialog.search import words_match
from brobygget.organisation.models import Role, Unit
from tests.factories import (
    CategoryFactory,
    MembershipFactory,
    MunicipalityFactory,
    PersonFactory,
    ResponsibilityFactory,
    RoutineFactory,
    ServicePromiseFactory,
    UnitFactory,
    submit_case,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = datetime.UTC
# The DST changes of 2026 in Stockholm: 29 March 02:00 → 03:00, 25 October 03:00 → 02:00.
DST_DAYS = [datetime.date(2026, 3, d) for d in (28, 29, 30)] + [datetime.date(2026, 10, d) for d in (24, 25, 26)]
DST_INSTANTS = [
    datetime.datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=STOCKHOLM),  # the last moment of winter time
    datetime.datetime(2026, 3, 29, 3, 0, tzinfo=STOCKHOLM),  # the first of summer time
    datetime.datetime(2026, 3, 29, 2, 30, tzinfo=STOCKHOLM),  # a time the clock never shows
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=STOCKHOLM, fold=0),  # 02:30 summer time
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=STOCKHOLM, fold=1),  # the same clock an hour later
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # = 02:30 summer time, in UTC
    datetime.datetime(2026, 10, 24, 20, 30, tzinfo=ZoneInfo("America/New_York")),  # = 02:30 too
]
AWKWARD = ["%", "_", "\\", "'", '"', "å ä ö", "50%_rabatt", 'O\'Brien \\ "x"', "", " "]
AWKWARD_PATHS = ["/%/", "/_/", "/", "\\", "*", "/1?/", "/[1]/", "/å/", "'"]
HUGE = 10**18 - 1  # as large as the inbox's cursor lets an id be


def builder_modules() -> set[str]:
    """The project's modules that define a prepared query (a line starting with `@prepared`)."""
    source = Path(brobygget.__file__).parent
    return {
        ".".join(("brobygget", *path.relative_to(source).with_suffix("").parts))
        for path in source.rglob("*.py")
        if re.search(r"^@prepared\b", path.read_text(encoding="utf-8"), re.MULTILINE)
    }


def project_builders() -> dict[str, PreparedQuery]:
    modules = builder_modules()
    for module in modules:
        importlib.import_module(module)
    return {name: query for name, query in registered().items() if query.build.__module__ in modules}


@dataclass
class World:
    """Two municipalities with units, people, roles, responsibilities, routines, categories and cases, named and
    dated awkwardly."""

    municipality_id: int
    other_municipality_id: int
    units: dict[str, Unit]
    user_ids: list[int]
    person_ids: list[int]
    category_ids: list[int]
    case_ids: list[int]
    led_unit_ids: list[int]
    unit_ids: list[int] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [unit.path for unit in self.units.values()]

    def ids(self, *names: str) -> list[int]:
        return [self.units[name].pk for name in names]

    def path_lists(self) -> list[list[str]]:
        units = self.units
        return [
            [units["team"].path],
            [units["admin"].path, units["street"].path],
            [units["root"].path],
            [units["percent"].path, units["quote"].path, units["team"].path],  # padded to four
            [units["other"].path],  # another municipality's
            sorted(self.paths) * 10,  # long, with repeats
            [units["team"].path, "/%/"],
            ["/_/"],
            ["\\", units["team"].path],
        ]

    def id_lists(self) -> list[list[int]]:
        return [
            [],
            [self.unit_ids[0]],
            self.unit_ids[:3],
            self.unit_ids,
            self.unit_ids + list(range(10**6, 10**6 + 150)),  # long: 150 ids that are no unit's
            [self.unit_ids[-1]] * 7,
            [0, -1, HUGE],
        ]


@pytest.fixture
def world(org) -> World:
    municipality = org["root"].municipality
    units: dict[str, Any] = {"root": org["root"], "admin": org["admin_unit"], "team": org["team"]}
    units["percent"] = UnitFactory(municipality=municipality, name="50%_rabatt", parent=org["admin_unit"])
    units["quote"] = UnitFactory(municipality=municipality, name='O\'Brien \\ "park" å ä ö', parent=units["percent"])
    units["street"] = UnitFactory(municipality=municipality, name="_Gator", parent=org["root"])
    other: Any = MunicipalityFactory(name="Grannby kommun", code="8002")
    units["other"] = UnitFactory(municipality=other, name="Parkenheten")
    units["other_child"] = UnitFactory(municipality=other, name="50%_rabatt", parent=units["other"])

    odd = PersonFactory(municipality=municipality, first_name="Åke_%", last_name="O'Brien \\", title='"chef" ö')
    gone = PersonFactory(municipality=municipality, first_name="Gone", last_name="Ä", is_active=False)
    loner = PersonFactory(municipality=municipality, first_name="Ensam", last_name="Utan enhet")
    neighbour = PersonFactory(municipality=other, first_name="Granne", last_name="Gransson")
    MembershipFactory(person=odd, unit=units["percent"], role=Role.LEADER)
    MembershipFactory(person=odd, unit=units["quote"], role=Role.STAFF)
    MembershipFactory(person=odd, unit=units["street"], role=Role.ADMIN)
    MembershipFactory(person=gone, unit=units["team"], role=Role.STAFF)
    MembershipFactory(person=org["member"], unit=units["quote"], role=Role.LEADER)
    MembershipFactory(person=neighbour, unit=units["other"], role=Role.LEADER)
    people = [org["leader"], org["member"], org["registrar"], odd, gone, loner, neighbour]

    for n, (unit, person, area) in enumerate(
        [
            ("team", org["leader"], "Lekplatser"),
            ("team", odd, "50%_\\ 'x'"),
            ("quote", org["member"], "Å ä ö"),
            ("percent", gone, "_"),
            ("other", neighbour, "Lekplatser"),
        ]
    ):
        ResponsibilityFactory(unit=units[unit], person=person, area=f"{area}")
        RoutineFactory(
            unit=units[unit],
            owner=person,
            title=f"Rutin {area}",
            description=["", "%", "'", "å", "\\"][n],
            review_date=DST_DAYS[n % len(DST_DAYS)],
        )
    for n, day in enumerate(DST_DAYS):
        RoutineFactory(unit=units["team"], owner=[odd, org["leader"]][n % 2], title=f"Rutin {n}", review_date=day)

    categories = []
    for n, (name, unit) in enumerate([("Parker % och _lek_", "team"), ("Gator 'å'", "street"), ("\\", "quote")]):
        category: Any = CategoryFactory(municipality=municipality, unit=units[unit], name=name, order=n % 2)
        ServicePromiseFactory(category=category)
        categories.append(category)
    elsewhere: Any = CategoryFactory(municipality=other, unit=units["other"], name="Parker % och _lek_")
    ServicePromiseFactory(category=elsewhere)

    statuses = [Status.RECEIVED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED]
    kinds = [Kind.COMPLAINT, Kind.QUESTION, Kind.FAULT_REPORT]
    assignees = [None, org["leader"], odd, org["member"]]
    cases = []
    for n in range(16):
        category = [*categories, elsewhere][n % 4]
        case = submit_case(category, kind=kinds[n % 3], text=f"Ärende {n}: 50% _ \\ 'x' \"y\"")[0]
        submitted = DST_INSTANTS[n % len(DST_INSTANTS)] + datetime.timedelta(microseconds=n // 8)  # some tie
        Case.objects.filter(pk=case.pk).update(
            submitted_at=submitted,
            answer_due=DST_DAYS[n % len(DST_DAYS)],
            status=statuses[n % 4],
            assignee=assignees[n % 4] if category is not elsewhere else None,
        )
        cases.append(case.pk)
    _goals(municipality, units, people)
    _improvement_work(municipality, units, people)
    return World(
        municipality_id=municipality.pk,
        other_municipality_id=other.pk,
        units=units,
        user_ids=[person.user_id for person in people],
        person_ids=[person.pk for person in people],
        category_ids=[category.pk for category in [*categories, elsewhere]],
        case_ids=cases,
        led_unit_ids=[org["team"].pk, units["percent"].pk],
        unit_ids=sorted(unit.pk for unit in units.values()),
    )


def _goals(municipality: Any, units: dict[str, Any], people: list[Any]) -> None:
    """Goals of every rhythm in 2026 for Min sida's follow-ups (goals.my_page), some spans followed up, one archived."""
    from brobygget.goals.models import FollowUp, Goal, Level, Period, Rhythm

    period = Period.objects.create(
        municipality=municipality, name="2026", start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31)
    )
    rhythms = [Rhythm.MONTHLY, Rhythm.TERTIAL, Rhythm.YEARLY]
    for n, (unit, person) in enumerate(
        [("team", 0), ("team", 3), ("percent", 1), ("quote", 0), ("street", 3), ("team", 4), ("root", 0)]
    ):
        goal = Goal.objects.create(
            municipality=municipality,
            period=period,
            level=Level.ACTIVITY,
            title=f"Mål {n} 50% _ 'å'",
            unit=units[unit],
            responsible=people[person],
            rhythm=rhythms[n % 3],
            archived=n == 6,
        )
        for day in [datetime.date(2026, 3, 31), datetime.date(2026, 4, 30), datetime.date(2026, 12, 31)][: n % 3]:
            FollowUp.objects.create(
                goal=goal, covers_until=day, status="green", submitted_at=DST_INSTANTS[0], submitted_by=people[person]
            )
    # A unit's dashboard (goals.dashboard, goals.kept): the first goal's children, red, yellow, green and one archived,
    # with their kept roll-ups, and an indicator of it.
    from brobygget.goals.models import GoalRollup, Indicator, IndicatorTarget, Measurement

    first = Goal.objects.filter(period=period).order_by("pk")[0]
    GoalRollup.objects.create(goal=first, rolled="red", effective="red", red=1, yellow=1, green=1, activities=3)
    for n, (title, status) in enumerate([("Ö 50%", "red"), ("_ 'å'", "yellow"), ("a", "green"), ("Z", "red")]):
        child = Goal.objects.create(
            municipality=municipality,
            period=period,
            level=Level.ACTIVITY,
            title=title,
            unit=units["team"],
            responsible=people[0],
            parent=first,
            archived=n == 3,
        )
        GoalRollup.objects.create(goal=child, own=status, effective=status)
    indicator = Indicator.objects.create(
        municipality=municipality, goal=first, name="Mått 50% _ 'å'", owner=people[0], green_from=50, red_from=20
    )
    Indicator.objects.create(municipality=municipality, goal=first, name="Tomt", owner=people[0])
    IndicatorTarget.objects.create(indicator=indicator, period=period, value=Decimal("60.5"))
    # A goal's page (goals.selectors): its copies, its history and its principles.
    from django.contrib.contenttypes.models import ContentType

    from brobygget.core.models import Principle, PrincipleTag
    from brobygget.goals.models import GoalChange

    copy = Goal.objects.create(
        municipality=municipality, period=period, level=Level.ACTIVITY, title="Kopia", unit=units["street"],
        responsible=people[3], origin=first, parent=first,
    )  # fmt: skip
    GoalChange.objects.create(goal=first, kind="created", person=people[0], at=DST_INSTANTS[0])
    GoalChange.objects.create(
        goal=first, kind="updated", person=None, at=DST_INSTANTS[1], changes={"title": ["50% _", "'å' \\"]}
    )
    GoalChange.objects.create(goal=copy, kind="copied", person=people[3], at=DST_INSTANTS[1])
    goal_type = ContentType.objects.get_for_model(Goal)
    for n, principle in enumerate(Principle.objects.order_by("order")[:2]):
        PrincipleTag.objects.create(
            principle=principle, content_type=goal_type, object_id=[first, copy][n].pk, municipality=municipality
        )
    for year, month, value in [(2025, 0, Decimal("48.25")), (2026, 3, Decimal("51")), (2026, 4, None)]:
        Measurement.objects.create(
            indicator=indicator, year=year, month=month, value=value, source="manual", recorded_at=DST_INSTANTS[0]
        )
    # A goal's page says whether it is on "Våra mål" (openresults.goals): live publications and a withdrawn one.
    from brobygget.openresults.models import GoalPublication

    for n, follow_up in enumerate(FollowUp.objects.filter(goal__period=period).order_by("covers_until", "pk")[:3]):
        GoalPublication.objects.create(
            municipality=municipality, goal=follow_up.goal, follow_up=follow_up, goal_path=follow_up.goal.path,
            period_name=period.name, level=follow_up.goal.level, unit_name="_Gator", title="50% _ 'å'",
            status=follow_up.status, covers_until=follow_up.covers_until, published_by=people[0],
            published_at=DST_INSTANTS[n], withdrawn_at=DST_INSTANTS[4] if n == 1 else None,
        )  # fmt: skip


def _improvement_work(municipality: Any, units: dict[str, Any], people: list[Any]) -> None:
    """For the rest of Min sida: improvements (owned, involved in, done), deviations waiting and triaged, thanks
    (about an improvement, shown or not, to a whole team) and chosen mail about cases, for most of the people."""
    from brobygget.dialog.models import CaseMail, CaseMailChoice
    from brobygget.improvement.models import Deviation, DeviationState, Improvement, Recognition, Stage

    leader, member, _registrar, odd, gone, loner, _neighbour = people
    stages = [Stage.IDEA, Stage.PLAN, Stage.DONE, Stage.DO]
    improvements = []
    for n, (unit, owner, involved) in enumerate(
        [("team", leader, [member]), ("team", member, []), ("quote", odd, [leader, loner]), ("percent", gone, [])] * 2
    ):
        improvement = Improvement.objects.create(
            municipality=municipality,
            unit=units[unit],
            title=f"Förbättring {n} 50% _ 'å'",
            problem="p",
            value_for_resident="v",
            idea="i",
            measure="m",
            owner=owner,
            due_date=[None, *DST_DAYS][n % 4],
            stage=stages[n % 4],
            outcome="adopted" if stages[n % 4] == Stage.DONE else "",
            finished_at=DST_INSTANTS[0] if stages[n % 4] == Stage.DONE else None,
            stage_changed_at=DST_INSTANTS[n % len(DST_INSTANTS)],
            created_by=owner,
        )
        improvement.involved.set(involved)
        improvements.append(improvement)
    for n, unit in enumerate(["team", "team", "percent", "quote", "street", "other", "team"]):
        triaged = n == 6
        Deviation.objects.create(
            municipality=units[unit].municipality,
            unit=units[unit],
            what_happened="Något hände",
            where=f"Plats {n} 50% _ 'å'",
            happened_at=DST_INSTANTS[n],
            reported_by=people[n],
            reported_at=DST_INSTANTS[(n + 3) % len(DST_INSTANTS)],
            state=DeviationState.CLOSED if triaged else DeviationState.NEW,
            triaged_at=DST_INSTANTS[0] if triaged else None,
            close_reason="Klar" if triaged else "",
        )
    for n, (giver, person) in enumerate(
        [(member, leader), (leader, member), (leader, odd), (odd, gone), (member, None), (odd, leader)]
    ):
        Recognition.objects.create(
            municipality=municipality,
            given_by=giver,
            person=person,
            unit=units["team"],
            text=f"Tack {n}! 50% _ 'å' \\",
            improvement=improvements[n] if n % 2 else None,
            shown_in_organisation=n % 3 != 0,
            given_at=DST_INSTANTS[n % 3],  # some at the same moment
        )
    for person, how in ((leader, CaseMail.EACH), (odd, CaseMail.NONE), (gone, CaseMail.DAILY)):
        CaseMailChoice.objects.create(person=person, how=how, daily_at=datetime.time(6, 30))


# A builder's case: its arguments as axes, each a list of partial arguments (the first is the base). Every option
# of every axis is tried with the others at their base, then random combinations of them.
type Axes = dict[str, list[dict[str, Any]]]


def _each(name: str, values: list[Any]) -> list[dict[str, Any]]:
    return [{name: value} for value in values]


def _ints() -> list[int]:
    return [0, -1, 2**31, HUGE]


def active_person(w: World) -> Axes:
    return {"user_id": _each("user_id", [*w.user_ids, *_ints()])}


def visible_unit(w: World) -> Axes:
    return {"user_id": _each("user_id", [*w.user_ids, 0]), "unit_id": _each("unit_id", [*w.unit_ids, *_ints()])}


def unit_relatives(w: World) -> Axes:
    return {
        "ancestor_ids": _each("ancestor_ids", w.id_lists()),
        "unit_id": _each("unit_id", [*w.unit_ids, *_ints()]),
    }


def by_unit(w: World) -> Axes:
    return {"unit_id": _each("unit_id", [*w.unit_ids, *_ints()])}


def by_person(w: World) -> Axes:
    return {"person_id": _each("person_id", [*w.person_ids, *_ints()])}


def my_routines_due(w: World) -> Axes:
    days = [*DST_DAYS, datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]
    return {
        "person_id": _each("person_id", [*w.person_ids, 0]),
        "led_unit_ids": _each("led_unit_ids", w.id_lists()),
        "due_by": _each("due_by", days),
    }


def unit_choices(w: World) -> Axes:
    scopes: list[dict[str, Any]] = [
        {"municipality_id": m, "paths": None} for m in (w.municipality_id, w.other_municipality_id, 0)
    ]
    scopes += [{"municipality_id": None, "paths": paths} for paths in w.path_lists()]
    chosen = [{"chosen_id": None}, *_each("chosen_id", [*w.unit_ids, 0, HUGE])]
    ancestors = [{"chosen_ancestor_ids": None}, *_each("chosen_ancestor_ids", w.id_lists())]
    return {"scope": scopes, "chosen_id": chosen, "chosen_ancestor_ids": ancestors}


def unit_path(w: World) -> Axes:
    return {
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "paths": [{"paths": None}, *_each("paths", w.path_lists())],
        "unit_id": _each("unit_id", [*w.unit_ids, 0, HUGE]),
    }


def unit_ids_below(w: World) -> Axes:
    return {
        "paths": [{"paths": None}, *_each("paths", w.path_lists())],
        "under": [{"under": None}, *_each("under", [*w.paths, *AWKWARD_PATHS])],
    }


def categories(w: World) -> Axes:
    return {"municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, *_ints()])}


def inbox_rows(w: World) -> Axes:
    epoch = datetime.datetime(1970, 1, 1, tzinfo=UTC)
    no_cursor = {"after_due": None, "after_submitted": None, "after_id": None}
    cursors: list[dict[str, Any]] = [{"urgent": False, **no_cursor}, {"urgent": True, **no_cursor}]
    cursors += [
        {"urgent": True, "after_due": day, "after_submitted": None, "after_id": i}
        for day in DST_DAYS
        for i in (w.case_ids[3], HUGE)
    ]
    cursors += [
        {"urgent": False, "after_due": None, "after_submitted": moment, "after_id": i}
        for moment in [*DST_INSTANTS, epoch + datetime.timedelta(microseconds=1)]
        for i in (w.case_ids[5], 0)
    ]
    return {
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "paths": _each("paths", [None, *w.path_lists()]),
        "unit_path": _each("unit_path", [None, *w.paths, *AWKWARD_PATHS]),
        "unit_ids": _each("unit_ids", [None, *w.id_lists()]),
        "status": _each("status", [None, *Status.values, *AWKWARD]),
        "kind": _each("kind", [None, *Kind.values, *AWKWARD]),
        "category_id": _each("category_id", [None, *w.category_ids, 0]),
        "assignee_id": _each("assignee_id", [None, *w.person_ids, 0]),
        "open_only": _each("open_only", [False, True]),
        "overdue_before": _each("overdue_before", [None, *DST_DAYS]),
        "cursor": cursors,
        "match": _each("match", [None, *(words_match(words) for words in (["gata"], ["park", "lampa"], ["x"]))]),
        "match_ids": _each("match_ids", [None, [0], w.case_ids[:3], [w.case_ids[4], HUGE]]),
    }


def responsible_cases_due(w: World) -> Axes:
    return {
        "person_id": _each("person_id", [*w.person_ids, 0]),
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "soon_until": _each("soon_until", [*DST_DAYS, datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]),
        "led_unit_ids": _each("led_unit_ids", [w.led_unit_ids, *w.id_lists()]),
    }


def led_due(w: World) -> Axes:
    days = [*DST_DAYS, datetime.date(1, 1, 1), datetime.date(9999, 12, 31)]
    return {
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "paths": _each("paths", w.path_lists()),
        "today": _each("today", days),
        "soon_until": _each("soon_until", days),
    }


def deviations_waiting(w: World) -> Axes:
    return {
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "paths": _each("paths", w.path_lists()),
    }


def _case_page_rows(w: World) -> list[int]:
    """For a case's page (dialog.selectors_staff.case_page): a history with and without authors (some entries at the
    same moment), photos, duplicates in both municipalities, answer templates (one retired) and a promise for one
    kind; the ids of the cases, those with the most first."""
    from brobygget.dialog.models import AnswerTemplate, CaseAttachment, CaseEntry, ServicePromise

    cases = w.case_ids
    kinds = [kind for kind, _label in CaseEntry.Kind.choices]
    for n, case_id in enumerate([cases[0]] * 4 + cases[1:6]):
        entry = CaseEntry.objects.create(
            case_id=case_id, kind=kinds[n % len(kinds)], text=AWKWARD[n], author_id=[None, w.person_ids[3]][n % 2]
        )
        CaseEntry.objects.filter(pk=entry.pk).update(created_at=DST_INSTANTS[n % 3])
    for n, case_id in enumerate([cases[0], cases[0], cases[1], cases[3]]):
        CaseAttachment.objects.create(
            case_id=case_id, file=f"cases/{n}.jpg", content_type="image/jpeg", width=n, height=1
        )
    Case.objects.filter(pk__in=[cases[4], cases[6], cases[9]]).update(duplicate_of_id=cases[0])
    Case.objects.filter(pk=cases[7]).update(duplicate_of_id=cases[3])  # in the other municipality
    for n, (municipality_id, title) in enumerate(
        [
            (w.municipality_id, "50% _ 'å'"),
            (w.municipality_id, "Tack"),
            (w.municipality_id, "Tack"),
            (w.other_municipality_id, "_"),
        ]
    ):
        AnswerTemplate.objects.create(municipality_id=municipality_id, title=title, text=AWKWARD[n], is_active=n != 1)
    category_id = Case.objects.get(pk=cases[0]).category_id
    ServicePromise.objects.create(category_id=category_id, kind=Kind.COMPLAINT, acknowledge_days=1, answer_days=3)
    return [cases[0], cases[1], cases[3], *cases]


def _case_municipalities(w: World) -> list[dict[str, Any]]:
    return _each("municipality_id", [w.municipality_id, w.municipality_id, w.other_municipality_id, 0])


def case_row(w: World) -> Axes:
    return {"municipality_id": _case_municipalities(w), "case_id": _each("case_id", [*_case_page_rows(w), *_ints()])}


def duplicates(w: World) -> Axes:
    cases = _case_page_rows(w)
    return {
        "municipality_id": _case_municipalities(w),
        "case_id": _each("case_id", [cases[0], cases[0], cases[2], cases[1], *_ints()]),
    }


def by_case(w: World) -> Axes:
    return {"case_id": _each("case_id", [*_case_page_rows(w)[:8], *_ints()])}


def answer_templates(w: World) -> Axes:
    _case_page_rows(w)
    return categories(w)


def unit_people(w: World) -> Axes:
    return {
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
        "unit_id": _each("unit_id", [w.units["team"].pk, *w.unit_ids, *_ints()]),
    }


def _board_times() -> list[datetime.datetime]:
    """The instants a board or a meeting compares its improvements' times with: around the DST changes, before every
    improvement and after all of them (made now)."""
    return [*DST_INSTANTS, datetime.datetime(2000, 1, 1, tzinfo=UTC), datetime.datetime(2999, 1, 1, tzinfo=UTC)]


def board_rows(w: World) -> Axes:
    """A unit's board (improvement.selectors): its improvements on the wheel and those finished after a moment, with
    whether each was raised or moved after another."""
    _improvement_history(w)
    return {
        "unit_id": _each("unit_id", [*w.unit_ids, *_ints()]),
        "done_after": _each("done_after", _board_times()),
        "new_after": _each("new_after", _board_times()),
    }


def board_unit_row(w: World) -> Axes:
    """The unit of a board, a meeting or a unit's figures (improvement.selectors), by its id and municipality."""
    return {
        "unit_id": _each("unit_id", [*w.unit_ids, *_ints()]),
        "municipality_id": _each("municipality_id", [w.municipality_id, w.other_municipality_id, 0]),
    }


def agenda_rows(w: World) -> Axes:
    """A board meeting's walk (improvement.meeting): as the board, compared with the last meeting and today."""
    _improvement_history(w)
    return {
        "unit_id": _each("unit_id", [*w.unit_ids, *_ints()]),
        "after": _each("after", _board_times()),
        "day_start": _each("day_start", _board_times()[::-1]),
    }


def case_improvements(w: World) -> Axes:
    _improvement_history(w)  # links the first five cases to improvements
    return {"case_id": _each("case_id", [*w.case_ids[:6], *_ints()])}


GOAL_ENDS = [
    datetime.date(2026, 2, 28),
    datetime.date(2026, 3, 31),
    datetime.date(2026, 4, 30),
    datetime.date(2026, 12, 31),
    datetime.date(2025, 12, 31),
    *DST_DAYS,
    datetime.date(1, 1, 1),
    datetime.date(9999, 12, 31),
]


def goals_mine(w: World) -> Axes:
    ends = {
        name: _each(name, GOAL_ENDS[n % 4 :] + GOAL_ENDS[: n % 4])
        for n, name in enumerate(
            ["monthly_open", "monthly_overdue", "tertial_open", "tertial_overdue", "yearly_open", "yearly_overdue"]
        )
    }
    return {"person_id": _each("person_id", [*w.person_ids, 0]), **ends}


def goals_overdue_below(w: World) -> Axes:
    ends = {
        name: _each(name, GOAL_ENDS[n:] + GOAL_ENDS[:n])
        for n, name in enumerate(["monthly_overdue", "tertial_overdue", "yearly_overdue"])
    }
    return {
        "person_id": _each("person_id", [w.person_ids[1], *w.person_ids, 0]),
        "paths": _each("paths", w.path_lists()[2:] + w.path_lists()[:2]),
        **ends,
    }


def goals_unit_goals(w: World) -> Axes:
    from brobygget.goals.models import Period

    period = Period.objects.get(municipality_id=w.municipality_id).pk
    return {
        "period_id": _each("period_id", [period, period, period, 0, HUGE]),
        "unit_id": _each("unit_id", [*w.ids("team", "street", "percent", "quote", "team"), 0, HUGE]),
    }


def _goal_id_lists(w: World, name: str) -> Axes:
    from brobygget.goals.models import Goal

    goals = Goal.objects.filter(municipality_id=w.municipality_id).order_by("pk")
    ids = list(goals.values_list("pk", flat=True))
    parents = sorted(set(goals.filter(parent__isnull=False).values_list("parent_id", flat=True)))
    return {name: _each(name, [parents, [*parents, *ids[:3]], ids, ids * 3, [ids[-1], *parents], [0], [HUGE]])}


def goals_goal_indicators(w: World) -> Axes:
    from brobygget.goals.models import Goal, Period

    first, other = (
        Goal.objects.filter(municipality_id=w.municipality_id).order_by("pk").values_list("pk", flat=True)[:2]
    )
    period = Period.objects.get(municipality_id=w.municipality_id).pk
    return {
        "goal_id": _each("goal_id", [first, first, first, other, 0, HUGE]),
        "period_id": _each("period_id", [period, period, 0, HUGE]),
    }


def _goal_ids(w: World) -> tuple[int, int, int]:
    from brobygget.goals.models import Goal

    goals = Goal.objects.filter(municipality_id=w.municipality_id)
    first = goals.order_by("pk").values_list("pk", flat=True)[0]
    copy = goals.get(origin_id=first).pk
    other = goals.exclude(pk__in=[first, copy]).order_by("pk").values_list("pk", flat=True)[0]
    return first, copy, other


def goals_related(w: World) -> Axes:
    first, copy, other = _goal_ids(w)
    return {
        "goal_id": _each("goal_id", [first, first, copy, other, 0, HUGE]),
        "parent_id": _each("parent_id", [0, first, other, HUGE]),
        "origin_id": _each("origin_id", [0, first, copy, HUGE]),
    }


def goals_changes(w: World) -> Axes:
    first, copy, other = _goal_ids(w)
    return {"goal_id": _each("goal_id", [first, first, copy, other, 0, HUGE])}


def goals_principles(w: World) -> Axes:
    from django.contrib.contenttypes.models import ContentType

    from brobygget.goals.models import Goal

    first, copy, other = _goal_ids(w)
    goal_type = ContentType.objects.get_for_model(Goal).pk
    return {
        "content_type_id": _each("content_type_id", [goal_type, goal_type, goal_type, 0]),
        "goal_id": _each("goal_id", [first, copy, first, other, 0, HUGE]),
    }


def goals_follow_ups(w: World) -> Axes:
    """Goals with follow-ups (and live or withdrawn publications of them), goals without, and no goal."""
    from brobygget.goals.models import Goal

    goals = list(Goal.objects.filter(municipality_id=w.municipality_id).order_by("pk").values_list("pk", flat=True))
    followed = sorted(set(Goal.objects.filter(follow_ups__isnull=False).values_list("pk", flat=True)))
    return {"goal_id": _each("goal_id", [*followed, followed[0], goals[0], goals[-1], 0, HUGE])}


def goals_deciding(w: World) -> Axes:
    return _goal_id_lists(w, "parent_ids")


def goals_indicators(w: World) -> Axes:
    return _goal_id_lists(w, "goal_ids")


def _improvement_history(w: World) -> list[int]:
    """An improvement's page (improvement.selectors): rounds, moves (some at the same moment), the cases it came from,
    spreading both ways and principles, for the world's improvements; their ids, those with a history first."""
    from django.contrib.contenttypes.models import ContentType

    from brobygget.core.models import Principle, PrincipleTag
    from brobygget.improvement.models import Improvement, ImprovementCase, ImprovementRound, Spread, StageMove

    improvements = list(Improvement.objects.filter(municipality_id=w.municipality_id).order_by("pk"))
    texts = ["50% _ 'å' \\", "", '"x" ö', "%"]
    people = w.person_ids
    for n, improvement in enumerate(improvements[:6]):
        for number in range(1, n % 3 + 2):
            round_ = ImprovementRound.objects.create(
                improvement=improvement,
                number=number,
                expectation=texts[(n + number) % 4],
                actions=texts[n % 4],
                result=texts[number % 4],
                decision="adapt" if number < n % 3 + 1 else ["", "adopt", "abandon"][n % 3],
                decision_text=texts[(n + 2) % 4],
            )
            for k, (from_stage, to_stage) in enumerate([("idea", "plan"), ("plan", "do"), ("do", "plan")][: n % 4]):
                StageMove.objects.create(
                    improvement=improvement,
                    round=round_,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    person_id=people[(n + k) % len(people)],
                    at=DST_INSTANTS[(n + k) % 3],  # some at the same moment
                )
    for n, case_id in enumerate(w.case_ids[:5]):
        ImprovementCase.objects.create(improvement=improvements[n % 2], case_id=case_id, created_by_id=people[n % 3])
    done = [improvement for improvement in improvements if improvement.stage == "done"]
    for original, copy in [(done[0], improvements[0]), (done[0], improvements[1]), (done[1], done[0])]:
        Spread.objects.create(original=original, copy=copy, created_by_id=people[0])
    improvement_type = ContentType.objects.get_for_model(Improvement)
    case_type = ContentType.objects.get_for_model(Case)
    for n, principle in enumerate(Principle.objects.order_by("order")[:4]):
        for improvement in improvements[: 4 - n]:
            PrincipleTag.objects.create(
                principle=principle,
                content_type=improvement_type,
                object_id=improvement.pk,
                municipality_id=w.municipality_id,
            )
        PrincipleTag.objects.create(  # another kind of object with the same id
            principle=principle, content_type=case_type, object_id=improvements[5].pk, municipality_id=w.municipality_id
        )
    ids = [improvement.pk for improvement in improvements]
    return [*ids[:6], ids[0], ids[2], *ids[6:]]


def _improvement_ids(w: World) -> list[int]:
    return [*_improvement_history(w), *_ints()]


def improvement_row(w: World) -> Axes:
    return {
        "improvement_id": _each("improvement_id", _improvement_ids(w)),
        "municipality_id": _each("municipality_id", [w.municipality_id, w.municipality_id, w.other_municipality_id, 0]),
    }


def improvement_lists(w: World) -> Axes:
    return {"improvement_id": _each("improvement_id", _improvement_ids(w))}


def improvement_principles(w: World) -> Axes:
    from django.contrib.contenttypes.models import ContentType

    from brobygget.improvement.models import Improvement

    improvement_type = ContentType.objects.get_for_model(Improvement).pk
    case_type = ContentType.objects.get_for_model(Case).pk
    return {
        "content_type_id": _each("content_type_id", [improvement_type, improvement_type, case_type, 0]),
        "improvement_id": _each("improvement_id", _improvement_ids(w)),
    }


def improvement_spread(w: World) -> Axes:
    return {
        "improvement_id": _each("improvement_id", _improvement_ids(w)),
        "both_ways": _each("both_ways", [True, False]),
    }


def _search_ids(w: World, kind: str) -> Axes:
    """The search's hits (improvement.search): learnings, awkwardly written, and the world's improvements, by id."""
    from brobygget.improvement.models import Improvement, Learning

    units = w.units
    for n, unit in enumerate(["team", "quote", "other", "team"]):
        Learning.objects.create(
            municipality_id=units[unit].municipality_id,
            unit=units[unit],
            title=f"Lärdom {n} 50% _ 'å' \\",
            what_happened=["", "%", "'x' \"y\"", "å ä ö"][n],
            what_we_expected="v",
            what_we_learned="l",
            what_we_change="c",
            anonymous=n % 2 == 0,
            author_id=None if n % 2 == 0 else w.person_ids[n],
            written_at=DST_INSTANTS[n],
        )
    model = Learning if kind == "learning" else Improvement
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    lists = [ids, ids[:1], ids[1:3], ids * 3, [ids[-1], 0, HUGE], [], [0], list(range(10**6, 10**6 + 40)) + ids[:1]]
    return {"ids": _each("ids", lists)}


def search_learning_hits(w: World) -> Axes:
    return _search_ids(w, "learning")


def search_improvement_hits(w: World) -> Axes:
    return _search_ids(w, "improvement")


def _tracking_page_rows(w: World) -> list[int]:
    """For the resident's tracking page (dialog.public, openresults.selectors): entries of every kind (some at the same
    moment), photos, and cases linked to improvements with live, withdrawn and another municipality's publications;
    the ids of the cases, those with the most first."""
    from brobygget.dialog.models import CaseAttachment, CaseEntry
    from brobygget.improvement.models import Improvement, ImprovementCase
    from brobygget.openresults.models import Publication

    cases = w.case_ids
    kinds = [kind for kind, _label in CaseEntry.Kind.choices]
    for n, case_id in enumerate([cases[0]] * len(kinds) + cases[1:5]):
        entry = CaseEntry.objects.create(case_id=case_id, kind=kinds[n % len(kinds)], text=AWKWARD[n % len(AWKWARD)])
        CaseEntry.objects.filter(pk=entry.pk).update(created_at=DST_INSTANTS[n % 3])  # some at the same moment
    for n, case_id in enumerate([cases[0], cases[0], cases[1], cases[3]]):
        CaseAttachment.objects.create(
            case_id=case_id, file=f"cases/{n}.jpg", content_type="image/jpeg", width=n, height=1
        )
    improvements = list(Improvement.objects.order_by("pk"))
    # (case, improvement): the first case raised three improvements, the second shares one of them.
    for n, (case, raised) in enumerate([(0, 0), (0, 1), (0, 2), (1, 1), (2, 3), (3, 4)]):
        ImprovementCase.objects.create(
            improvement=improvements[raised], case_id=cases[case], created_by_id=w.person_ids[n % 3]
        )
    publisher = w.person_ids[0]
    # Live and withdrawn, done on the same day (ordered by id then), and one of the other municipality's.
    for n, (improvement, withdrawn, municipality_id) in enumerate(
        [
            (improvements[0], False, w.municipality_id),
            (improvements[1], False, w.municipality_id),
            (improvements[1], True, w.municipality_id),
            (improvements[2], False, w.other_municipality_id),
            (improvements[3], True, w.municipality_id),
        ]
    ):
        Publication.objects.create(
            municipality_id=municipality_id, improvement=improvement, unit_id=improvement.unit_id, unit_name="_",
            title="50% _ 'å'", you_said="y", we_did="w", done_on=DST_DAYS[n % 2], published_by_id=publisher,
            published_at=DST_INSTANTS[n], withdrawn_at=DST_INSTANTS[5] if withdrawn else None,
            withdrawn_by_id=publisher if withdrawn else None,
        )  # fmt: skip
    return [cases[0], cases[1], cases[2], cases[3], *cases]


def tracking_case(w: World) -> Axes:
    _tracking_page_rows(w)
    numbers = list(Case.objects.filter(pk__in=w.case_ids).order_by("pk").values_list("number", flat=True))
    # The same numbers run in both municipalities: a number may be two cases.
    return {
        "number": _each("number", [*numbers[:6], numbers[-1], *AWKWARD, "SYN-2026-99999"]),
        "tracking": _each("tracking", [True, False]),
    }


def tracking_page_case(w: World) -> Axes:
    return {"case_id": _each("case_id", [*_tracking_page_rows(w)[:6], *_ints()])}


def late_tasks(w: World) -> Axes:
    """Tasks of the queue in every state, queued, due and started at awkward moments around the limits."""
    from django_tasks_db.models import DBTaskResult, get_date_max

    never = get_date_max()
    moment = datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.UTC)  # the night Sweden moves its clocks
    hour = datetime.timedelta(hours=1)
    for n, (status, backend, run_after, started_at) in enumerate(
        [
            ("READY", "default", never, None),
            ("READY", "default", moment - hour, None),
            ("READY", "other", moment - 3 * hour, None),
            ("RUNNING", "default", never, moment - 2 * hour),
            ("SUCCESSFUL", "default", never, moment - 5 * hour),
            ("FAILED", "default", moment - 4 * hour, moment - 4 * hour),
        ]
    ):
        task = DBTaskResult.objects.create(
            args_kwargs={"args": [], "kwargs": {}},
            task_path="brobygget.dialog.tasks.send_receipt",
            backend_name=backend,
            status=status,
            run_after=run_after,
            started_at=started_at,
        )
        DBTaskResult.objects.filter(pk=task.pk).update(enqueued_at=moment - (n + 2) * hour)
    moments = [moment + k * hour for k in (-8, -3, -2, -1, 0, 1, 24)] + [never]
    return {
        "backends": _each("backends", [["default"], ["default", "other"], ["other"], [], ["%", "_"]]),
        "never": _each("never", [never, moment]),
        "waiting_since": _each("waiting_since", moments),
        "running_since": _each("running_since", moments),
    }


CASES: dict[str, Callable[[World], Axes]] = {
    "brobygget.core.health._late_tasks": late_tasks,
    "brobygget.organisation.selectors._active_person": active_person,
    "brobygget.organisation.selectors._visible_unit": visible_unit,
    "brobygget.organisation.selectors._unit_relatives": unit_relatives,
    "brobygget.organisation.selectors._unit_members": by_unit,
    "brobygget.organisation.selectors._unit_responsibilities": by_unit,
    "brobygget.organisation.selectors._unit_routines": by_unit,
    "brobygget.organisation.selectors._my_responsibilities": by_person,
    "brobygget.organisation.selectors._my_routines_due": my_routines_due,
    "brobygget.organisation.scoping._unit_choices": unit_choices,
    "brobygget.organisation.scoping._unit_path": unit_path,
    "brobygget.organisation.scoping.unit_ids_below": unit_ids_below,
    "brobygget.dialog.selectors_staff._categories": categories,
    "brobygget.dialog.selectors_staff._inbox_rows": inbox_rows,
    "brobygget.dialog.selectors_staff.responsible_cases_due": responsible_cases_due,
    "brobygget.dialog.selectors_staff._case_row": case_row,
    "brobygget.dialog.selectors_staff._entries": by_case,
    "brobygget.dialog.selectors_staff._photos": by_case,
    "brobygget.dialog.selectors_staff._duplicates": duplicates,
    "brobygget.dialog.selectors_staff._answer_templates": answer_templates,
    "brobygget.dialog.selectors_staff._unit_people": unit_people,
    "brobygget.dialog.my_page._led_due": led_due,
    "brobygget.dialog.my_page._mail_choice": by_person,
    "brobygget.dialog.public._cases_numbered": tracking_case,
    "brobygget.dialog.public._resident_entries": tracking_page_case,
    "brobygget.dialog.public._case_photos": tracking_page_case,
    "brobygget.openresults.selectors._live_publications_of_case": tracking_page_case,
    "brobygget.goals.dashboard._unit_goals": goals_unit_goals,
    "brobygget.goals.dashboard._indicators": goals_indicators,
    "brobygget.goals.kept._deciding": goals_deciding,
    "brobygget.goals.indicators._goal_indicators": goals_goal_indicators,
    "brobygget.goals.selectors._goal": goals_changes,
    "brobygget.goals.selectors._related": goals_related,
    "brobygget.goals.selectors._changes": goals_changes,
    "brobygget.goals.selectors._principles": goals_principles,
    "brobygget.goals.followups.goal_page_follow_ups": goals_follow_ups,
    "brobygget.goals.my_page._mine": goals_mine,
    "brobygget.goals.my_page._overdue_below": goals_overdue_below,
    "brobygget.improvement.my_page._my_improvements": by_person,
    "brobygget.improvement.my_page._deviations_waiting": deviations_waiting,
    "brobygget.improvement.my_page._thanks": by_person,
    "brobygget.improvement.selectors._improvement_row": improvement_row,
    "brobygget.improvement.selectors._involved": improvement_lists,
    "brobygget.improvement.selectors._principles": improvement_principles,
    "brobygget.improvement.selectors._rounds": improvement_lists,
    "brobygget.improvement.selectors._cases": improvement_lists,
    "brobygget.improvement.selectors._move_rows": improvement_lists,
    "brobygget.improvement.selectors._spread_rows": improvement_spread,
    "brobygget.improvement.selectors._board_rows": board_rows,
    "brobygget.improvement.selectors._unit_row": board_unit_row,
    "brobygget.improvement.meeting._agenda_rows": agenda_rows,
    "brobygget.improvement.meeting._card_row": improvement_lists,
    "brobygget.improvement.search._learning_hits": search_learning_hits,
    "brobygget.improvement.search._improvement_hits": search_improvement_hits,
    "brobygget.improvement.cases._case_improvements": case_improvements,
    "brobygget.openresults.goals.live_goal_publication": goals_follow_ups,
}


def arguments_of(axes: Axes, rounds: int = 40) -> Iterator[dict[str, Any]]:
    """Every option of each axis with the others at their base, then `rounds` random combinations (fixed seed)."""
    base = {name: options[0] for name, options in axes.items()}

    def merged(choice: dict[str, dict[str, Any]]) -> dict[str, Any]:
        return {key: value for partial in choice.values() for key, value in partial.items()}

    for name, options in axes.items():
        for option in options:
            yield merged({**base, name: option})
    rng = random.Random(14)
    for _round in range(rounds):
        yield merged({name: rng.choice(options) for name, options in axes.items()})


def outcome(call: Callable[[], list[Any]]) -> object:
    """The rows, or the kind of error (a path with wildcards is refused on SQLite, by both ways alike)."""
    try:
        return call()
    except Exception as error:  # compared, not hidden: both ways must fail alike
        return f"{type(error).__name__}"


def test_every_prepared_builder_of_the_project_has_a_case():
    builders = project_builders()
    assert builders, "no prepared query found: has the decorator or the registry changed?"
    missing = sorted(set(builders) - set(CASES))
    gone = sorted(set(CASES) - set(builders))
    assert not missing, f"prepared queries without a case in {__name__}.CASES: {missing}"
    assert not gone, f"cases of prepared queries that no longer exist (moved or removed?): {gone}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_a_prepared_builder_gives_the_rows_of_its_plain_orm_queryset(name, world):
    builder = project_builders().get(name)
    assert builder is not None, f"{name} is no registered prepared query"
    shape_cache(connections[DEFAULT_DB_ALIAS]).clear()
    calls = list(arguments_of(CASES[name](world)))
    found = 0
    for zone in ("Europe/Stockholm", "America/New_York"):  # the rows do not follow the current time zone
        with timezone.override(zone):
            for arguments in calls:
                expected = outcome(lambda a=arguments: list(builder.build(**a)))  # type: ignore[misc]
                got = outcome(lambda a=arguments: builder(**a))  # type: ignore[misc]
                if isinstance(expected, list) and isinstance(got, list) and not builder.build(**arguments).ordered:
                    expected, got = sorted(expected, key=repr), sorted(got, key=repr)
                assert got == expected, (zone, arguments)
                found += bool(expected) and isinstance(expected, list)
    assert found >= len(calls) // 4, "too few of the calls found rows: the comparison would prove little"
    assert len(shape_cache(connections[DEFAULT_DB_ALIAS])) <= 64
