"""The Swedish texts read as a municipality writes to people: plain and polite, never chatty. Phrases a municipal
communicator struck out in review stay out of the catalogue."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import brobygget

PO = Path(brobygget.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.po"
STRUCK = {
    "nedanför": "nedan",
    "ovanför": "ovan (a text), överordnad (a unit)",
    "Korta den lite": "Förkorta texten.",
    "Förlåt": "Vi ber om ursäkt …",
    "Vi är sena": "Svaret är försenat.",
    "som du får se": "… som du har tillgång till",
}


def _swedish_texts() -> list[str]:
    with PO.open("rb") as file:
        catalog = read_po(file, locale="sv")
    texts: list[str] = []
    for message in catalog:
        if message.id:
            texts.extend(
                str(text) for text in (message.string if isinstance(message.string, tuple) else [message.string])
            )
    return texts


@pytest.mark.parametrize("phrase", sorted(STRUCK))
def test_no_swedish_text_uses_a_struck_phrase(phrase):
    found = [text for text in _swedish_texts() if phrase in text]

    assert not found, f"“{phrase}” → {STRUCK[phrase]}:\n" + "\n".join(found)
