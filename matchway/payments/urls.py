from django.urls import URLPattern, path

from . import views

app_name = "payments"

urlpatterns: list[URLPattern] = [
    path("stripe/webhook", views.stripe_webhook, name="stripe-webhook"),
    path("applications/<int:pk>/pay/<str:kind>/", views.checkout, name="checkout"),
]
