"""Puts the logged-in person on the request, looked up only when a view asks for it."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from brobygget.organisation.selectors import person_for_actor


class PersonMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.person = SimpleLazyObject(lambda: person_for_actor(actor=request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
