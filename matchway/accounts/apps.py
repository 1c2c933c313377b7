from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "matchway.accounts"
    label = "accounts"
    verbose_name = "Accounts"
