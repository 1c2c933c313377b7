"""Email through Django's mail framework: every message has a text and an HTML part,
rendered from `templates/emails/<name>.txt` and `<name>.html` inside a shared layout."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def email_render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    ctx = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}.subject.txt", ctx).strip()
    subject = " ".join(subject.splitlines())
    text = render_to_string(f"emails/{template}.txt", ctx)
    html = render_to_string(f"emails/{template}.html", ctx)
    return subject, text, html


def email_send(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    reply_to: Sequence[str] | None = None,
) -> None:
    """Render now, send after the surrounding transaction commits (never inside it)."""
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = email_render(template, context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to) if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    transaction.on_commit(message.send)
