from django.apps import AppConfig


class RotationsConfig(AppConfig):
    name = "matchway.rotations"
    label = "rotations"
