"""Min sida's follow-ups (goals.my_page) read in one prepared query each: the same rows as the follow-up reads of
goals.followups (the plain ORM), day by day through a year and a half, for each kind of person, with goals of every
rhythm, two periods, spans followed up and not, an archived goal, and more goals than are shown."""

import datetime

import pytest

from brobygget.goals import followups, my_page
from brobygget.goals.models import FollowUp, Goal, Level, Period, Rhythm
from brobygget.organisation.models import Role

pytestmark = pytest.mark.django_db

D = datetime.date


def _rhythm(goal: Goal, value: str, **fields) -> Goal:
    Goal.objects.filter(pk=goal.pk).update(rhythm=value, **fields)
    return goal


def _written(goal: Goal, *days: D) -> None:
    for day in days:
        FollowUp.objects.create(
            goal=goal,
            covers_until=day,
            status=FollowUp.Status.GREEN,
            submitted_at=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        )


@pytest.fixture
def goals_due(goals_org, tree, make_goal):
    """The tree, with goals of every rhythm for the member (more than Min sida shows), some spans followed up, one
    archived, and a second period across the turn of the year."""
    member, park = goals_org["member"], tree["park"]
    rhythms = [Rhythm.MONTHLY, Rhythm.TERTIAL, Rhythm.YEARLY]
    goals = [
        _rhythm(
            make_goal(level=Level.ACTIVITY, title=f"Aktivitet {n:02d}", parent_id=park.pk, responsible=member),
            rhythms[n % 3],
        )
        for n in range(13)
    ]
    _written(goals[0], D(2027, 1, 31), D(2027, 3, 31), D(2027, 6, 30), D(2027, 11, 30))
    _written(goals[1], D(2027, 4, 30))
    _written(goals[2], D(2027, 12, 31))
    _rhythm(goals[3], Rhythm.MONTHLY, archived=True)
    _rhythm(tree["street"], Rhythm.MONTHLY)
    _rhythm(tree["committee"], Rhythm.TERTIAL)
    later = Period.objects.create(
        municipality=goals_org["team"].municipality, name="2027/28", start=D(2027, 7, 1), end=D(2028, 6, 30)
    )
    _rhythm(make_goal(title="Läsåret", period=later), Rhythm.MONTHLY)
    street = make_goal(by=goals_org["street_leader"], title="Läsåret, gatan", period=later, unit=goals_org["street"])
    _rhythm(street, Rhythm.TERTIAL)
    return goals


def _people(goals_org):
    return [goals_org[name] for name in ("member", "leader", "chief", "admin", "street_leader", "registrar")]


def test_min_sida_reads_the_follow_ups_the_plain_orm_reads_day_by_day(goals_org, goals_due):
    # The spans' ends move on the 13th to the 18th of a month (14 days before a month's end, 15 days after).
    days = [D(2026, 12, 1) + datetime.timedelta(days=n) for n in range(610)]
    checked, shown = 0, set()
    for day in (day for day in days if day.day in (1, 10, 13, 14, 15, 16, 17, 18, 25)):
        for person in _people(goals_org):
            expected = followups.my_due_follow_ups(person_id=person.pk, today=day, limit=my_page.LIMIT)
            assert my_page.my_due(person_id=person.pk, today=day) == expected, (person, day)
            paths = sorted({m.unit_path for m in person.unit_roles if m.role == Role.LEADER})
            expected = followups.overdue_below(person_id=person.pk, unit_paths=paths, today=day, limit=my_page.LIMIT)
            assert my_page.overdue_below(person_id=person.pk, paths=paths, today=day) == expected, (person, day)
            shown |= {("below", bool(expected[0]), expected[1])}
            shown |= {("mine", bool(mine[0]), mine[1]) for mine in [my_page.my_due(person_id=person.pk, today=day)]}
            checked += 1
    assert checked > 1000
    # Leaders saw overdue rows below, and none; people saw rows of their own, more than are shown, and none.
    assert {("below", True, False), ("below", False, False), ("mine", True, True), ("mine", False, False)} <= shown


def test_more_follow_ups_than_shown_are_told_and_the_overdue_come_first(goals_org, goals_due):
    mine, more = my_page.my_due(person_id=goals_org["member"].pk, today=D(2027, 12, 20))
    assert more and len({item.goal_id for item in mine}) == my_page.LIMIT
    overdue = [item.overdue for item in mine]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] and not overdue[-1]
