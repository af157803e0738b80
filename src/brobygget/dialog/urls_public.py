"""The public resident pages (no login); the start page of the site is here too."""

from django.urls import URLPattern, URLResolver, path

from brobygget.dialog import views_public

app_name = "dialog"

urlpatterns: list[URLPattern | URLResolver] = [
    path("lamna-synpunkt/", views_public.feedback, name="feedback"),
    path("arende/<str:number>/<str:key>/", views_public.track, name="track"),
    path("arende/<str:number>/<str:key>/kvitto/", views_public.receipt, name="receipt"),
    path("arende/<str:number>/<str:key>/foto/<int:photo_id>/", views_public.photo, name="photo"),
]
