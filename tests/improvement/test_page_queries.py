"""An improvement's page asks the same number of queries however long its history: rounds, moves, people,
principles, the cases it came from and where it spread."""

import pytest

from brobygget.core.models import Principle
from brobygget.improvement import services
from brobygget.improvement.models import ImprovementCase, Stage
from tests.factories import CategoryFactory, MembershipFactory, PersonFactory, submit_case
from tests.improvement.conftest import improvement_input

pytestmark = pytest.mark.django_db


def test_the_improvement_page_query_count_does_not_grow_with_its_history(org, login_client, assert_max_queries):
    user = org["member"].user
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"])
    improvement = services.improvement_raise(actor=user, unit=org["team"], data=improvement_input(org["member"]))
    client = login_client(org["member"])
    url = f"/forbattringar/{improvement.pk}/"
    client.get(url)
    with assert_max_queries(30) as small:
        client.get(url)
    queries = len(small)  # read now: every request empties the connection's query log

    people = [PersonFactory(municipality=org["team"].municipality) for _ in range(4)]
    for person in people:
        MembershipFactory(person=person, unit=org["team"])
    data = improvement_input(
        org["member"],
        involved_ids=[p.pk for p in people],
        principle_ids=list(Principle.objects.values_list("pk", flat=True)[:4]),
    )
    services.improvement_update(actor=user, improvement=improvement, data=data)
    cases = [submit_case(category)[0] for _ in range(3)]
    ImprovementCase.objects.bulk_create(
        ImprovementCase(improvement=improvement, case=case, created_by=org["member"]) for case in cases
    )
    improvement = services.improvement_move(actor=user, improvement=improvement, to=Stage.PLAN)
    for _ in range(3):  # three times round the wheel: rounds and moves
        for stage, answer in ((Stage.DO, "Vi tror."), (Stage.STUDY, "Vi gjorde."), (Stage.ACT, "Det blev.")):
            improvement = services.improvement_move(actor=user, improvement=improvement, to=stage, answer=answer)
        improvement = services.improvement_move(actor=user, improvement=improvement, to=Stage.PLAN, answer="Anpassa.")

    with assert_max_queries(queries):
        html = client.get(url).content.decode()
    assert html.count("Vi gjorde.") == 3  # each round's answer is on the page
    assert all(case.number in html for case in cases)
