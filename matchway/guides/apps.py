from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "matchway.guides"
    label = "guides"
