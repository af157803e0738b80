"""The public results pages ("Du sa – vi gjorde", promises, goals, figures, downloads) and the staff's publishing."""

from django.urls import path  # noqa: F401

app_name = "openresults"

urlpatterns: list = []
