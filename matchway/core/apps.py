from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "matchway.core"
    label = "core"
    verbose_name = "Core"
