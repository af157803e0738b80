from django.urls import path

from brobygget.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:goal_id>/", views.goal_detail, name="detail"),
    path("<int:goal_id>/andra/", views.goal_edit, name="edit"),
    path("<int:goal_id>/kopiera-ner/", views.goal_copy_down, name="copy_down"),
    path("enheter/<int:unit_id>/nytt/", views.goal_new, name="new"),
    path("perioder/ny/", views.period_new, name="period_new"),
]
