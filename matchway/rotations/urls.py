from django.urls import URLPattern, URLResolver

app_name = "rotations"

urlpatterns: list[URLPattern | URLResolver] = []
