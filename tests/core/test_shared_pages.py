"""core/shared_pages.py: a page kept for every anonymous visitor, with fresh hidden values; never a personal one."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from brobygget.core import shared_pages
from brobygget.core.shared_pages import render_shared, shared_page_key

pytestmark = pytest.mark.django_db

TEMPLATE = "404.html"  # any page with the base layout: its language switch holds a CSRF token


def visit(note: str = "", path: str = "/nagonstans/", language: str = "sv", key: str = "test"):
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware sets it
    if note:
        messages.info(request, note)
    with translation.override(language):
        return render_shared(request, TEMPLATE, {}, key=key, timeout=60, fresh={})


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The templates render_shared renders (not those it takes from the cache)."""
    rendered: list[str] = []
    render_to_string = shared_pages.render_to_string

    def counted(template_name, *args, **kwargs):
        rendered.append(template_name)
        return render_to_string(template_name, *args, **kwargs)

    monkeypatch.setattr(shared_pages, "render_to_string", counted)
    return rendered


def test_each_visitor_gets_a_token_of_their_own_in_the_kept_page():
    first, second = visit().content.decode(), visit().content.decode()

    assert 'name="csrfmiddlewaretoken" value="' in first and "\x00" not in second
    assert first != second  # the tokens differ, and nothing else does:
    assert first.split("csrfmiddlewaretoken")[0] == second.split("csrfmiddlewaretoken")[0]


def test_a_visitor_with_a_message_waiting_gets_the_page_with_their_message():
    visit()  # the page is kept now

    assert "Tack för ditt svar" in visit(note="Tack för ditt svar").content.decode()
    assert "Tack för ditt svar" not in visit().content.decode()


def test_query_string_variants_share_one_kept_page_with_their_own_way_back(renders):
    pages = [visit(path=f"/nagonstans/?variant={n}&x=%3Cy%3E").content.decode() for n in range(5)]

    assert renders == [TEMPLATE]
    for n, page in enumerate(pages):
        assert f'name="next" value="/nagonstans/?variant={n}&amp;x=%3Cy%3E"' in page
    with translation.override("sv"):
        assert cache.get(shared_page_key("test")) is not None
        assert "variant" not in cache.get(shared_page_key("test"))


def test_each_language_and_version_is_kept_apart(renders):
    swedish, english = visit(language="sv").content.decode(), visit(language="en").content.decode()
    visit(language="sv")
    visit(language="sv", key="test-2")

    assert renders == [TEMPLATE, TEMPLATE, TEMPLATE]
    assert '<html lang="sv">' in swedish and '<html lang="en">' in english
