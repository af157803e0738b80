from django.urls import path

from brobygget.improvement import (
    views,
    views_board,
    views_learning,
    views_recognition,
    views_residents,
    views_routine,
    views_spread,
)

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

# Deviations, learnings and the search (views_learning).
urlpatterns += [
    path("avvikelser/", views_learning.deviation_list, name="deviations"),
    path("avvikelser/ny/", views_learning.deviation_new, name="deviation_new"),
    path("avvikelser/<int:deviation_id>/", views_learning.deviation_detail, name="deviation"),
    path("avvikelser/<int:deviation_id>/lardom/", views_learning.deviation_to_learning, name="deviation_learning"),
    path(
        "avvikelser/<int:deviation_id>/forbattring/",
        views_learning.deviation_to_improvement,
        name="deviation_improvement",
    ),
    path("avvikelser/<int:deviation_id>/stang/", views_learning.deviation_close, name="deviation_close"),
    path("lardomar/", views_learning.search_page, name="search"),
    path("lardomar/ny/", views_learning.learning_new, name="learning_new"),
    path("lardomar/<int:learning_id>/", views_learning.learning_detail, name="learning"),
    path("klara/<int:improvement_id>/", views_learning.shared_improvement, name="shared"),
]

# Back to the resident: the summary of an adopted improvement (views_residents).
urlpatterns += [
    path("<int:improvement_id>/till-invanarna/", views_residents.resident_summary, name="resident_summary"),
]

# Thanks ("uppmärksamma", views_recognition).
urlpatterns += [
    path("uppmarksamma/enheter/<int:unit_id>/", views_recognition.recognition_give, name="recognition_give"),
    path("uppmarksamheter/<int:recognition_id>/visa/", views_recognition.recognition_shown, name="recognition_shown"),
]

# Spreading a completed improvement to another unit's board (views_spread).
urlpatterns += [
    path("klara/<int:improvement_id>/sprid/", views_spread.improvement_spread_view, name="spread"),
]

# An adopted improvement becomes a routine of its unit (views_routine).
urlpatterns += [
    path("<int:improvement_id>/rutin/", views_routine.improvement_routine, name="routine"),
]
