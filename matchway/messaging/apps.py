from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "matchway.messaging"
    label = "messaging"
    verbose_name = "Messages"
