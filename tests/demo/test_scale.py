"""manage.py demo_scale: bulk scale data with the documented counts, a sound tree and one leader per unit."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from brobygget.core.models import AuditEvent, Municipality
from brobygget.demo.scale import (
    AUDIT_ACTION,
    SCALE_PASSWORD,
    SIZES,
    expected_counts,
    scale_plan,
)
from brobygget.organisation.models import Membership, Person, Responsibility, Role, Routine, Unit

# The counts docs/benchmarks.md and the command's help promise for size S.
SIZE_S = {
    "units": 6,
    "people": 15,
    "users": 15,
    "memberships": 15,
    "leaders": 6,
    "responsibilities": 6,
    "routines": 6,
}


def generate(size: str = "S", **options) -> str:
    out = StringIO()
    call_command("demo_scale", size=size, force=True, stdout=out, verbosity=0, **options)
    return out.getvalue()


@pytest.fixture
def scale_s(db) -> Municipality:
    generate("S")
    return Municipality.objects.get(code=SIZES["S"].municipality_code)


def test_size_s_generates_the_documented_counts(scale_s):
    units = Unit.objects.filter(municipality=scale_s)
    counts = {
        "units": units.count(),
        "people": Person.objects.filter(municipality=scale_s).count(),
        "users": User.objects.filter(username__startswith="scale-s-").count(),
        "memberships": Membership.objects.filter(unit__in=units).count(),
        "leaders": Membership.objects.filter(unit__in=units, role=Role.LEADER).count(),
        "responsibilities": Responsibility.objects.filter(unit__in=units).count(),
        "routines": Routine.objects.filter(unit__in=units).count(),
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

    assert events.count() == 1
    event = events.get()
    assert event.action == AUDIT_ACTION
    assert event.target == scale_s
    assert event.payload["counts"]["people"] == 15
    assert "scale-s-" not in str(event.payload)


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


def test_the_sizes_are_the_documented_ones():
    assert expected_counts("M")["units"] == 307 and expected_counts("M")["people"] == 3000
    assert expected_counts("L")["units"] == 1549 and expected_counts("L")["people"] == 40000
