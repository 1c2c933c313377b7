from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "matchway.documents"
    label = "documents"
    verbose_name = "Document vault"
