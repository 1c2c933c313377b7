from django.apps import AppConfig


class SoapConfig(AppConfig):
    name = "matchway.soap"
    label = "soap"
    verbose_name = "Match week and SOAP"
