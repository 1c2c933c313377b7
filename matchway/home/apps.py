from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "matchway.home"
    label = "home"
    verbose_name = "Home"
