from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "matchway.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401 - security events into the audit log
