from django.urls import URLPattern, URLResolver, path

from . import views
from .feeds import GuidesFeed

app_name = "guides"

# Fixed words come before `<slug>/`; services.RESERVED_SLUGS keeps articles off them.
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("feed/", GuidesFeed(), name="feed"),
    path("tag/<slug:tag>/", views.tag, name="tag"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.create, name="create"),
    path("manage/preview/", views.preview, name="preview"),
    path("manage/<int:pk>/edit/", views.edit, name="edit"),
    path("<slug:slug>/", views.detail, name="detail"),
]
