"""Swedish first: every message in the code has a Swedish text, and the language switch works."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import brobygget

pytestmark = pytest.mark.django_db

SRC = Path(brobygget.__file__).parent
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
# As babel.cfg maps them for `make messages`: the mail templates (.txt) are Jinja2 too.
METHODS = [("**.py", "python"), ("**.html", "jinja2"), ("**/jinja2/**.txt", "jinja2")]
JINJA2 = {"extensions": "jinja2.ext.i18n,jinja2.ext.do"}
OPTIONS = {"**.html": JINJA2, "**/jinja2/**.txt": JINJA2}


def _messages_in_code() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_in_the_code_has_a_swedish_text():
    with open(SRC / "locale" / "sv" / "LC_MESSAGES" / "django.po", "rb") as po:
        catalog = read_po(po, locale="sv")
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.string and not m.fuzzy}

    missing = sorted(_messages_in_code() - translated)

    assert not missing, "No Swedish text (run `make messages`, then translate in sv/django.po):\n" + "\n".join(missing)


def test_pages_are_swedish_by_default(client, municipality):
    response = client.get("/")

    assert '<html lang="sv">' in response.content.decode()
    assert "Hoppa till innehållet" in response.content.decode()


def test_the_language_switch_changes_to_english_and_back_without_javascript(client):
    response = client.post("/sprak/", {"language": "en", "next": "/principer/"}, follow=True)

    html = response.content.decode()
    assert '<html lang="en">' in html and "Skip to content" in html
    assert response.redirect_chain[-1][0] == "/principer/"

    back = client.post("/sprak/", {"language": "sv", "next": "/"}, follow=True)
    assert '<html lang="sv">' in back.content.decode()
