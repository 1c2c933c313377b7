from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("applications/<int:pk>/", views.thread, name="thread"),
    path("applications/<int:pk>/assign/", views.assign, name="assign"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
