"""The goal services: who may edit, the history of every change, copying down and the next period."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from brobygget.core.models import AuditEvent, Principle, PrincipleTag
from brobygget.goals import services
from brobygget.goals.models import Goal, GoalChange, Level, Period
from brobygget.organisation.models import Role
from tests.factories import MembershipFactory, PersonFactory, UnitFactory
from tests.goals.conftest import goal_input

pytestmark = pytest.mark.django_db


def tags(goal: Goal) -> set[int]:
    return set(
        PrincipleTag.objects.filter(
            content_type=ContentType.objects.get_for_model(Goal), object_id=goal.pk
        ).values_list("principle_id", flat=True)
    )


def test_a_leader_creates_a_goal_of_their_unit_recorded_audited_and_tagged(goals_org, make_goal):
    principle = Principle.objects.order_by("order").first()
    goal = make_goal(principle_ids=[principle.pk])

    assert goal.unit == goals_org["team"] and goal.responsible == goals_org["leader"]
    assert goal.path == f"/{goal.pk}/"
    assert goal.created_by == goals_org["leader"]
    change = GoalChange.objects.get(goal=goal)
    assert change.kind == GoalChange.Kind.CREATED and change.person == goals_org["leader"]
    event = AuditEvent.objects.get(action="goal.created", target_id=str(goal.pk))
    assert event.actor == goals_org["leader"].user
    assert event.payload["unit"] == goals_org["team"].pk
    assert tags(goal) == {principle.pk}


def test_staff_who_lead_nothing_may_not_create_a_goal_and_nothing_is_written(goals_org, make_goal):
    with pytest.raises(PermissionDenied):
        make_goal(by=goals_org["member"])
    with pytest.raises(PermissionDenied):  # a registrar sees everything but leads nothing
        make_goal(by=goals_org["registrar"])

    assert not Goal.objects.exists() and not GoalChange.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="goal").exists()


def test_leaders_above_and_administrators_may_edit_a_unit_goal_a_neighbouring_leader_may_not(goals_org, make_goal):
    assert make_goal(by=goals_org["chief"], responsible=goals_org["member"]).unit == goals_org["team"]
    assert make_goal(by=goals_org["admin"], responsible=goals_org["member"]).unit == goals_org["team"]
    with pytest.raises(PermissionDenied):
        make_goal(by=goals_org["street_leader"], responsible=goals_org["member"])


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(goals_org, tree, make_goal):
    before = Goal.objects.count()
    with pytest.raises(ValidationError) as refused:
        make_goal(
            title="  ",
            responsible=goals_org["street_member"],  # not of the park team
            parent_id=tree["street"].pk,  # a goal of another unit beside it
            principle_ids=[999_999],
        )
    assert set(refused.value.message_dict) == {"title", "responsible", "parent", "principles"}
    assert refused.value.message_dict["title"] == [str(services.ERROR_TITLE_EMPTY)]
    with pytest.raises(ValidationError) as refused:
        make_goal(level=Level.COUNCIL, parent_id=tree["committee"].pk)
    assert refused.value.message_dict["level"] == [str(services.ERROR_LEVEL_ABOVE_PARENT)]
    with pytest.raises(ValidationError) as refused:
        make_goal(title="Rena\x00 parker")
    assert "title" in refused.value.message_dict
    assert Goal.objects.count() == before


def test_an_update_keeps_each_changed_field_with_its_old_and_new_value(goals_org, tree):
    goal = tree["park"]
    principle = Principle.objects.order_by("order").first()
    services.goal_update(
        actor=goals_org["chief"].user,
        goal=goal,
        data=goal_input(
            goals_org["member"],
            title="Rena och trygga lekplatser",
            description=goal.description,
            parent_id=tree["committee"].pk,
            principle_ids=[principle.pk],
        ),
    )

    change = GoalChange.objects.filter(goal=goal).latest("pk")
    assert change.kind == GoalChange.Kind.UPDATED and change.person == goals_org["chief"]
    assert change.changes["title"] == ["Rena lekplatser", "Rena och trygga lekplatser"]
    assert change.changes["responsible"] == ["Lena Ledare", "Mats Medarbetare"]
    assert change.changes["principles"] == ["", principle.title]
    assert set(change.changes) == {"title", "responsible", "principles"}
    event = AuditEvent.objects.get(action="goal.updated", target_id=str(goal.pk))
    assert event.payload["fields"] == ["principles", "responsible", "title"]


def test_an_update_that_changes_nothing_records_nothing(goals_org, tree):
    goal = tree["park"]
    before = GoalChange.objects.count()
    services.goal_update(
        actor=goals_org["leader"].user,
        goal=goal,
        data=goal_input(goals_org["leader"], title=goal.title, parent_id=goal.parent_id),
    )
    assert GoalChange.objects.count() == before
    assert not AuditEvent.objects.filter(action="goal.updated").exists()


def test_archiving_is_a_change_and_deletes_nothing(goals_org, tree):
    goal = tree["activity"]
    services.goal_update(
        actor=goals_org["leader"].user,
        goal=goal,
        data=goal_input(
            goals_org["leader"], level=Level.ACTIVITY, title=goal.title, parent_id=goal.parent_id, archived=True
        ),
    )
    goal.refresh_from_db()
    assert goal.archived
    assert GoalChange.objects.filter(goal=goal).latest("pk").changes == {"archived": ["no", "yes"]}
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_a_goal_that_moves_takes_its_subtree_along(goals_org, tree, make_goal):
    other = make_goal(by=goals_org["chief"], unit=goals_org["admin_unit"], level=Level.COMMITTEE, title="Annat")
    park, activity = tree["park"], tree["activity"]
    services.goal_update(
        actor=goals_org["chief"].user,
        goal=park,
        data=goal_input(goals_org["leader"], title=park.title, description=park.description, parent_id=other.pk),
    )
    park.refresh_from_db()
    activity.refresh_from_db()
    assert park.path == f"/{other.pk}/{park.pk}/"
    assert activity.path == f"/{other.pk}/{park.pk}/{activity.pk}/"
    assert GoalChange.objects.filter(goal=park).latest("pk").changes["parent"] == [
        "Trygga offentliga miljöer",
        "Annat",
    ]


def test_a_goal_cannot_contribute_to_its_own_child(goals_org, tree):
    park = tree["park"]
    with pytest.raises(ValidationError) as refused:
        services.goal_update(
            actor=goals_org["leader"].user,
            goal=park,
            data=goal_input(goals_org["leader"], title=park.title, parent_id=tree["activity"].pk),
        )
    assert "parent" in refused.value.message_dict


def test_copy_down_gives_each_unit_below_a_linked_copy_owned_by_it_with_its_leader_responsible(goals_org, tree):
    committee = tree["committee"]
    principle = Principle.objects.order_by("order").first()
    services.goal_update(
        actor=goals_org["chief"].user,
        goal=committee,
        data=goal_input(
            goals_org["chief"],
            level=Level.COMMITTEE,
            title=committee.title,
            description=committee.description,
            parent_id=committee.parent_id,
            principle_ids=[principle.pk],
        ),
    )
    leaderless = UnitFactory(municipality=goals_org["team"].municipality, parent=goals_org["admin_unit"])

    copies = services.goal_copy_down(actor=goals_org["chief"].user, goal=committee)

    assert {copy.unit_id for copy in copies} == {goals_org["team"].pk, goals_org["street"].pk}
    by_unit = {copy.unit_id: copy for copy in Goal.objects.filter(origin=committee)}
    assert by_unit[goals_org["team"].pk].responsible == goals_org["leader"]
    assert by_unit[goals_org["street"].pk].responsible == goals_org["street_leader"]
    for copy in by_unit.values():
        assert copy.parent == committee and copy.level == Level.UNIT and copy.title == committee.title
        assert copy.path == f"{committee.path}{copy.pk}/"
        assert tags(copy) == {principle.pk}
        assert GoalChange.objects.get(goal=copy).kind == GoalChange.Kind.COPIED
    assert leaderless.pk not in by_unit
    event = AuditEvent.objects.get(action="goal.copied_down")
    assert sorted(event.payload["copies"]) == sorted(copy.pk for copy in copies)

    # Once is enough: a second copy down finds a copy at every unit.
    assert services.goal_copy_down(actor=goals_org["chief"].user, goal=committee) == []


def test_copy_down_is_refused_to_a_leader_below_for_an_activity_and_without_units_below(goals_org, tree):
    with pytest.raises(PermissionDenied):
        services.goal_copy_down(actor=goals_org["leader"].user, goal=tree["committee"])
    with pytest.raises(ValidationError):
        services.goal_copy_down(actor=goals_org["leader"].user, goal=tree["activity"])
    with pytest.raises(ValidationError):  # the park team has no units under it
        services.goal_copy_down(actor=goals_org["leader"].user, goal=tree["park"])
    assert not Goal.objects.filter(origin__isnull=False).exists()


def test_the_next_period_starts_from_a_copy_of_the_tree_linked_to_the_originals(goals_org, tree):
    principle = Principle.objects.order_by("order").first()
    park = tree["park"]
    services.goal_update(
        actor=goals_org["leader"].user,
        goal=park,
        data=goal_input(
            goals_org["leader"],
            title=park.title,
            description=park.description,
            parent_id=park.parent_id,
            principle_ids=[principle.pk],
        ),
    )
    street = tree["street"]
    services.goal_update(
        actor=goals_org["street_leader"].user,
        goal=street,
        data=goal_input(
            goals_org["street_leader"],
            title=street.title,
            description=street.description,
            parent_id=street.parent_id,
            archived=True,
        ),
    )

    period = services.period_start_from(
        actor=goals_org["admin"].user,
        previous=goals_org["period"],
        name="2028",
        start=datetime.date(2028, 1, 1),
        end=datetime.date(2028, 12, 31),
    )

    copies = {goal.origin_id: goal for goal in Goal.objects.filter(period=period).select_related("parent")}
    assert set(copies) == {tree[name].pk for name in ("vision", "council", "committee", "park", "activity")}
    for name in ("council", "committee", "park", "activity"):
        original = tree[name]
        copy = copies[original.pk]
        assert copy.parent == copies[original.parent_id]
        assert copy.path == f"{copy.parent.path}{copy.pk}/"
        assert (copy.title, copy.unit_id, copy.responsible_id, copy.level) == (
            original.title,
            original.unit_id,
            original.responsible_id,
            original.level,
        )
    assert copies[tree["vision"].pk].parent is None
    assert tags(copies[park.pk]) == {principle.pk}
    assert period.previous == goals_org["period"]
    # The earlier period stays as it was.
    assert Goal.objects.filter(period=goals_org["period"]).count() == 6
    assert AuditEvent.objects.filter(action="goal_period.started", target_id=str(period.pk)).exists()


def test_only_administrators_start_a_period_and_a_name_is_used_once(goals_org, tree):
    dates = {"start": datetime.date(2028, 1, 1), "end": datetime.date(2028, 12, 31)}
    with pytest.raises(PermissionDenied):
        services.period_start_from(actor=goals_org["chief"].user, previous=goals_org["period"], name="2028", **dates)
    with pytest.raises(ValidationError) as refused:
        services.period_start_from(actor=goals_org["admin"].user, previous=goals_org["period"], name="2027", **dates)
    assert refused.value.message_dict["name"] == [str(services.ERROR_PERIOD_NAME_TAKEN)]
    with pytest.raises(ValidationError) as refused:
        services.period_start_from(
            actor=goals_org["admin"].user,
            previous=goals_org["period"],
            name="2028",
            start=datetime.date(2028, 1, 1),
            end=datetime.date(2027, 1, 1),
        )
    assert "end" in refused.value.message_dict
    assert Period.objects.count() == 1


def test_an_administrator_of_another_municipality_may_not_edit(goals_org, tree):
    other = UnitFactory(code="X1")
    outsider = PersonFactory(municipality=other.municipality)
    MembershipFactory(person=outsider, unit=other, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.goal_copy_down(actor=outsider.user, goal=tree["committee"])
