from django.apps import AppConfig


class RotationsConfig(AppConfig):
    name = "matchway.rotations"
    label = "rotations"

    def ready(self) -> None:
        from .selectors_catalog import connect_cache_invalidation
        from .sitemaps import register_sitemaps

        register_sitemaps()
        connect_cache_invalidation()
