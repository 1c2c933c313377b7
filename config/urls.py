from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from matchway.api.api import api
from matchway.core import views as core_views
from matchway.core.sitemaps import sitemaps
from matchway.home import views as home_views

# Staff sign in through allauth (second factor, rate limits), never the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

handler403 = "matchway.core.views.permission_denied"
handler404 = "matchway.core.views.page_not_found"
handler500 = "matchway.core.views.server_error"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("dashboard/", home_views.dashboard, name="dashboard"),
    path("audit/", include("matchway.home.urls")),
    path("accounts/", include("matchway.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("documents/", include("matchway.documents.urls")),
    path("rotations/", include("matchway.rotations.urls")),
    path("certificates/", include("matchway.experience.urls_certificates")),
    path("calendar/", include("matchway.rotations.urls_calendar")),
    path("visa-letters/", include("matchway.rotations.urls_visa")),
    path("experience/", include("matchway.experience.urls")),
    path("letters/", include("matchway.letters.urls")),
    path("guides/", include("matchway.guides.urls")),
    path("statements/", include("matchway.statements.urls")),
    path("specialties/", include("matchway.specialties.urls")),
    path("eras/", include("matchway.eras.urls")),
    path("soap/", include("matchway.soap.urls")),
    path("payments/", include("matchway.payments.urls")),
    path("messages/", include("matchway.messaging.urls")),
    path("", include("matchway.organization.urls")),
    path("notifications/", include("matchway.notifications.urls")),
    path("api/v1/", api.urls),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
]
