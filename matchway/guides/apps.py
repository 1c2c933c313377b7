from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    name = "matchway.guides"
    label = "guides"
    verbose_name = _("Guides")

    def ready(self) -> None:
        from matchway.core.sitemaps import register

        from .sitemaps import GuidesSitemap

        register("guides", GuidesSitemap)
