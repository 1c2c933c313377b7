from django.apps import AppConfig


class ErasConfig(AppConfig):
    name = "matchway.eras"
    label = "eras"
    verbose_name = "ERAS season workspace"
