from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_site_domain(**kwargs: Any) -> None:
    """Keep django.contrib.sites' Site in step with SITE_URL (sitemaps and allauth use it)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.SITE_NAME}
    )


class CoreConfig(AppConfig):
    name = "matchway.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check (shared cache)

        post_migrate.connect(sync_site_domain, sender=self)
