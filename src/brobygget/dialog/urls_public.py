from django.urls import URLPattern, URLResolver

app_name = "dialog"

urlpatterns: list[URLPattern | URLResolver] = []
