from django.http import HttpRequest, HttpResponse
from django.urls import path


def failing(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("hemlig detalj")


urlpatterns = [path("fel/", failing)]
