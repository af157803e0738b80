"""Middleware of the core: nothing a logged-in person is shown stays in a browser's or a proxy's cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


class StaffNoStoreMiddleware:
    """Every answer to a logged-in request (staff pages, case photos, Min sida, the admin) gets `Cache-Control:
    no-store, private`, added to whatever the view set (a `public` is taken away). One place, so that no staff page,
    of this app or of one to come, can forget it; residents' pages, which nobody logs in to, are left as they are."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
