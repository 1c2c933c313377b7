from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "matchway.payments"
    label = "payments"
    verbose_name = "Card payments (Stripe)"
