from django.urls import URLPattern, URLResolver, path

from .views import calendar

app_name = "calendar"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>.ics", calendar.feed, name="feed"),
]
