from django.urls import path

from brobygget.organisation import views

app_name = "organisation"

urlpatterns = [
    path("enheter/<int:unit_id>/", views.unit_detail, name="unit"),
]
