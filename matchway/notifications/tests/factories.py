from __future__ import annotations

import factory

from matchway.core import clock
from matchway.notifications.categories import Category
from matchway.notifications.models import Delivery, Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    category = Category.BOOKINGS
    template = "application_confirmed"
    subject = factory.Sequence(lambda n: f"Update {n}")
    text = "Something happened."
    link = "/dashboard/"
    delivery = Delivery.IMMEDIATE
    created_at = factory.LazyFunction(clock.now)
