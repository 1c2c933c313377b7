from django.urls import URLPattern, URLResolver

app_name = "calendar"

urlpatterns: list[URLPattern | URLResolver] = []
