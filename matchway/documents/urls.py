from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.vault, name="vault"),
    path("upload/", views.upload, name="upload"),
    path("review/", views.review, name="review"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("verify/", views.verify_bulk, name="verify-bulk"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("types/<slug:code>/", views.history, name="history"),
]
