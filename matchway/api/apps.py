from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "matchway.api"
    label = "api"
    verbose_name = "JSON API"
