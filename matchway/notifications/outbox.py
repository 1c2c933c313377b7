"""The email router (core.discovery.email_routers): every email to a Matchway user becomes
an in-app notification, and the user's preference for its category decides whether the
email goes out now, waits for the daily digest, or is not sent at all. Addresses that are
not users (external letter writers, evaluators, invitees) always get the email."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from matchway.core import clock
from matchway.core.email import EmailDelivery, EmailMessageDraft

from .categories import route_for
from .links import unsubscribe_url
from .models import Delivery, Mode, Notification
from .selectors import preference_modes
from .services import link_from, summary_text, unread_changed, users_by_email


def unsubscribe_extras(user_id: int, category: str) -> tuple[dict[str, Any], dict[str, str]]:
    """Extra context (the footer link) and RFC 8058 headers for one recipient."""
    from .categories import Category

    url = unsubscribe_url(user_id, category)
    context = {
        "unsubscribe_url": url,
        "unsubscribe_category": str(Category(category).label).lower(),
        "preferences_path": reverse("notifications:preferences"),
    }
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return context, headers


def route(draft: EmailMessageDraft) -> list[EmailDelivery] | None:
    email_route = route_for(draft.template)
    if email_route is None:
        return None  # our own digest email: sent as rendered
    users = users_by_email(draft.to)
    if not users:
        return None
    category = str(email_route.category)
    modes = preference_modes([u.pk for u in users.values()])
    now = clock.now()
    text, link = summary_text(draft.text), link_from(draft.text)
    plain: list[str] = []
    personal: list[EmailDelivery] = []
    rows: list[Notification] = []
    for address in draft.to:
        user = users.get(address.lower())
        if user is None:
            plain.append(address)
            continue
        if email_route.essential:
            delivery = Delivery.ALWAYS
        else:
            delivery = Delivery(modes.get((user.pk, category), Mode.IMMEDIATE))
        rows.append(
            Notification(
                user=user,
                category=category,
                template=draft.template,
                subject=draft.subject[:300],
                text=text,
                link=link,
                delivery=delivery,
                created_at=now,
                emailed_at=now if delivery in (Delivery.ALWAYS, Delivery.IMMEDIATE) else None,
            )
        )
        if delivery == Delivery.ALWAYS:
            plain.append(address)
        elif delivery == Delivery.IMMEDIATE:
            context, headers = unsubscribe_extras(user.pk, category)
            personal.append(EmailDelivery(to=(address,), context=context, headers=headers))
    Notification.objects.bulk_create(rows)
    unread_changed(row.user_id for row in rows)
    return ([EmailDelivery(to=tuple(plain))] if plain else []) + personal
