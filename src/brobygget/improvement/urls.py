from django.urls import path

from brobygget.improvement import views, views_board

app_name = "improvement"

urlpatterns = [
    path("", views.index, name="index"),
    path("enheter/<int:unit_id>/", views.board, name="board"),
    path("enheter/<int:unit_id>/ny/", views.improvement_new, name="new"),
    path("enheter/<int:unit_id>/mote/", views_board.board_meeting, name="meeting"),
    path("enheter/<int:unit_id>/siffror/", views_board.unit_figures, name="figures"),
    path("<int:improvement_id>/", views.improvement_detail, name="detail"),
    path("<int:improvement_id>/andra/", views.improvement_edit, name="edit"),
    path("<int:improvement_id>/flytta/", views.improvement_move, name="move"),
    path("<int:improvement_id>/avsluta/", views.improvement_finish, name="finish"),
]
