"""Staff pages of the organisation: a unit's page and "Min sida"."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from brobygget.organisation import selectors


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    page = selectors.unit_page(actor=request.user, unit_id=unit_id)
    return render(request, "organisation/unit_detail.html", {"page": page})


@login_required
def my_page(request: HttpRequest) -> HttpResponse:
    page = selectors.my_page(actor=request.user)
    return render(request, "organisation/my_page.html", {"page": page})
