"""Certificates, mounted at /certificates/. `verify` and `public-key` are public; the rest
needs the coordinator or the applicant the certificate was issued to."""

from django.urls import URLPattern, URLResolver, path

from matchway.experience.views import certificates as views

app_name = "certificates"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.certificate_list_view, name="list"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("public-key/", views.public_key, name="public-key"),
    path("issue/<int:application_id>/", views.issue, name="issue"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/status/", views.status, name="status"),
    path("<str:number>/download/", views.download, name="download"),
    path("<str:number>/revoke/", views.revoke, name="revoke"),
    path("<str:number>/render/", views.retry, name="retry"),
]
