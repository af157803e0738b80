"""Answer templates never overwrite: "Insert the template" without JavaScript adds the template after the typed
text (a server round trip that saves and sends nothing); the page carries the texts for the script."""

import html as html_lib
import re

import pytest

from brobygget.dialog.models import AnswerTemplate, CaseEntry
from brobygget.dialog.views_staff import ERROR_TEMPLATE_UNKNOWN, with_template
from tests.dialog.conftest import sv
from tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(make_case):
    return make_case(contact_email="ada@example.se")


@pytest.fixture
def template(case):
    return AnswerTemplate.objects.create(
        municipality=case.municipality, title="Tack för felanmälan", text="Vi åtgärdar felet inom några dagar."
    )


def answer_text(response) -> str:
    found = re.search(r'<textarea name="answer-text"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert found is not None
    return html_lib.unescape(found.group(1)).removeprefix("\n")


def insert(client, case, **data):
    return client.post(f"/arenden/{case.pk}/svara/", {"answer-insert": "on", **data})


def test_inserting_a_template_keeps_the_typed_text_and_adds_the_template(org, case, template, login_client):
    client = login_client(org["member"])

    response = insert(client, case, **{"answer-text": "Hej Ada!\nTack för att du hörde av dig.", "mall": template.pk})

    assert response.status_code == 200
    assert answer_text(response) == "Hej Ada!\nTack för att du hörde av dig.\n\nVi åtgärdar felet inom några dagar."
    assert not case.entries.filter(kind=CaseEntry.Kind.ANSWER).exists()  # nothing sent or saved
    assert "autofocus" in re.search(r"<textarea[^>]*>", response.content.decode()).group(0)


def test_inserting_twice_keeps_both_and_an_empty_answer_gets_the_template_alone(org, case, template, login_client):
    client = login_client(org["member"])

    first = answer_text(insert(client, case, **{"answer-text": "", "mall": template.pk}))
    second = answer_text(insert(client, case, **{"answer-text": first + "\nMvh Maja", "mall": template.pk}))

    assert first == template.text
    assert second == f"{template.text}\nMvh Maja\n\n{template.text}"


def test_a_template_of_another_municipality_or_none_keeps_the_text_and_explains(org, case, template, login_client):
    foreign = AnswerTemplate.objects.create(
        municipality=MunicipalityFactory(code="9999"), title="Främmande", text="Från en annan kommun."
    )
    client = login_client(org["member"])

    for chosen in (foreign.pk, "", "x"):
        response = insert(client, case, **{"answer-text": "Mitt svar.", "mall": chosen})
        assert answer_text(response) == "Mitt svar."
        assert sv(ERROR_TEMPLATE_UNKNOWN) in response.content.decode()
        assert "Från en annan kommun." not in response.content.decode()


def test_the_page_carries_each_templates_text_for_the_script_and_the_answer_form_holds_the_chooser(
    org, case, template, login_client
):
    html = login_client(org["member"]).get(f"/arenden/{case.pk}/").content.decode()

    form = re.search(r'<form method="post" action="/arenden/\d+/svara/".*?</form>', html, re.S)
    assert form is not None
    assert 'name="mall"' in form.group(0) and 'name="answer-insert"' in form.group(0)
    assert f'<template data-template="{template.pk}">Vi åtgärdar felet inom några dagar.</template>' in form.group(0)
    assert "dialog/staff" in html and ".js" in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("", "T"), ("Hej", "Hej\n\nT"), ("Hej\n\n\n", "Hej\n\nT"), ("  ", "T")],
)
def test_the_template_goes_after_the_typed_text_with_a_blank_line(typed, expected):
    assert with_template(typed, "T") == expected
