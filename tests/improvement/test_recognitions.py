"""Thanks ("uppmärksamma"): given to a team or one of its people, shown on the unit's page and to the person,
hidden from the organisation when the person chooses, never counted."""

import pytest
from django.core.exceptions import PermissionDenied

from brobygget.core.models import AuditEvent
from brobygget.improvement.models import Recognition
from brobygget.improvement.recognitions import (
    ERROR_PERSON_NOT_IN_UNIT,
    ERROR_TEXT_EMPTY,
    SHOWN_LIMIT,
    recognition_give,
    recognition_shown_set,
)
from tests.factories import MembershipFactory, MunicipalityFactory, PersonFactory, UnitFactory
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

THANKS = "Tack för den nya skylten vid återvinningen: samtalen om den slutade."


def give_url(unit, **query) -> str:
    return f"/forbattringar/uppmarksamma/enheter/{unit.pk}/" + (
        "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    )


def test_a_colleague_thanks_a_person_who_sees_it_on_min_sida_and_the_unit_page_shows_it(org, login_client, street):
    giver = login_client(street["person"])  # of another unit: anyone on staff may thank anyone
    form = giver.get(give_url(org["team"], person=org["member"].pk)).content.decode()
    assert f'<option value="{org["member"].pk}" selected>Mats Medarbetare</option>' in form

    response = giver.post(give_url(org["team"]), {"to": org["member"].pk, "text": THANKS})

    assert response.status_code == 302 and response["Location"] == org["team"].get_absolute_url()
    recognition = Recognition.objects.get()
    assert (recognition.person, recognition.unit, recognition.given_by) == (
        org["member"],
        org["team"],
        street["person"],
    )
    assert AuditEvent.objects.filter(action="recognition.given", target_id=recognition.pk).exists()
    unit_page = giver.get(org["team"].get_absolute_url()).content.decode()
    assert f"<strong>Mats Medarbetare</strong>: {THANKS}" in unit_page and "Från Gustav Gata" in unit_page
    my_page = login_client(org["member"]).get("/min-sida/").content.decode()
    assert "Tack till dig" in my_page and THANKS in my_page


def test_the_person_thanked_hides_it_from_the_organisation_and_still_sees_it(org, login_client):
    recognition = recognition_give(actor=org["leader"].user, unit=org["team"], person=org["member"], text=THANKS)
    member = login_client(org["member"])

    response = member.post(f"/forbattringar/uppmarksamheter/{recognition.pk}/visa/", {"visa": "nej"})

    assert response.status_code == 302 and response["Location"] == "/min-sida/"
    recognition.refresh_from_db()
    assert not recognition.shown_in_organisation
    assert THANKS not in login_client(org["leader"]).get(org["team"].get_absolute_url()).content.decode()
    assert THANKS in member.get("/min-sida/").content.decode()
    assert AuditEvent.objects.filter(action="recognition.hidden", target_id=recognition.pk).exists()
    # Nobody else chooses for them.
    assert (
        login_client(org["leader"])
        .post(f"/forbattringar/uppmarksamheter/{recognition.pk}/visa/", {"visa": "ja"})
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        recognition_shown_set(actor=org["leader"].user, recognition=recognition, shown=True)


def test_a_thank_you_to_the_whole_team_and_refusals_keep_the_text(org, login_client):
    client = login_client(org["leader"])

    empty = client.post(give_url(org["team"]), {"to": "", "text": "  "}).content.decode()
    stranger = PersonFactory(municipality=org["team"].municipality)
    wrong = client.post(give_url(org["team"]), {"to": stranger.pk, "text": THANKS}).content.decode()
    assert sv(ERROR_TEXT_EMPTY) in empty
    assert sv(ERROR_PERSON_NOT_IN_UNIT) in wrong and THANKS in wrong
    assert not Recognition.objects.exists()

    client.post(give_url(org["team"]), {"to": "", "text": THANKS})

    recognition = Recognition.objects.get()
    assert recognition.person is None and recognition.unit == org["team"]
    assert f"<strong>Parkenheten</strong>: {THANKS}" in client.get(org["team"].get_absolute_url()).content.decode()


def test_another_municipality_cannot_thank_nor_see_the_form(org, login_client):
    elsewhere = UnitFactory(municipality=MunicipalityFactory(code="9995"))
    outsider = PersonFactory(municipality=elsewhere.municipality)
    MembershipFactory(person=outsider, unit=elsewhere)

    assert login_client(outsider).get(give_url(org["team"])).status_code == 404
    assert login_client(outsider).post(give_url(org["team"]), {"to": "", "text": THANKS}).status_code == 404
    with pytest.raises(PermissionDenied):
        recognition_give(actor=outsider.user, unit=org["team"], text=THANKS)
    assert not Recognition.objects.exists()


def test_the_unit_page_shows_the_latest_few_never_a_count_in_a_fixed_number_of_queries(
    org, login_client, django_assert_max_num_queries
):
    for index in range(SHOWN_LIMIT + 3):
        recognition_give(actor=org["leader"].user, unit=org["team"], person=org["member"], text=f"Tack nummer {index}.")
    client = login_client(org["leader"])
    client.get(org["team"].get_absolute_url())

    with django_assert_max_num_queries(11):
        html = client.get(org["team"].get_absolute_url()).content.decode()

    assert html.count("Tack nummer") == SHOWN_LIMIT and f"Tack nummer {SHOWN_LIMIT + 2}." in html
    assert "Tack nummer 0." not in html
