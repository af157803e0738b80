"""manage.py demo_scale's open results: publications of adopted improvements and of goals' follow-ups, as staff
would have published them, shown on the public pages; the withdrawn ones never; the same rows for the same seed."""

import datetime
import zoneinfo
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from brobygget.core.models import Municipality
from brobygget.demo.scale import SIZES
from brobygget.dialog.models import Category
from brobygget.goals.followups import _indicators_snapshot
from brobygget.goals.models import FollowUp, Goal, Level
from brobygget.improvement.models import Outcome, Stage
from brobygget.openresults.goals import _public_indicator
from brobygget.openresults.models import GoalPublication, Publication
from brobygget.organisation.models import Membership, Role

GENERATED_AT = datetime.datetime(2026, 6, 15, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm"))
INDICATOR_KEYS = {
    "name", "unit_of_measure", "direction", "source", "baseline", "baseline_year", "target", "values", "latest",
    "colour",
}  # fmt: skip


def generate(size: str = "S", **options: Any) -> str:
    out = StringIO()
    call_command("demo_scale", size=size, force=True, stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.fixture
def scale_s(db) -> Iterator[Municipality]:
    with time_machine.travel(GENERATED_AT):
        generate("S")
        yield Municipality.objects.get(code=SIZES["S"].municipality_code)


def _leaders(municipality: Municipality) -> dict[int, int]:
    return dict(
        Membership.objects.filter(unit__municipality=municipality, role=Role.LEADER).values_list("unit_id", "person_id")
    )


def test_the_command_says_what_it_published(db):
    with time_machine.travel(GENERATED_AT):
        out = generate("S")
    assert "Published its open results in" in out
    assert f"{Publication.objects.count()} publications" in out


def test_publications_are_of_adopted_improvements_of_units_that_handle_cases(scale_s):
    publications = list(
        Publication.objects.filter(municipality=scale_s).select_related("improvement", "unit").order_by("pk")
    )
    live = [p for p in publications if p.withdrawn_at is None]
    withdrawn = [p for p in publications if p.withdrawn_at is not None]
    assert 10 <= len(live) <= 20 and 1 <= len(withdrawn) <= 3
    leaders = _leaders(scale_s)
    handling = set(Category.objects.filter(municipality=scale_s).values_list("unit_id", flat=True))
    for publication in publications:
        improvement = publication.improvement
        assert improvement.stage == Stage.DONE and improvement.outcome in (Outcome.ADOPTED, Outcome.ADAPTED)
        assert publication.unit_id == improvement.unit_id in handling
        assert publication.unit_name == publication.unit.name and publication.title == improvement.title
        assert publication.you_said and publication.we_did and publication.masked == []
        assert publication.done_on == timezone.localdate(improvement.finished_at)
        assert improvement.finished_at <= publication.published_at <= timezone.now()
        assert publication.published_by_id == leaders[publication.unit_id]
        assert set(publication.categories.values_list("unit_id", flat=True)) == {publication.unit_id}
        assert 1 <= publication.principles.count() <= 2
    for publication in withdrawn:
        assert publication.withdrawn_by_id == leaders[publication.unit_id] and publication.withdrawn_reason
        assert publication.published_at < publication.withdrawn_at <= timezone.now()
    # No improvement is published twice.
    assert len({p.improvement_id for p in publications}) == len(publications)


def test_you_said_we_did_shows_the_live_publications_and_never_the_withdrawn(scale_s, client):
    page = client.get("/resultat/du-sa-vi-gjorde/")
    assert page.status_code == 200
    html = page.content.decode()
    publications = Publication.objects.filter(municipality=scale_s)
    for publication in publications:
        link = f'href="/resultat/du-sa-vi-gjorde/{publication.pk}/"'
        shown = client.get(f"/resultat/du-sa-vi-gjorde/{publication.pk}/")
        if publication.withdrawn_at is None:
            assert link in html and shown.status_code == 200
            assert publication.we_did in shown.content.decode()
        else:
            assert link not in html and shown.status_code == 404
            assert publication.you_said not in shown.content.decode()


def test_goal_publications_are_the_latest_follow_ups_of_the_goals_above_the_activities(scale_s):
    publications = list(GoalPublication.objects.filter(municipality=scale_s).select_related("goal", "follow_up"))
    live = [p for p in publications if p.withdrawn_at is None]
    assert 10 <= len(live) <= 20
    assert {p.level for p in live} == {Level.VISION, Level.COUNCIL, Level.COMMITTEE, Level.UNIT}
    # Every goal at the top of the tree is published; not every goal of the units, never an activity.
    top = Goal.objects.filter(municipality=scale_s, level__in=[Level.VISION, Level.COUNCIL, Level.COMMITTEE])
    assert {p.goal_id for p in live} >= set(top.values_list("pk", flat=True))
    units = Goal.objects.filter(municipality=scale_s, level=Level.UNIT).count()
    assert sum(1 for p in live if p.level == Level.UNIT) < units
    assert len({p.goal_id for p in live}) == len(live)
    for publication in live:
        goal, follow_up = publication.goal, publication.follow_up
        assert follow_up == FollowUp.objects.filter(goal=goal).order_by("-covers_until", "-pk").first()
        assert (publication.status, publication.analysis, publication.covers_until) == (
            follow_up.status,
            follow_up.analysis,
            follow_up.covers_until,
        )
        assert (publication.title, publication.level, publication.goal_path) == (goal.title, goal.level, goal.path)
        assert publication.unit_name == goal.unit.name and publication.period_name == goal.period.name
        assert publication.published_by_id == goal.responsible_id
        assert follow_up.submitted_at <= publication.published_at <= timezone.now()
    for publication in publications:
        if publication.withdrawn_at is not None:  # replaced by the goal's later follow-up, as publishing one does
            newer = next(p for p in live if p.goal_id == publication.goal_id)
            assert publication.covers_until < newer.covers_until
            assert publication.withdrawn_at == newer.published_at and publication.withdrawn_reason


def _numbers(indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indicators with their numbers as numbers: "60" and "6E+1" are the same value."""

    def number(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return [
        {
            **shown,
            "baseline": number(shown["baseline"]),
            "target": number(shown["target"]),
            "latest": number(shown["latest"]),
            "values": [[year, month, number(value)] for year, month, value in shown["values"]],
        }
        for shown in indicators
    ]


def test_goal_publications_hold_the_indicators_as_a_follow_up_publishes_them(scale_s):
    with_indicators = 0
    for publication in GoalPublication.objects.filter(municipality=scale_s).select_related("goal"):
        for shown in publication.indicators:
            assert set(shown) == INDICATOR_KEYS
            assert all(isinstance(value, str | None) for _year, _month, value in shown["values"])
            assert shown["values"] and max(year for year, _m, _v in shown["values"]) <= publication.covers_until.year
            assert "E" not in "".join(value or "" for _y, _m, value in shown["values"])  # plain decimals
        expected = [
            _public_indicator(shown) for shown in _indicators_snapshot(publication.goal, publication.covers_until)
        ]
        assert _numbers(publication.indicators) == _numbers(expected)
        with_indicators += bool(publication.indicators)
    assert with_indicators >= 4


def test_our_goals_shows_the_live_publications_and_each_goal_page_renders(scale_s, client):
    """Each live goal is linked where "Våra mål" lists it: the top of the tree on the first page, the others on the
    pages of the goal they are listed under; a withdrawn one nowhere, and its page is gone."""
    first = client.get("/resultat/vara-mal/")
    assert first.status_code == 200
    listing = {None: first.content.decode()}

    def listed_on(section_id: int) -> str:
        if section_id not in listing:
            pages, number = [], 1
            while True:
                answer = client.get(f"/resultat/vara-mal/{section_id}/", {"sida": number})
                assert answer.status_code == 200
                pages.append(answer.content.decode())
                if f"sida={number + 1}" not in pages[-1]:
                    break
                number += 1
            listing[section_id] = "".join(pages)
        return listing[section_id]

    publications = GoalPublication.objects.filter(municipality=scale_s)
    assert publications.filter(withdrawn_at=None, section=None).exists()
    assert publications.filter(withdrawn_at=None, section__isnull=False).exists()
    for publication in publications:
        shown = client.get(f"/resultat/vara-mal/{publication.pk}/")
        link = f'href="/resultat/vara-mal/{publication.pk}/"'
        if publication.withdrawn_at is None:
            assert link in listed_on(publication.section_id)
            assert shown.status_code == 200
            for indicator in publication.indicators:
                assert indicator["name"] in shown.content.decode()
        else:
            assert link not in listing[None]
            assert shown.status_code == 404


def _rows() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The published rows without their ids (a PostgreSQL sequence is not rolled back with the rows)."""
    publications = [
        (
            p.title, p.you_said, p.we_did, p.unit_name, p.done_on, p.published_at, p.withdrawn_at, p.withdrawn_reason,
            p.published_by.first_name, p.published_by.last_name, sorted(p.categories.values_list("code", flat=True)),
            sorted(p.principles.values_list("slug", flat=True)),
        )
        for p in Publication.objects.select_related("published_by").order_by("pk")
    ]  # fmt: skip
    goals = [
        (
            g.title, g.level, g.unit_name, g.period_name, g.status, g.analysis, g.covers_until, g.indicators,
            g.published_at, g.withdrawn_at, g.withdrawn_reason, g.published_by.first_name, g.published_by.last_name,
        )
        for g in GoalPublication.objects.select_related("published_by").order_by("pk")
    ]  # fmt: skip
    return publications, goals


def test_the_same_seed_gives_the_same_publications(db):
    made = []
    for _ in range(2):
        with time_machine.travel(GENERATED_AT, tick=False), transaction.atomic():
            generate("S", seed=11)
            made.append(_rows())
            transaction.set_rollback(True)
    assert made[0] == made[1]
    assert made[0][0] and made[0][1]
