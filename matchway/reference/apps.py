from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "matchway.reference"
    label = "reference"
    verbose_name = "Reference data"
