from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "matchway.organization"
    label = "organization"
    verbose_name = _("Provider")

    def ready(self) -> None:
        from matchway.core.sitemaps import register

        from . import signals  # noqa: F401
        from .sitemaps import PolicySitemap

        register("policies", PolicySitemap)
