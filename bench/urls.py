"""The project's URLs plus the bare view, routed only in bench settings: the baseline behind the same middleware."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

import brobygget.urls as project_urls


def bare(request: HttpRequest) -> HttpResponse:
    """No database, no template: what the middleware alone costs."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    *project_urls.urlpatterns,
    path("bench/bare/", bare, name="bench_bare"),
]

# The project's error handlers, if it defines any, stay in force.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(project_urls, _name):
        globals()[_name] = getattr(project_urls, _name)
