"""Follow-ups: the spans of each rhythm, the service (a status, an analysis for yellow and red, once per span, by whom),
the snapshot that later edits never change, the form, Min sida (due for the responsible, overdue for the leader
above) and the reminder mails, each with the clock fixed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from brobygget.core.models import AuditEvent
from brobygget.goals import followups, services
from brobygget.goals.followups import FollowUpInput, follow_up_submit, span_ends
from brobygget.goals.models import FollowUp, FollowUpReminder, Goal, Indicator, Level, Measurement, Rhythm
from brobygget.goals.reminders import send_follow_up_reminders
from tests.goals.conftest import goal_input, sv

pytestmark = pytest.mark.django_db

D = datetime.date
S = FollowUp.Status


def at(year: int, month: int, day: int):
    return time_machine.travel(datetime.datetime(year, month, day, 7, tzinfo=datetime.UTC), tick=False)


def rhythm(goal: Goal, value: str) -> Goal:
    Goal.objects.filter(pk=goal.pk).update(rhythm=value)
    goal.refresh_from_db()
    return goal


def submit(goal: Goal, by, day: D, status: str = S.GREEN, analysis: str = "") -> FollowUp:
    return follow_up_submit(actor=by.user, goal=goal, covers_until=day, data=FollowUpInput(status, analysis))


def test_the_spans_of_each_rhythm_end_on_the_calendars_ends_within_the_period():
    start, end = D(2027, 1, 1), D(2027, 12, 31)
    assert span_ends(Rhythm.YEARLY, start, end) == [D(2027, 12, 31)]
    assert span_ends(Rhythm.TERTIAL, start, end) == [D(2027, 4, 30), D(2027, 8, 31), D(2027, 12, 31)]
    monthly = span_ends(Rhythm.MONTHLY, start, end)
    assert len(monthly) == 12 and monthly[1] == D(2027, 2, 28)
    assert span_ends(Rhythm.YEARLY, D(2027, 1, 1), D(2030, 12, 31))[-1] == D(2030, 12, 31)
    # Open from 14 days before a span ends; overdue 14 days after.
    assert followups.open_end(Rhythm.MONTHLY, D(2027, 5, 16)) == D(2027, 4, 30)
    assert followups.open_end(Rhythm.MONTHLY, D(2027, 5, 17)) == D(2027, 5, 31)
    assert followups.overdue_end(Rhythm.TERTIAL, D(2027, 5, 15)) == D(2027, 4, 30)
    assert followups.overdue_end(Rhythm.TERTIAL, D(2027, 5, 14)) == D(2026, 12, 31)
    assert not followups.is_overdue(D(2027, 4, 30), D(2027, 5, 14))
    assert followups.is_overdue(D(2027, 4, 30), D(2027, 5, 15))


def test_yellow_and_red_need_an_analysis_and_nothing_is_written_without_one(goals_org, tree):
    park = rhythm(tree["park"], Rhythm.TERTIAL)
    with at(2027, 5, 3):
        for status in (S.YELLOW, S.RED):
            with pytest.raises(ValidationError) as refused:
                submit(park, goals_org["leader"], D(2027, 4, 30), status, "  ")
            assert sv(refused.value.error_dict["analysis"][0].message).startswith("Skriv en analys när statusen är gul")
        with pytest.raises(ValidationError):
            submit(park, goals_org["leader"], D(2027, 4, 30), "purple")
        assert not FollowUp.objects.exists()
        follow_up = submit(
            park, goals_org["leader"], D(2027, 4, 30), S.RED, "Vi ser skräp. Städningen uteblev. Vi städar oftare."
        )
    assert follow_up.status == S.RED and follow_up.submitted_by == goals_org["leader"]
    assert AuditEvent.objects.filter(action="goal.followed_up", target_id=str(park.pk)).exists()


def test_a_span_is_followed_up_once_and_only_when_it_has_come(goals_org, tree):
    park = rhythm(tree["park"], Rhythm.TERTIAL)
    with at(2027, 5, 3):
        submit(park, goals_org["leader"], D(2027, 4, 30))
        with pytest.raises(ValidationError) as twice:
            submit(park, goals_org["leader"], D(2027, 4, 30), S.DONE)
        assert sv(twice.value.error_dict["covers_until"][0].message).startswith("Den tiden är redan uppföljd")
        with pytest.raises(ValidationError):
            submit(park, goals_org["leader"], D(2027, 8, 31))  # not yet
        with pytest.raises(ValidationError):
            submit(park, goals_org["leader"], D(2027, 5, 31))  # not a span of a tertial
    assert FollowUp.objects.get().status == S.GREEN


def test_the_responsible_person_and_leaders_above_follow_up_others_may_not(goals_org, tree, make_goal):
    activity = make_goal(
        level=Level.ACTIVITY, title="Vattna rabatterna", parent_id=tree["park"].pk, responsible=goals_org["member"]
    )
    with at(2027, 12, 20):
        submit(activity, goals_org["member"], D(2027, 12, 31))  # responsible, not a leader
        with pytest.raises(PermissionDenied):
            submit(tree["park"], goals_org["member"], D(2027, 12, 31))
        with pytest.raises(PermissionDenied):
            submit(tree["park"], goals_org["street_leader"], D(2027, 12, 31))
        submit(tree["park"], goals_org["chief"], D(2027, 12, 31))  # the leader above


def test_the_snapshot_is_never_changed_by_later_edits_of_the_goal_or_its_indicators(goals_org, tree, login_client):
    park, leader = tree["park"], goals_org["leader"]
    indicator = Indicator.objects.create(
        municipality=park.municipality, goal=park, name="Nöjda besökare", unit_of_measure="%", owner=leader,
        green_from=Decimal(80), red_from=Decimal(60),
    )  # fmt: skip
    Measurement.objects.create(
        indicator=indicator,
        year=2027,
        value=Decimal("72.5"),
        source="manual",
        recorded_at=datetime.datetime(2027, 11, 1, tzinfo=datetime.UTC),
    )
    with at(2027, 12, 20):
        follow_up = submit(park, leader, D(2027, 12, 31), S.YELLOW, "Besökarna saknar bänkar. Vi ställer ut fler.")
        client = login_client(leader)
    before = dict(follow_up.snapshot)
    assert before["goal"]["title"] == "Rena lekplatser"
    assert before["indicators"][0]["latest"] == "72.5" and before["indicators"][0]["colour"] == "yellow"
    # Later: the goal is renamed, the indicator renamed and its value corrected.
    services.goal_update(
        actor=leader.user, goal=park, data=goal_input(leader, title="Trygga lekplatser", parent_id=park.parent_id)
    )
    Indicator.objects.filter(pk=indicator.pk).update(name="Andel nöjda")
    Measurement.objects.filter(indicator=indicator).update(value=Decimal(90))
    follow_up.refresh_from_db()
    assert follow_up.snapshot == before
    with at(2027, 12, 20):
        html = client.get(reverse("goals:follow_up_detail", args=[follow_up.pk])).content.decode()
    assert "Rena lekplatser" in html and "Nöjda besökare" in html and "72,5" in html
    assert "Andel nöjda" not in html


def test_the_form_refuses_in_swedish_keeps_the_text_and_saves(goals_org, tree, login_client):
    park = rhythm(tree["park"], Rhythm.MONTHLY)
    url = reverse("goals:follow_up", args=[park.pk])
    with at(2027, 5, 20):
        client = login_client(goals_org["leader"])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'value="2027-05-31"' in html and 'value="2027-04-30"' in html and 'value="2027-06-30"' not in html
        refused = client.post(url, {"covers_until": "2027-04-30", "status": "red", "analysis": ""})
        assert refused.status_code == 200  # shown again with the error, as every form
        assert "Skriv en analys när statusen är gul eller röd" in refused.content.decode()
        kept = client.post(
            url, {"covers_until": "2027-04-30", "status": "yellow", "analysis": "Vi ser <b>färre</b> besök"}
        )
        assert kept.status_code == 302
        detail = client.get(reverse("goals:detail", args=[park.pk])).content.decode()
    assert "Vi ser &lt;b&gt;färre&lt;/b&gt; besök" in detail
    assert "Följ upp målet" in detail
    assert FollowUp.objects.get().covers_until == D(2027, 4, 30)


def test_others_may_not_open_the_form_and_another_units_goal_is_404(goals_org, tree, login_client):
    assert login_client(goals_org["member"]).get(reverse("goals:follow_up", args=[tree["park"].pk])).status_code == 403
    assert (
        login_client(goals_org["street_member"]).get(reverse("goals:follow_up", args=[tree["park"].pk])).status_code
        == 404
    )


def test_min_sida_shows_the_responsible_what_is_due_and_the_leader_above_what_is_overdue(
    goals_org, tree, make_goal, login_client
):
    activity = make_goal(
        level=Level.ACTIVITY, title="Vattna rabatterna", parent_id=tree["park"].pk, responsible=goals_org["member"]
    )
    rhythm(activity, Rhythm.TERTIAL)
    with at(2027, 4, 20):  # the span ending 30 April is open
        html = login_client(goals_org["member"]).get("/min-sida/").content.decode()
        assert "Mål att följa upp" in html and "Vattna rabatterna" in html and "Försenad" not in html
        assert "Vattna rabatterna" not in login_client(goals_org["leader"]).get("/min-sida/").content.decode()
    with at(2027, 5, 20):  # overdue: it stands out for the member, and for the leader of the park team above
        assert "Försenad" in login_client(goals_org["member"]).get("/min-sida/").content.decode()
        leader = login_client(goals_org["leader"]).get("/min-sida/").content.decode()
        assert "Försenade uppföljningar i dina enheter" in leader and "Vattna rabatterna" in leader
        submit(activity, goals_org["member"], D(2027, 4, 30))
        assert "Vattna rabatterna" not in login_client(goals_org["leader"]).get("/min-sida/").content.decode()


def test_min_sida_asks_the_same_queries_however_many_goals_are_due(
    goals_org, tree, make_goal, login_client, assert_max_queries
):
    with at(2027, 12, 20):
        client = login_client(goals_org["leader"])
        client.get("/min-sida/")
        with assert_max_queries(40) as small:
            client.get("/min-sida/")
        for index in range(8):
            make_goal(
                level=Level.ACTIVITY,
                title=f"Aktivitet {index}",
                parent_id=tree["park"].pk,
                responsible=goals_org["member"],
            )
        with assert_max_queries(len(small)):
            client.get("/min-sida/")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    mail.outbox = []


def remind(capture) -> int:
    with capture(execute=True):
        return send_follow_up_reminders.call()


def test_reminders_go_out_a_week_before_and_when_overdue_once_each(
    goals_org, tree, immediate_tasks, django_capture_on_commit_callbacks
):
    park = rhythm(tree["park"], Rhythm.TERTIAL)
    others = Goal.objects.exclude(pk=park.pk)
    others.update(archived=True)  # only the park goal is followed up here
    with at(2027, 4, 22):
        assert remind(django_capture_on_commit_callbacks) == 0
    with at(2027, 4, 23):  # 7 days before 30 April
        assert remind(django_capture_on_commit_callbacks) == 1
        assert remind(django_capture_on_commit_callbacks) == 0  # once
    [message] = mail.outbox
    assert message.to == [goals_org["leader"].email]
    assert message.subject == "Påminnelse: mål att följa upp (1)"
    assert "Rena lekplatser – följ upp tiden till och med 30 " in message.body
    assert reverse("goals:follow_up", args=[park.pk]) in message.body
    with at(2027, 5, 15):
        assert remind(django_capture_on_commit_callbacks) == 1
    assert "är försenad" in mail.outbox[1].body
    assert set(FollowUpReminder.objects.values_list("kind", flat=True)) == {"due", "overdue"}


def test_no_reminder_for_a_span_followed_up(goals_org, tree, immediate_tasks, django_capture_on_commit_callbacks):
    park = rhythm(tree["park"], Rhythm.TERTIAL)
    Goal.objects.exclude(pk=park.pk).update(archived=True)
    with at(2027, 4, 22):
        submit(park, goals_org["leader"], D(2027, 4, 30))
    with at(2027, 4, 25):
        assert remind(django_capture_on_commit_callbacks) == 0
    with at(2027, 5, 20):
        assert remind(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_rhythm_is_chosen_on_the_goals_form_and_kept_in_its_history(goals_org, tree, login_client):
    park = tree["park"]
    leader = goals_org["leader"]
    services.goal_update(
        actor=leader.user,
        goal=park,
        data=goal_input(leader, title=park.title, parent_id=park.parent_id, rhythm=Rhythm.MONTHLY),
    )
    park.refresh_from_db()
    assert park.rhythm == Rhythm.MONTHLY
    html = login_client(leader).get(reverse("goals:detail", args=[park.pk])).content.decode()
    assert "Uppföljningsrytm" in html and "Varje år" in html and "Varje månad" in html
    with pytest.raises(ValidationError):
        services.goal_update(
            actor=leader.user,
            goal=park,
            data=goal_input(leader, title=park.title, parent_id=park.parent_id, rhythm="weekly"),
        )


def test_the_snapshot_writes_round_numbers_as_plain_decimals():
    """Decimal("60").normalize() is 6E+1: the snapshot (and the report and "Våra mål" that read it) writes "60"."""
    assert followups._number(Decimal("60.0000")) == "60"
    assert followups._number(Decimal("12.5000")) == "12.5"
    assert followups._number(Decimal("0.0000")) == "0"
    assert followups._number(None) is None
