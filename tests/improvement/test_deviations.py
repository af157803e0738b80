"""Deviations: reported by anyone on staff with a short form (now and one's own unit by default), triaged by a
leader of the unit or above into a learning, an improvement, or closed with a reason; each step recorded and
audited; nobody else sees or triages them; Min sida lists what waits for the leader."""

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from brobygget.core.models import AuditEvent
from brobygget.improvement import deviations
from brobygget.improvement.forms_learning import ERROR_DATETIME_INVALID
from brobygget.improvement.learnings import LearningInput
from brobygget.improvement.models import Deviation, DeviationState, Learning
from brobygget.organisation.models import Person, Role
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import improvement_input, sv

pytestmark = pytest.mark.django_db

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
MONDAY = datetime.datetime(2026, 3, 2, 10, 15, tzinfo=STOCKHOLM)


def report(person: Person, unit=None, **fields) -> Deviation:
    values: dict[str, Any] = {
        "what_happened": "Bilen var inte laddad när passet började.",
        "where": "Hemtjänstens garage",
    }
    values.update(fields)
    assert person.user is not None
    return deviations.deviation_report(actor=person.user, unit=unit or person.unit_roles[0].unit, **values)


def learning_input(**fields) -> LearningInput:
    values: dict[str, Any] = {
        "title": "Laddning av bilarna",
        "what_happened": "Bilen var inte laddad.",
        "what_we_expected": "Att kvällspasset satte den på laddning.",
        "what_we_learned": "Ingen rutin sa vem som gör det.",
        "what_we_change": "Sista som parkerar laddar, och det står på en skylt.",
    }
    values.update(fields)
    return LearningInput(**values)


def events(deviation: Deviation) -> list[tuple[str, object]]:
    return list(
        AuditEvent.objects.filter(target_id=str(deviation.pk), action__startswith="deviation.")
        .order_by("id")
        .values_list("action", "actor_id")
    )


def test_the_short_form_defaults_to_now_and_ones_own_unit(org, login_client):
    client = login_client(org["member"])
    with time_machine.travel(MONDAY, tick=False):
        page = client.get("/forbattringar/avvikelser/ny/").content.decode()
        response = client.post(
            "/forbattringar/avvikelser/ny/",
            {
                "what_happened": "Bilen var inte laddad.",
                "where": "Garaget",
                "happened_at": "2026-03-02T10:15",
                "unit": str(org["team"].pk),
            },
        )

    assert 'value="2026-03-02T10:15"' in page
    assert f'<option value="{org["team"].pk}" selected>Parkenheten</option>' in page
    assert response.status_code == 302
    deviation = Deviation.objects.get()
    assert deviation.state == DeviationState.NEW and deviation.reported_by == org["member"]
    assert deviation.unit == org["team"] and deviation.happened_at == MONDAY
    assert events(deviation) == [("deviation.reported", org["member"].user_id)]


def test_a_refused_report_keeps_what_was_typed_and_says_why_in_swedish(org, login_client):
    client = login_client(org["member"])

    response = client.post(
        "/forbattringar/avvikelser/ny/",
        {"what_happened": "Skylten saknades.", "where": "", "happened_at": "igår", "unit": str(org["team"].pk)},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Skylten saknades." in html
    assert sv(deviations.ERROR_WHERE_EMPTY) in html and sv(ERROR_DATETIME_INVALID) in html
    assert not Deviation.objects.exists()


def test_a_time_in_the_future_is_refused(org):
    with pytest.raises(ValidationError) as error:
        report(org["member"], happened_at=datetime.datetime(2999, 1, 1, tzinfo=STOCKHOLM))
    assert error.value.message_dict["happened_at"] == [deviations.ERROR_IN_FUTURE]


def test_a_unit_one_does_not_see_is_refused(org, street):
    with pytest.raises(ValidationError):
        report(org["member"], unit=street["unit"])


def test_the_leader_makes_it_a_learning_filled_in_from_it(org, login_client):
    deviation = report(org["member"])
    client = login_client(org["leader"])

    form = client.get(f"/forbattringar/avvikelser/{deviation.pk}/lardom/").content.decode()
    response = client.post(
        f"/forbattringar/avvikelser/{deviation.pk}/lardom/",
        {
            "title": "Laddning",
            "what_happened": "Bilen var inte laddad.",
            "what_we_expected": "Laddad bil.",
            "what_we_learned": "Ingen rutin.",
            "what_we_change": "En skylt.",
            "unit": str(org["team"].pk),
        },
    )

    assert "Bilen var inte laddad när passet började." in form
    learning = Learning.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/forbattringar/lardomar/{learning.pk}/"
    deviation.refresh_from_db()
    assert deviation.state == DeviationState.LEARNING and deviation.triaged_by == org["leader"]
    assert deviation.triaged_at is not None and learning.deviation == deviation
    assert learning.author == org["leader"]
    assert events(deviation)[-1] == ("deviation.triaged", org["leader"].user_id)


def test_the_leader_makes_it_an_improvement_on_the_board(org):
    deviation = report(org["member"])
    assert org["leader"].user is not None

    improvement = deviations.deviation_to_improvement(
        actor=org["leader"].user, deviation=deviation, data=improvement_input(org["member"])
    )

    deviation.refresh_from_db()
    assert deviation.state == DeviationState.IMPROVEMENT and deviation.improvement == improvement
    assert improvement.unit == org["team"]
    assert AuditEvent.objects.filter(action="improvement.raised", target_id=str(improvement.pk)).exists()
    event = AuditEvent.objects.get(action="deviation.triaged")
    assert event.payload["state"] == "improvement" and event.payload["improvement"] == improvement.pk


def test_closing_needs_a_reason_and_keeps_it(org, login_client):
    deviation = report(org["member"])
    client = login_client(org["leader"])

    refused = client.post(f"/forbattringar/avvikelser/{deviation.pk}/stang/", {"reason": "  "})
    closed = client.post(f"/forbattringar/avvikelser/{deviation.pk}/stang/", {"reason": "Redan åtgärdat av fastighet."})

    assert refused.status_code == 200 and sv(deviations.ERROR_REASON_EMPTY) in refused.content.decode()
    assert closed.status_code == 302
    deviation.refresh_from_db()
    assert deviation.state == DeviationState.CLOSED and deviation.close_reason == "Redan åtgärdat av fastighet."
    assert deviation.triaged_by == org["leader"]
    page = login_client(org["member"]).get(f"/forbattringar/avvikelser/{deviation.pk}/").content.decode()
    assert "Redan åtgärdat av fastighet." in page


def test_a_triaged_deviation_is_not_triaged_again(org):
    deviation = report(org["member"])
    assert org["leader"].user is not None
    deviations.deviation_close(actor=org["leader"].user, deviation=deviation, reason="Dubblett.")

    with pytest.raises(ValidationError) as error:
        deviations.deviation_to_learning(actor=org["leader"].user, deviation=deviation, data=learning_input())

    assert error.value.code == "triaged"
    assert not Learning.objects.exists()


def test_only_a_leader_of_the_unit_or_above_triages(org, street, login_client):
    deviation = report(org["member"])
    above = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=above, unit=org["admin_unit"], role=Role.LEADER)
    above = Person.objects.with_roles().get(pk=above.pk)
    street_leader = PersonFactory(municipality=org["team"].municipality)
    MembershipFactory(person=street_leader, unit=street["unit"], role=Role.LEADER)

    assert org["member"].user is not None
    with pytest.raises(PermissionDenied):
        deviations.deviation_close(actor=org["member"].user, deviation=deviation, reason="Nej.")
    for person in (street_leader, street["person"], org["registrar"]):
        assert login_client(person).get(f"/forbattringar/avvikelser/{deviation.pk}/").status_code == 404
    # The reporter sees it, without the leader's forms; they cannot reach the triage.
    own = login_client(org["member"])
    assert "Stäng avvikelsen" not in own.get(f"/forbattringar/avvikelser/{deviation.pk}/").content.decode()
    assert own.get(f"/forbattringar/avvikelser/{deviation.pk}/lardom/").status_code == 404
    assert own.post(f"/forbattringar/avvikelser/{deviation.pk}/stang/", {"reason": "x"}).status_code == 404
    # A leader above sees it and may triage it.
    assert above.user is not None
    deviations.deviation_close(actor=above.user, deviation=deviation, reason="Hanteras centralt.")


def test_another_municipality_gets_404(org, login_client):
    deviation = report(org["member"])
    other = MunicipalityFactory(name="Annanby", code="9002")
    unit = UnitFactory(municipality=other, code="Y")
    leader = PersonFactory(municipality=other)
    MembershipFactory(person=leader, unit=unit, role=Role.LEADER)

    assert login_client(leader).get(f"/forbattringar/avvikelser/{deviation.pk}/").status_code == 404


def test_the_leaders_list_and_min_sida_show_what_waits_oldest_first(org, login_client, assert_max_queries):
    with time_machine.travel(MONDAY, tick=False):
        report(org["member"], where="Förrådet")
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        report(org["member"], where="Lekplatsen")
    closed = report(org["member"], where="Parkeringen")
    assert org["leader"].user is not None
    deviations.deviation_close(actor=org["leader"].user, deviation=closed, reason="Klart.")
    client = login_client(org["leader"])

    listing = client.get("/forbattringar/avvikelser/").content.decode()
    my_page = client.get("/min-sida/").content.decode()

    assert listing.index("Förrådet") < listing.index("Lekplatsen")
    assert "Avvikelser att ta ställning till" in my_page
    assert "Förrådet" in my_page and "Lekplatsen" in my_page and "Parkeringen" not in my_page
    member_page = login_client(org["member"]).get("/min-sida/").content.decode()
    assert "Avvikelser att ta ställning till" not in member_page


def test_min_sida_asks_the_same_number_of_queries_however_many_deviations_wait(org, login_client, assert_max_queries):
    client = login_client(org["leader"])
    report(org["member"])
    client.get("/min-sida/")
    with assert_max_queries(40) as few:
        client.get("/min-sida/")
    for number in range(deviations.MY_PAGE_LIMIT + 2):
        report(org["member"], where=f"Plats {number}")
    with assert_max_queries(len(few)):
        page = client.get("/min-sida/").content.decode()
    assert "Fler avvikelser väntar" in page


def test_the_deviations_list_asks_the_same_number_of_queries_however_many(org, login_client, assert_max_queries):
    client = login_client(org["leader"])
    report(org["leader"])
    client.get("/forbattringar/avvikelser/")
    with assert_max_queries(12) as few:
        client.get("/forbattringar/avvikelser/")
    for number in range(8):
        report(org["member"], where=f"Plats {number}")
        report(org["leader"], where=f"Egen plats {number}")

    with assert_max_queries(len(few)):
        page = client.get("/forbattringar/avvikelser/").content.decode()

    assert "Plats 7" in page and "Egen plats 7" in page


def test_invisible_control_characters_are_refused_with_400_and_the_text_kept(org, login_client):
    response = login_client(org["member"]).post(
        "/forbattringar/avvikelser/ny/",
        {
            "what_happened": "Dörren\x07 gick inte att låsa.",
            "where": "Entrén",
            "happened_at": "2026-03-02T10:15",
            "unit": str(org["team"].pk),
        },
    )

    assert response.status_code == 400
    assert 'value="Entrén"' in response.content.decode()
    assert not Deviation.objects.exists()
