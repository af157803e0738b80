"""The project's URLs plus the bare views, routed only in bench settings: the baseline behind the same middleware,
and the floor of a POST that keeps what it is sent."""

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.http import require_http_methods

import brobygget.urls as project_urls
from brobygget.core.audit import audit_record
from brobygget.core.models import Municipality


def bare(request: HttpRequest) -> HttpResponse:
    """No database, no template: what the middleware alone costs."""
    return HttpResponse("ok", content_type="text/plain")


@require_http_methods(["GET", "POST"])
def bare_write(request: HttpRequest) -> HttpResponse:
    """The least a POST that keeps what it is sent does here: the CSRF check, then one audit event written in a
    transaction, then a redirect. No form, no validation, no case: a floor to compare the resident form's POST with."""
    if request.method == "POST":
        municipality = Municipality(pk=int(request.POST["municipality"]))
        with transaction.atomic():
            audit_record(actor=None, action="bench.write", target=municipality, municipality=municipality)
        return HttpResponseRedirect(request.path)
    municipality_id = Municipality.objects.values_list("pk", flat=True).order_by("pk").first()
    return HttpResponse(
        f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}">'
        f'<input type="hidden" name="municipality" value="{municipality_id}"></form>'
    )


urlpatterns = [
    *project_urls.urlpatterns,
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare-write/", bare_write, name="bench_bare_write"),
]

# The project's error handlers, if it defines any, stay in force.
for _name in ("handler400", "handler403", "handler404", "handler500"):
    if hasattr(project_urls, _name):
        globals()[_name] = getattr(project_urls, _name)
