from django.apps import AppConfig


class StatementsConfig(AppConfig):
    name = "matchway.statements"
    label = "statements"
