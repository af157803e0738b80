from django.urls import URLPattern, URLResolver, path

from brobygget.dialog import views_notify, views_staff

app_name = "inbox"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_staff.inbox, name="list"),
    path("statistik/", views_staff.statistics, name="statistics"),
    path("arendepost/", views_notify.mail_choice, name="mail_choice"),
    path("export/<slug:fmt>/", views_staff.inbox_export, name="export"),
    path("<int:case_id>/", views_staff.case_detail, name="case"),
    path("<int:case_id>/bilder/<int:attachment_id>/", views_staff.case_photo, name="photo"),
    path("<int:case_id>/<slug:action>/", views_staff.case_action, name="action"),
]
