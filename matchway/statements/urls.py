from django.urls import URLPattern, URLResolver

app_name = "statements"

urlpatterns: list[URLPattern | URLResolver] = []
