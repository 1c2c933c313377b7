from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "matchway.letters"
    label = "letters"
