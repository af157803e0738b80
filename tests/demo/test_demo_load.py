"""manage.py demo_load: the demo municipality, its logins, and its refusals."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import override_settings

from brobygget.core.models import AuditEvent, Municipality, PrincipleTag
from brobygget.demo.management.commands.demo_load import ERROR_PRODUCTION
from brobygget.demo.municipality import DEMO_PASSWORD
from brobygget.improvement.models import Deviation, Improvement, Learning, Recognition
from brobygget.organisation.models import Membership, Role, Unit

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=True)
def test_demo_load_creates_a_municipality_where_every_unit_has_one_leader():
    out = StringIO()

    call_command("demo_load", stdout=out)

    assert Municipality.objects.get().name == "Sjöbacka kommun"
    units = Unit.objects.all()
    assert units.count() == 20
    for unit in units:
        assert Membership.objects.filter(unit=unit, role=Role.LEADER).count() == 1, unit
    assert PrincipleTag.objects.exists()
    for login in ("admin", "registrator", "chef", "medarbetare"):
        assert f"{login} / {DEMO_PASSWORD}" in out.getvalue()
        assert authenticate(username=login, password=DEMO_PASSWORD) is not None


@override_settings(DEBUG=True)
def test_demo_load_if_empty_leaves_an_existing_database_alone():
    call_command("demo_load", stdout=StringIO())
    out = StringIO()

    call_command("demo_load", "--if-empty", stdout=out)

    assert Municipality.objects.count() == 1
    assert "already" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo_load", stdout=StringIO())


@override_settings(DEBUG=False, DEMO=False)
def test_demo_load_refuses_a_production_database_unless_forced():
    for arguments in ([], ["--if-empty"]):
        with pytest.raises(CommandError) as refusal:
            call_command("demo_load", *arguments, stdout=StringIO())
        assert str(refusal.value) == ERROR_PRODUCTION
    assert not Municipality.objects.exists()

    call_command("demo_load", "--force", stdout=StringIO())
    assert Municipality.objects.count() == 1


@override_settings(DEBUG=False, DEMO=True)
def test_demo_load_loads_with_debug_off_when_the_installation_is_a_demo():
    call_command("demo_load", "--if-empty", stdout=StringIO())

    assert Municipality.objects.get().name == "Sjöbacka kommun"


@override_settings(DEBUG=True)
def test_demo_load_says_what_it_made_and_does_not_load_the_work_twice():
    out = StringIO()
    call_command("demo_load", stdout=out)
    assert "18 improvements, 6 deviations, 6 learnings" in out.getvalue()
    models = (Improvement, Deviation, Learning, Recognition, AuditEvent)
    made = [model.objects.count() for model in models]

    call_command("demo_load", "--if-empty", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("demo_load", stdout=StringIO())

    assert [model.objects.count() for model in models] == made
