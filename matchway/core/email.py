"""Email through an outbox: every message has a text and an HTML part, rendered from
`templates/emails/<name>.txt` and `<name>.html` inside a shared layout, stored as an
`OutboundEmail` row and delivered by a task after commit, with retries (docs/dev/email.md)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

from matchway.core import clock
from matchway.core.models import OutboundEmail, OutboundEmailStatus

logger = logging.getLogger("matchway.email")

# How long a claimed attempt owns its row: if the worker dies mid-send, the periodic job
# takes the row again after this lease (the SMTP timeout bounds one honest attempt).
CLAIM_LEASE = dt.timedelta(minutes=5)
_ADDRESS = re.compile(r"[^\s<>()\"',;:]+@[^\s<>()\"',;:]+")


def _render_plain(name: str, ctx: dict[str, Any]) -> str:
    """Render a plain-text template with autoescaping off: "O'Brien & Co <x>" must reach a
    text part as typed, not as HTML entities. Includes inherit the unescaped context."""
    backend_template: Any = get_template(name)
    return str(backend_template.template.render(Context(ctx, autoescape=False)))


def email_render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    ctx = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = _render_plain(f"emails/{template}.subject.txt", ctx).strip()
    subject = " ".join(subject.splitlines())
    text = _render_plain(f"emails/{template}.txt", ctx)
    html = render_to_string(f"emails/{template}.html", ctx)
    return subject, text, html


@dataclass(frozen=True)
class EmailMessageDraft:
    """One email as rendered by `email_send`, before it is stored: what routers decide on."""

    to: tuple[str, ...]
    template: str
    context: dict[str, Any]
    subject: str
    text: str


@dataclass(frozen=True)
class EmailDelivery:
    """Addresses that get the email now; `context` (merged over the caller's, then the
    email is rendered again) and `headers` are for these addresses only, e.g. a personal
    one-click unsubscribe link."""

    to: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def _route(draft: EmailMessageDraft) -> list[EmailDelivery]:
    """Ask the apps' routers (core.discovery.email_routers); by default every address gets
    the email as rendered."""
    from matchway.core.discovery import email_routers

    for router in email_routers():
        deliveries = router(draft)
        if deliveries is not None:
            return list(deliveries)
    return [EmailDelivery(to=draft.to)]


def email_send(
    *,
    to: Sequence[str],
    template: str,
    context: dict[str, Any],
    reply_to: Sequence[str] | None = None,
) -> OutboundEmail | None:
    """Render now, store in the outbox, deliver after the surrounding transaction commits.

    Call inside or outside a transaction: the `OutboundEmail` row is written in the caller's
    transaction (so a rollback drops the email too) and the delivery task is enqueued on
    commit with its id. Rendering happens here, so later changes to the data do not alter a
    queued message. Delivery never raises into the caller: an SMTP failure is recorded on
    the row and retried (`email_deliver`). Template errors do raise, here, before commit.

    Routers (`<app>/outbox.py`, see core.discovery) see the rendered email first: the
    notifications app records an in-app notification for every recipient who is a user and
    holds the email back for a digest or in-app-only preference. Returns the first stored
    row, or None when nothing was sent now.
    """
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = email_render(template, context)
    draft = EmailMessageDraft(
        to=tuple(to), template=template, context=context, subject=subject, text=text
    )
    first: OutboundEmail | None = None
    for delivery in _route(draft):
        if not delivery.to:
            continue
        rendered = (subject, text, html)
        if delivery.context:
            with translation.override(settings.LANGUAGE_CODE):
                rendered = email_render(template, {**context, **delivery.context})
        email = _store(delivery, template, rendered, reply_to)
        first = first or email
    return first


def _store(
    delivery: EmailDelivery,
    template: str,
    rendered: tuple[str, str, str],
    reply_to: Sequence[str] | None,
) -> OutboundEmail:
    subject, text, html = rendered
    email = OutboundEmail.objects.create(
        to=list(delivery.to),
        reply_to=list(reply_to or []),
        from_email=settings.DEFAULT_FROM_EMAIL,
        template=template,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        text=text,
        html=html,
        headers=dict(delivery.headers),
        next_attempt_at=clock.now(),
    )
    from matchway.core.tasks import email_deliver_task

    email_id = email.pk
    # robust: a broken queue must not turn a committed change into an error; the periodic
    # job `emails_retry` finds the row anyway.
    transaction.on_commit(lambda: _enqueue(email_deliver_task, email_id), robust=True)
    return email


def _enqueue(task: Any, email_id: int) -> None:
    task.enqueue(email_id)


def _error_label(exc: BaseException) -> str:
    """The exception class and a short message, with addresses removed (no PHI in logs)."""
    message = _ADDRESS.sub("<address>", " ".join(str(exc).split()))
    return f"{type(exc).__name__}: {message}"[:300]


def email_deliver(email_id: int) -> str:
    """Send one outbox email; returns its status afterwards ("skipped" if not claimed).

    Call OUTSIDE any transaction (it does network I/O). Claims the row compare-and-set (a
    conditional UPDATE that only one worker can win: queued, due, same attempt count) and
    pushes its `next_attempt_at` out by a lease, then sends with the configured backend
    and `EMAIL_TIMEOUT`. Success marks it `sent`; a failure records the error class and
    schedules the next attempt by `EMAIL_RETRY_MINUTES`, or marks it `failed` after the
    last one. Never raises for a delivery failure.
    """
    now = clock.now()
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None or email.status != OutboundEmailStatus.QUEUED or email.next_attempt_at > now:
        return "skipped"
    claimed = OutboundEmail.objects.filter(
        pk=email_id,
        status=OutboundEmailStatus.QUEUED,
        attempts=email.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if claimed != 1:
        return "skipped"  # race: another worker took this attempt
    attempt = email.attempts + 1
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=email.from_email,
        to=list(email.to),
        reply_to=list(email.reply_to) or None,
        headers=dict(email.headers) or None,
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as exc:  # any transport failure is recorded and retried, never raised
        delays = settings.EMAIL_RETRY_MINUTES
        done = clock.now()
        if attempt > len(delays):
            status, next_at = OutboundEmailStatus.FAILED, done
        else:
            status = OutboundEmailStatus.QUEUED
            next_at = done + dt.timedelta(minutes=delays[attempt - 1])
        OutboundEmail.objects.filter(pk=email_id).update(
            status=status, last_error=_error_label(exc), next_attempt_at=next_at
        )
        logger.warning(
            "email %s attempt %s failed (%s), now %s", email_id, attempt, type(exc).__name__, status
        )
        return str(status)
    OutboundEmail.objects.filter(pk=email_id).update(
        status=OutboundEmailStatus.SENT, sent_at=clock.now(), last_error=""
    )
    return str(OutboundEmailStatus.SENT)


def emails_due(now: dt.datetime | None = None) -> list[int]:
    """Ids of queued emails whose next attempt is due (retries, and lost tasks)."""
    current = now or clock.now()
    return list(
        OutboundEmail.objects.filter(
            Q(status=OutboundEmailStatus.QUEUED) & Q(next_attempt_at__lte=current)
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
