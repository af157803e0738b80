"""Open311 GeoReport v2: discovery at /open311/discovery.{xml,json}, the endpoint at /open311/v2/ (docs/open311.md)."""

from django.urls import URLPattern, URLResolver, path, re_path

from brobygget.dialog.open311 import views

app_name = "open311"

urlpatterns: list[URLPattern | URLResolver] = [
    path("discovery.<str:fmt>", views.discovery, name="discovery"),
    path("v2/services.<str:fmt>", views.service_list, name="services"),
    path("v2/services/<str:code>.<str:fmt>", views.service_definition, name="service"),
    path("v2/requests.<str:fmt>", views.request_list, name="requests"),
    path("v2/requests/<str:request_id>.<str:fmt>", views.request_detail, name="request"),
    path("v2/tokens/<str:token>.<str:fmt>", views.token_detail, name="token"),
    re_path(r"^v2/(?P<rest>.*)$", views.not_found),
]
