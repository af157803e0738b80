"""core/fragments: a piece of HTML rendered once per key and process."""

import pytest

from brobygget.core import fragments
from brobygget.core.fragments import fragment, fragments_clear


@pytest.fixture(autouse=True)
def _empty_store():
    fragments_clear()
    yield
    fragments_clear()


def _renderer(html: str, calls: list[str]):
    def render() -> str:
        calls.append(html)
        return html

    return render


def test_a_fragment_is_rendered_once_for_its_key_and_again_for_another_key():
    calls: list[str] = []

    first = fragment(("filters", "sv", ("1", "Parker")), _renderer("<b>Parker</b>", calls))
    again = fragment(("filters", "sv", ("1", "Parker")), _renderer("<b>never rendered</b>", calls))
    other = fragment(("filters", "en", ("1", "Parker")), _renderer("<b>Parks</b>", calls))

    assert first == again == "<b>Parker</b>"
    assert first is again
    assert other == "<b>Parks</b>"
    assert calls == ["<b>Parker</b>", "<b>Parks</b>"]


def test_a_full_store_starts_again_instead_of_growing(monkeypatch):
    monkeypatch.setattr(fragments, "FRAGMENT_LIMIT", 2)
    calls: list[str] = []
    for key in ("a", "b", "c"):
        fragment(key, _renderer(key, calls))

    assert len(fragments._fragments) == 1  # emptied when the third key came
    fragment("a", _renderer("a", calls))
    assert calls == ["a", "b", "c", "a"]
