"""After "Ja" or "Nej" on "Blev det löst?" the chosen button shows as chosen: pressed for assistive technology, and
framed with a check mark and a word on screen, not by colour alone."""

import re

import pytest

from brobygget.dialog.services import case_answer
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


BUTTON = re.compile(r'(<button type="submit" name="resolved" value="(\w+)"[^>]*>.*?</button>)', re.S)


def buttons(client, path) -> dict[str, str]:
    return {value: tag for tag, value in BUTTON.findall(client.get(path).content.decode())}


@pytest.fixture
def answered(category, org):
    case, key = submit_case(category, contact_email="rut@example.se", wants_answer=True)
    case_answer(actor=org["member"].user, case=case, text="Vi lagar gungan på fredag.")
    return case, f"/arende/{case.number}/{key}/"


def test_before_an_answer_is_chosen_neither_button_is_pressed(client, answered):
    _case, path = answered

    shown = buttons(client, path)

    assert set(shown) == {"yes", "no"}
    assert all('aria-pressed="false"' in tag and "✓" not in tag for tag in shown.values())


@pytest.mark.parametrize(("chosen", "other"), [("yes", "no"), ("no", "yes")])
def test_the_chosen_answer_is_pressed_marked_and_named_and_the_other_is_not(client, answered, chosen, other):
    _case, path = answered

    client.post(path, {"resolved": chosen})
    shown = buttons(client, path)

    assert 'aria-pressed="true"' in shown[chosen] and "button-chosen" in shown[chosen]
    assert "✓" in shown[chosen] and "(ditt svar)" in shown[chosen]
    assert 'aria-pressed="false"' in shown[other] and "(ditt svar)" not in shown[other]
