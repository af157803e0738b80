"""The rollup behind a team's figures (`ImprovementTally`): after every kind of write it equals what the test counts
from the improvements, rounds and moves; the migration's fill counts the same."""

import datetime
import importlib
import io
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from brobygget.improvement import deviations, services, spreading
from brobygget.improvement.models import Improvement, ImprovementTally, Outcome, StageMove
from tests.improvement.conftest import improvement_input

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def at(month: int, day: int, year: int = 2026, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def counted() -> dict[tuple[int, int], dict]:
    """The rollup's rows as the test counts them from the rows, by the definitions of `improvement.figures`."""
    rows: dict[tuple[int, int], dict] = {}

    def row(unit_id: int, moment: datetime.datetime) -> dict:
        key = (unit_id, timezone.localtime(moment).year)
        return rows.setdefault(key, {"raised": 0, "completed": 0, "completed_with_effect": 0, "stays": {}})

    for improvement in Improvement.objects.all():
        row(improvement.unit_id, improvement.created_at)["raised"] += 1
        if improvement.finished_at:
            done = row(improvement.unit_id, improvement.finished_at)
            done["completed"] += 1
            result = improvement.rounds.get(number=improvement.round_number).result
            done["completed_with_effect"] += improvement.outcome in (Outcome.ADOPTED, Outcome.ADAPTED) and bool(result)
        arrived = improvement.created_at
        for move in StageMove.objects.filter(improvement=improvement).order_by("at", "pk"):
            days = (move.at - arrived) // datetime.timedelta(days=1)
            stays = row(improvement.unit_id, move.at)["stays"].setdefault(move.from_stage, Counter())
            stays[str(days)] += 1
            arrived = move.at
    for values in rows.values():
        values["stays"] = {stage: dict(sorted(days.items())) for stage, days in values["stays"].items()}
    return rows


def tallied() -> dict[tuple[int, int], dict]:
    return {
        (row.unit_id, row.year): {
            "raised": row.raised,
            "completed": row.completed,
            "completed_with_effect": row.completed_with_effect,
            "stays": {stage: dict(sorted(days.items())) for stage, days in row.stays.items()},
        }
        for row in ImprovementTally.objects.all()
    }


def move(improvement, by, when, to, answer=""):
    with time_machine.travel(when, tick=False):
        return services.improvement_move(actor=by.user, improvement=improvement, to=to, answer=answer)


def finish(improvement, by, when, outcome, lesson=""):
    with time_machine.travel(when, tick=False):
        return services.improvement_finish(actor=by.user, improvement=improvement, outcome=outcome, lesson=lesson)


def test_the_rollup_equals_the_rows_after_every_kind_of_write(org, street):
    registrar, member = org["registrar"], org["member"]
    with time_machine.travel(at(12, 20, 2025), tick=False):
        one = services.improvement_raise(actor=registrar.user, unit=org["team"], data=improvement_input(member))
    assert tallied() == counted() and tallied()[(org["team"].pk, 2025)]["raised"] == 1

    # Through the stages over the new year, back once, on again (the stay in Do counted twice).
    one = move(
        one,
        registrar,
        at(
            12,
            31,
            2025,
            hour=23,
        ),
        "plan",
    )  # 2025 in Swedish time
    one = move(one, registrar, at(1, 2), "do", "Färre samtal.")
    one = move(one, registrar, at(1, 20), "study", "Vi skrev en sida.")
    one = move(one, registrar, at(1, 22), "do")
    one = move(one, registrar, at(2, 3), "study")
    assert tallied() == counted()
    # A second round (adapt), then adopted with a result: completed with a measured effect.
    one = move(one, registrar, at(2, 10), "act", "Hälften så många samtal.")
    one = move(one, registrar, at(2, 12), "plan", "Vi ändrar sidan.")
    for when, stage, answer in (
        (at(3, 1), "do", "Fler svar."),
        (at(3, 5), "study", "Sidan."),
        (at(3, 9), "act", "Ja."),
    ):
        one = move(one, registrar, when, stage, answer)
    one = finish(one, registrar, at(3, 10), Outcome.ADOPTED)
    assert tallied() == counted()
    assert tallied()[(org["team"].pk, 2026)]["completed_with_effect"] == 1

    # Ended without adoption: completed, without a measured effect.
    with time_machine.travel(at(4, 1), tick=False):
        two = services.improvement_raise(actor=registrar.user, unit=org["team"], data=improvement_input(member))
    for when, stage, answer in ((at(4, 2), "plan", ""), (at(4, 3), "do", "A"), (at(4, 4), "study", "B")):
        two = move(two, registrar, when, stage, answer)
    two = move(two, registrar, at(4, 8), "act", "C")
    finish(two, registrar, at(5, 1), Outcome.ABANDONED, lesson="Det gick inte.")
    assert tallied() == counted()
    assert tallied()[(org["team"].pk, 2026)]["completed"] == 2

    # Spread to another unit, and a deviation made an improvement: raised on their boards.
    with time_machine.travel(at(6, 1), tick=False):
        spreading.improvement_spread(actor=street["person"].user, original=one, unit=street["unit"])
        deviation = deviations.deviation_report(
            actor=member.user, unit=org["team"], what_happened="Bilen var inte laddad.", where="Garaget"
        )
        deviations.deviation_to_improvement(
            actor=org["leader"].user, deviation=deviation, data=improvement_input(member)
        )
    assert tallied() == counted()
    assert tallied()[(street["unit"].pk, 2026)]["raised"] == 1 and tallied()[(org["team"].pk, 2026)]["raised"] == 2

    # A refused move leaves the rollup as it was (nothing half-written).
    before = tallied()
    with pytest.raises(Exception):  # noqa: B017 (a ValidationError: Done does not move)
        move(one, registrar, at(6, 2), "act")
    assert tallied() == before

    # The migration's fill counts the same rows into the same rollup.
    fill_from_rows()
    assert tallied() == before == counted()


def fill_from_rows() -> None:
    """Run the migration's fill over the rows there are."""
    ImprovementTally.objects.all().delete()
    migration = importlib.import_module("brobygget.improvement.migrations.0010_improvement_tally")
    editor = type("Editor", (), {"connection": connection})()
    migration.tally_fill(apps, editor)


def test_the_scale_data_comes_with_the_rollup_of_its_rows(transactional_db):
    with time_machine.travel(at(6, 15), tick=True):
        call_command("demo_scale", size="S", force=True, stdout=io.StringIO(), verbosity=0)
    written = tallied()
    assert sum(row["raised"] for row in written.values()) == Improvement.objects.count()

    fill_from_rows()
    assert tallied() == written
