"""Pages of the core: principles, health, login and password."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from brobygget.core.audit import audit_record
from brobygget.core.forms import ThrottledAuthenticationForm
from brobygget.core.selectors import principle_list

MESSAGE_PASSWORD_CHANGED = _("Your password has been changed.")


def principles(request: HttpRequest) -> HttpResponse:
    # request.person is set (lazily) by the organisation app's middleware; core imports no domain app.
    person = getattr(request, "person", None)
    items = principle_list(actor=request.user, municipality_id=person.municipality_id if person else None)
    return render(request, "core/principles.html", {"items": items})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action="account.logged_in", target=form.get_user(), municipality=None)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("my_page")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="account.password_changed", target=form.user, municipality=None)
        messages.success(self.request, MESSAGE_PASSWORD_CHANGED)
        return response
