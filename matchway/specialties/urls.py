from django.urls import path

from . import views

app_name = "specialties"

urlpatterns = [
    path("", views.specialty_list, name="index"),
    path("compare/", views.specialty_compare, name="compare"),
    path("<str:code>/", views.specialty_detail, name="detail"),
]
