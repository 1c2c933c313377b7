from django.apps import AppConfig


class ExperienceConfig(AppConfig):
    name = "matchway.experience"
    label = "experience"
    verbose_name = "Rotation experience"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deploy check (certificate key)
