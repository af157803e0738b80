"""Min sida shows my improvements under way, what is due first, in one query however many there are."""

import datetime

import pytest
import time_machine

from brobygget.improvement import services
from brobygget.improvement.models import Stage
from brobygget.improvement.my_page import MY_IMPROVEMENTS_LIMIT, my_improvements
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
