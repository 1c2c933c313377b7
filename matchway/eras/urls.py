"""`/eras/`: the program list, targets and readiness (`urls_programs`) and the season's
budget, interviews and rank list (`urls_season`)."""

from django.urls import include, path

app_name = "eras"

urlpatterns = [
    path("", include("matchway.eras.urls_programs")),
    path("", include("matchway.eras.urls_season")),
]
