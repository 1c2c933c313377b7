from django.urls import path, re_path

from . import views
from .models import PolicyKind

app_name = "organization"

KINDS = "|".join(PolicyKind.values)

urlpatterns = [
    re_path(rf"^(?P<kind>{KINDS})/$", views.policy_page, name="policy"),
    re_path(rf"^(?P<kind>{KINDS})/versions/$", views.policy_versions, name="policy-versions"),
    re_path(
        rf"^(?P<kind>{KINDS})/v(?P<version>[0-9]{{1,6}})/$",
        views.policy_version,
        name="policy-version",
    ),
    path("provider/logo/", views.logo, name="logo"),
    path("manage/provider/", views.manage, name="manage"),
    re_path(rf"^manage/provider/(?P<kind>{KINDS})/$", views.manage_page, name="manage-page"),
]
