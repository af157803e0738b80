"""An improvement raised from a resident's case: the link made through the forms, kept with the improvement, shown
on both pages, and scoped as cases and boards are."""

import re

import pytest

from brobygget.core.models import AuditEvent
from brobygget.dialog.services import case_assign
from brobygget.improvement.models import Improvement, ImprovementCase
from tests.factories import CategoryFactory, MunicipalityFactory, UnitFactory, submit_case
from tests.improvement.conftest import sv

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Trasiga gungor lagas snabbare",
    "problem": "Invånare hör av sig flera gånger om samma trasiga gunga.",
    "value_for_resident": "Gungan blir lagad innan barnen slutar gå dit.",
    "idea": "En veckovis rond bland lekplatserna.",
    "measure": "Dagar från felanmälan till lagad gunga.",
    "baseline": "ungefär 20 dagar",
}


@pytest.fixture
def case(org):
    category = CategoryFactory(municipality=org["team"].municipality, unit=org["team"], name="Parker och lekplatser")
    return submit_case(category, text="Gungan i Norrbyparken har en trasig kedja.")[0]


def new_url(unit, *case_ids) -> str:
    return f"/forbattringar/enheter/{unit.pk}/ny/?" + "&".join(f"arende={pk}" for pk in case_ids)


def test_an_improvement_raised_from_a_case_is_linked_and_shown_on_both_pages(org, case, login_client):
    client = login_client(org["member"])
    case_page = client.get(f"/arenden/{case.pk}/").content.decode()
    link = re.search(r'<a href="([^"]+)">Starta en förbättring från det här ärendet</a>', case_page)
    assert link and link.group(1).replace("&amp;", "&") == new_url(org["team"], case.pk)
    assert "Inget förbättringsarbete har startats från ärendet än." in case_page

    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert case.number in form and f'<input type="hidden" name="arende" value="{case.pk}">' in form
    response = client.post(
        f"/forbattringar/enheter/{org['team'].pk}/ny/", {**FORM, "owner": org["member"].pk, "arende": case.pk}
    )

    improvement = Improvement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/forbattringar/{improvement.pk}/"
    assert list(ImprovementCase.objects.values_list("improvement_id", "case_id")) == [(improvement.pk, case.pk)]
    event = AuditEvent.objects.get(action="improvement.raised")
    assert event.payload["cases"] == [case.pk]
    detail = client.get(response["Location"]).content.decode()
    assert f'<a href="/arenden/{case.pk}/">{case.number}</a>' in detail
    case_page = client.get(f"/arenden/{case.pk}/").content.decode()
    assert (
        f'<a href="/forbattringar/{improvement.pk}/">Trasiga gungor lagas snabbare</a> – Idé, Parkenheten' in case_page
    )


def test_a_refused_form_keeps_the_case_and_what_was_typed(org, case, login_client):
    client = login_client(org["member"])

    response = client.post(
        f"/forbattringar/enheter/{org['team'].pk}/ny/",
        {**FORM, "title": "", "owner": org["member"].pk, "arende": case.pk},
    )

    html = response.content.decode()
    assert response.status_code == 200  # shown again (400 only for control characters: core.text.form_status)
    assert sv("Give the improvement a short title.") in html
    assert f'<input type="hidden" name="arende" value="{case.pk}">' in html
    assert FORM["problem"] in html
    assert not Improvement.objects.exists() and not ImprovementCase.objects.exists()


@pytest.mark.parametrize("which", ["other_municipality", "not_a_number", "missing"])
def test_a_case_the_person_may_not_see_is_not_found(org, case, login_client, which):
    if which == "other_municipality":
        elsewhere = UnitFactory(municipality=MunicipalityFactory(code="9997"), name="Annan park")
        hidden = submit_case(CategoryFactory(municipality=elsewhere.municipality, unit=elsewhere))[0].pk
    else:
        hidden = {"not_a_number": "1x", "missing": 999999}[which]
    client = login_client(org["member"])

    assert client.get(new_url(org["team"], hidden)).status_code == 404
    response = client.post(
        f"/forbattringar/enheter/{org['team'].pk}/ny/", {**FORM, "owner": org["member"].pk, "arende": hidden}
    )
    assert response.status_code == 404
    assert not Improvement.objects.exists()


def test_the_case_page_names_an_improvement_of_a_board_the_viewer_may_not_open_without_linking_it(
    org, case, login_client, street
):
    client = login_client(org["member"])
    client.post(new_url(org["team"]), {**FORM, "owner": org["member"].pk, "arende": case.pk})
    improvement = Improvement.objects.get()
    # The case goes to the street team, whose people see it but not the park team's board.
    case_assign(actor=org["registrar"].user, case=case, unit=street["unit"])

    html = login_client(street["person"]).get(f"/arenden/{case.pk}/").content.decode()

    assert "<li>Trasiga gungor lagas snabbare – Idé, Parkenheten</li>" in html
    assert f"/forbattringar/{improvement.pk}/" not in html
    assert login_client(street["person"]).get(f"/forbattringar/{improvement.pk}/").status_code == 404


def test_the_case_page_asks_the_same_number_of_queries_however_many_improvements_it_has(
    org, case, login_client, assert_max_queries
):
    client = login_client(org["member"])
    client.post(new_url(org["team"]), {**FORM, "owner": org["member"].pk, "arende": case.pk})
    client.get(f"/arenden/{case.pk}/")
    with assert_max_queries(16) as one:
        client.get(f"/arenden/{case.pk}/")
    queries = len(one)  # read now: every request empties the connection's query log
    for index in range(5):
        client.post(
            new_url(org["team"]),
            {**FORM, "title": f"Förbättring {index}", "owner": org["member"].pk, "arende": case.pk},
        )

    with assert_max_queries(queries):
        html = client.get(f"/arenden/{case.pk}/").content.decode()
    assert "Förbättring 4" in html
    assert sv("Start an improvement from this case") in html
