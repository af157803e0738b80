from django.urls import path

from brobygget.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.index, name="index"),
    path("enheter/<int:unit_id>/", views.board, name="board"),
    path("enheter/<int:unit_id>/ny/", views.improvement_new, name="new"),
    path("<int:improvement_id>/", views.improvement_detail, name="detail"),
    path("<int:improvement_id>/andra/", views.improvement_edit, name="edit"),
    path("<int:improvement_id>/flytta/", views.improvement_move, name="move"),
    path("<int:improvement_id>/avsluta/", views.improvement_finish, name="finish"),
]
