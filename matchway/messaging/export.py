"""Personal-data export hook: the conversations on the person's applications and the
messages they wrote elsewhere (staff), without other people's account details."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from matchway.accounts.models import User

from .models import Message


def export(user: User) -> dict[str, Any]:
    messages = (
        Message.objects.filter(Q(thread__application__applicant=user) | Q(author=user))
        .select_related("author", "thread")
        .order_by("created_at", "pk")
    )
    return {
        "messages": [
            {
                "application": m.thread.application_id,
                "created_at": m.created_at,
                "by_you": m.author_id == user.pk,
                "author_role": m.author.role if m.author else "",
                "body": m.body,
                "attachment_name": m.attachment_name,
            }
            for m in messages
        ]
    }
