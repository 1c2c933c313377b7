"""Visa invitation letters, mounted at /visa-letters/. `verify` is public; the rest needs
the applicant the letter belongs to or a coordinator (docs/dev/visa-letters.md)."""

from django.urls import URLPattern, URLResolver, path

from .views import visa as views

app_name = "visa_letters"

urlpatterns: list[URLPattern | URLResolver] = [
    path("verify/<str:number>/", views.verify, name="verify"),
    path("manage/", views.queue, name="queue"),
    path("request/<int:application_id>/", views.request_letter, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/revoke/", views.revoke, name="revoke"),
]
