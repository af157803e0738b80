"""Min sida shows my improvements under way, what is due first, in one query however many there are."""

import datetime

import pytest
import time_machine

from brobygget.improvement import services
from brobygget.improvement.models import Deviation, Recognition, Stage
from brobygget.improvement.my_page import MY_IMPROVEMENTS_LIMIT, my_improvements
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, PersonFactory
from tests.improvement.conftest import improvement_input

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 10)


@time_machine.travel(datetime.datetime(2027, 3, 10, 9, tzinfo=datetime.UTC), tick=False)
def test_my_improvements_are_mine_as_owner_or_involved_under_way_due_first(
    org, login_client, django_assert_num_queries
):
    user = org["member"].user

    def raise_(title, owner, due=None, involved=()):
        data = improvement_input(owner, title=title, due_date=due, involved_ids=[p.pk for p in involved])
        return services.improvement_raise(actor=user, unit=org["team"], data=data)

    raise_("Senare", org["member"], TODAY + datetime.timedelta(days=30))
    raise_("Försenad", org["member"], TODAY - datetime.timedelta(days=1))
    raise_("Utan datum", org["member"])
    raise_("Med i den", org["leader"], TODAY + datetime.timedelta(days=5), involved=[org["member"]])
    raise_("Inte min", org["leader"])
    done = raise_("Klar", org["member"], TODAY)
    for stage, answer in ((Stage.PLAN, ""), (Stage.DO, "a"), (Stage.STUDY, "b"), (Stage.ACT, "c")):
        done = services.improvement_move(actor=user, improvement=done, to=stage, answer=answer)
    services.improvement_finish(actor=user, improvement=done, outcome="adopted")

    with django_assert_num_queries(1):
        items, more = my_improvements(person_id=org["member"].pk, today=TODAY)

    assert [item.title for item in items] == ["Försenad", "Med i den", "Senare", "Utan datum"]
    assert [item.overdue for item in items] == [True, False, False, False]
    assert not more
    html = login_client(org["member"]).get("/min-sida/").content.decode()
    assert "Mina förbättringar" in html and "Försenad" in html and "Inte min" not in html and ">Klar<" not in html


def test_at_most_a_screenful_and_a_word_that_there_are_more(org, django_assert_num_queries):
    user = org["member"].user
    for index in range(MY_IMPROVEMENTS_LIMIT + 2):
        services.improvement_raise(
            actor=user, unit=org["team"], data=improvement_input(org["member"], title=f"F{index}")
        )

    with django_assert_num_queries(1):
        items, more = my_improvements(person_id=org["member"].pk, today=TODAY)

    assert len(items) == MY_IMPROVEMENTS_LIMIT and more


def _viewer(person):
    from brobygget.organisation.workspace import Viewer

    led = tuple(m.unit_id for m in person.unit_roles if m.role == Role.LEADER)
    return Viewer(person, TODAY, led)


def test_min_sida_reads_the_deviations_waiting_and_the_thanks_as_their_own_reads_do(org, street):
    """The sections' prepared reads give the rows of deviations.deviations_waiting and recognitions.my_recognitions
    (the page shows where, unit; text, giver, date, what about, shown), the limit and the word that there are more."""
    from brobygget.improvement import deviations, my_page, recognitions

    chief = PersonFactory(municipality=org["team"].municipality, first_name="Frida", last_name="Chef")
    MembershipFactory(person=chief, unit=org["admin_unit"], role=Role.LEADER)
    chief = Person.objects.with_roles().get(pk=chief.pk)
    for index in range(my_page.DEVIATIONS_LIMIT + 2):  # one is closed below
        unit, reporter = (org["team"], org["member"]) if index % 3 else (street["unit"], street["person"])
        deviations.deviation_report(
            actor=reporter.user, unit=unit, what_happened="Det läckte.", where=f"Förråd {index} 50% 'å'"
        )
    first = Deviation.objects.filter(unit=org["team"]).order_by("pk").first()
    deviations.deviation_close(actor=org["leader"].user, deviation=first, reason="Löst.")  # waits no more
    for person in (org["leader"], chief, org["member"], org["registrar"]):
        expected = deviations.deviations_waiting(person=person, limit=deviations.MY_PAGE_LIMIT)
        got = my_page.deviations_waiting(viewer=_viewer(person))
        if not deviations.led_paths(person):
            assert got is None
            continue
        assert got is not None
        assert [(row.pk, row.where, row.unit) for row in got.rows] == [
            (row.pk, row.where, row.unit) for row in expected.rows
        ]
        assert got.more == expected.more
    assert my_page.deviations_waiting(viewer=_viewer(chief)).more  # type: ignore[union-attr]

    thanked = 0
    for index, (giver, person) in enumerate([(org["leader"], org["member"]), (street["person"], org["member"])] * 6):
        recognitions.recognition_give(
            actor=giver.user, unit=org["team"], person=person, text=f"Tack {index // 2}! 50% 'å'"
        )
        thanked += 1
    hidden = Recognition.objects.filter(person=org["member"]).order_by("pk").first()
    recognitions.recognition_shown_set(actor=org["member"].user, recognition=hidden, shown=False)
    for person in (org["member"], org["leader"]):
        expected_thanks = recognitions.my_recognitions(person_id=person.pk)
        got_thanks = my_page.thanks_to(person_id=person.pk)
        assert [(t.pk, t.text, t.given_by, t.about, t.given_on, t.shown) for t in got_thanks] == [
            (t.pk, t.text, t.given_by, t.about, t.given_on, t.shown) for t in expected_thanks
        ]
    assert len(my_page.thanks_to(person_id=org["member"].pk)) == my_page.THANKS_LIMIT < thanked
