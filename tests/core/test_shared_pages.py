"""core/shared_pages.py: a page kept for every anonymous visitor, with fresh hidden values; never a personal one."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import translation

from brobygget.core.shared_pages import render_shared

pytestmark = pytest.mark.django_db

TEMPLATE = "404.html"  # any page with the base layout: its language switch holds a CSRF token


def visit(note: str = ""):
    request = RequestFactory().get("/nagonstans/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # as MessageMiddleware sets it
    if note:
        messages.info(request, note)
    with translation.override("sv"):
        return render_shared(request, TEMPLATE, {}, key="test", timeout=60, fresh={})


def test_each_visitor_gets_a_token_of_their_own_in_the_kept_page():
    first, second = visit().content.decode(), visit().content.decode()

    assert 'name="csrfmiddlewaretoken" value="' in first and "\x00" not in second
    assert first != second  # the tokens differ, and nothing else does:
    assert first.split("csrfmiddlewaretoken")[0] == second.split("csrfmiddlewaretoken")[0]


def test_a_visitor_with_a_message_waiting_gets_the_page_with_their_message():
    visit()  # the page is kept now

    assert "Tack för ditt svar" in visit(note="Tack för ditt svar").content.decode()
    assert "Tack för ditt svar" not in visit().content.decode()
