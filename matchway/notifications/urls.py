from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("settings/", views.preferences, name="preferences"),
    # The token comes first so log masking (core.logging TOKEN_PATH_PREFIXES) hides it.
    path("unsubscribe/<str:token>/<slug:category>/", views.unsubscribe_view, name="unsubscribe"),
]
