"""Writes of messaging: post a message, mark a thread read, assign a thread.

Contracts:
- `message_post` checks, in this order, before anything is stored, emailed or audited:
  the author may see the application (else `NotFound`), the body (required, at most
  BODY_MAX_LENGTH), the PHI guard (`PhiDetected`, 422 `phi_detected` with the findings),
  and the attachment through the document vault's validation (`UploadRejected`). Then the
  checked bytes go to private storage (outside the transaction) and one transaction
  creates the thread if needed, locks it, adds the message, updates the thread's summary,
  marks it read for the author, audits `message.posted` and queues the emails (sent after
  commit). If the transaction fails, the stored file is deleted.
- Call `message_post` outside a transaction (like `documents.services.document_upload`).
"""

from __future__ import annotations

import uuid
from typing import IO
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import AccessDenied, NotFound, PhiDetected, ValidationFailed
from matchway.core.locking import lock_for_update
from matchway.documents.validation import (
    EXTENSIONS,
    IMAGE_TYPES,
    PDF,
    ValidatedFile,
    validate_upload,
)
from matchway.phi.guard import phi_scan_fields
from matchway.rotations.models import Application

from . import selectors
from .models import BODY_MAX_LENGTH, Message, Thread, ThreadRead

ATTACHMENT_TYPES = (PDF, *IMAGE_TYPES)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
EXCERPT_LENGTH = 300

MSG_BODY_REQUIRED = _("Write a message.")
MSG_BODY_TOO_LONG = _("Keep a message to at most %(limit)s characters.")
MSG_ASSIGN_ROLE = _("Only coordinators can assign conversations.")
MSG_ASSIGNEE = _("Choose an active coordinator.")


def attachment_display_name(checked: ValidatedFile) -> str:
    """The sanitized upload name, unless it may identify a patient ("jane-doe-mrn-123.pdf"):
    then a neutral one. This name reaches the download header and its audit event."""
    if phi_scan_fields({"name": checked.safe_name.rsplit(".", 1)[0].replace("_", " ")}):
        return f"attachment.{EXTENSIONS[checked.content_type][0]}"
    return checked.safe_name


def _check_body(body: str, *, people: list[User]) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationFailed(errors={"body": [str(MSG_BODY_REQUIRED)]})
    if len(text) > BODY_MAX_LENGTH:
        raise ValidationFailed(
            errors={"body": [str(MSG_BODY_TOO_LONG % {"limit": f"{BODY_MAX_LENGTH:,}"})]}
        )
    # The people in the conversation and physicians ("Dr. Rivera") are not patients
    # (docs/dev/phi-guard.md); "Mrs. Jane Doe, MRN ..." still is.
    PhiDetected.raise_if(
        phi_scan_fields(
            {"body": text},
            parties=[u.get_full_name() for u in people],
            known=[u.email for u in people],
            physicians=True,
        )
    )
    return text


def message_post(
    *,
    actor: User,
    application: Application,
    body: str,
    attachment: UploadedFile | IO[bytes] | None = None,
    attachment_name: str = "",
) -> Message:
    """Add a message to the application's conversation (creating it on the first one)."""
    if selectors.application_for_thread(user=actor, pk=application.pk) is None:
        raise NotFound()
    text = _check_body(body, people=[actor, application.applicant])
    checked: ValidatedFile | None = None
    if attachment is not None:
        checked = validate_upload(
            attachment,
            original_name=attachment_name,
            allowed_content_types=ATTACHMENT_TYPES,
            max_bytes=ATTACHMENT_MAX_BYTES,
        )
    stored_name = ""
    storage = Message._meta.get_field("attachment").storage
    if checked is not None:
        stored_name = storage.save(
            f"messages/{application.pk}/{uuid.uuid4().hex}", ContentFile(checked.content)
        )
    try:
        message = _message_store(
            actor=actor, application=application, text=text, checked=checked, stored=stored_name
        )
    except BaseException:
        if stored_name:
            storage.delete(stored_name)
        raise
    transaction.on_commit(selectors.unread_counts_changed)
    return message


def _thread_get_or_create(application: Application) -> Thread:
    thread = Thread.objects.filter(application=application).first()
    if thread is not None:
        return thread
    try:
        with transaction.atomic():
            return Thread.objects.create(application=application)
    except IntegrityError:  # the other first message won the race
        return Thread.objects.get(application=application)


def _message_store(
    *,
    actor: User,
    application: Application,
    text: str,
    checked: ValidatedFile | None,
    stored: str,
) -> Message:
    now = clock.now()
    with transaction.atomic():
        thread = _thread_get_or_create(application)
        thread = lock_for_update(Thread, [thread.pk])[thread.pk]
        message = Message.objects.create(
            thread=thread,
            author=actor,
            body=text,
            created_at=now,
            attachment=stored,
            attachment_name=attachment_display_name(checked) if checked else "",
            attachment_type=checked.content_type if checked else "",
            attachment_size=checked.size if checked else None,
            attachment_sha256=checked.sha256 if checked else "",
        )
        thread.last_message_at = now
        thread.last_message_by = actor
        if actor.pk == application.applicant_id:
            thread.awaiting_reply = True
        elif actor.role == Role.COORDINATOR:
            thread.awaiting_reply = False
        thread.save(
            update_fields=["last_message_at", "last_message_by", "awaiting_reply", "updated_at"]
        )
        ThreadRead.objects.update_or_create(
            thread=thread, user=actor, defaults={"last_read_at": now}
        )
        audit_record(
            actor=actor,
            action="message.posted",
            target=message,
            data={
                "application": application.pk,
                "length": len(text),
                "attachment": (
                    {"content_type": checked.content_type, "size": checked.size}
                    if checked
                    else None
                ),
            },
        )
        _notify(application=application, thread=thread, message=message, author=actor)
    return message


def _excerpt(text: str) -> str:
    """The start of the body for the email (it passed the PHI guard): whole words."""
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[:EXCERPT_LENGTH].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def _notify(*, application: Application, thread: Thread, message: Message, author: User) -> None:
    rotation = application.session.rotation
    # Through the sign-in page: the thread answers 404 to anonymous visitors (hidden means
    # 404), and sign-in sends an already signed-in person straight on to `next`.
    thread_url = reverse("messaging:thread", args=[application.pk])
    path = f"{reverse('account_login')}?{urlencode({'next': thread_url})}"
    for person in selectors.recipients(application=application, thread=thread, author=author):
        email_send(
            to=[person.email],
            template="message_new",
            context={
                "recipient": person,
                "author_name": author.full_name or author.email,
                "rotation_title": rotation.title,
                "session": application.session,
                "excerpt": _excerpt(message.body),
                "has_attachment": message.has_attachment,
                "thread_path": path,
            },
        )


def thread_mark_read(*, user: User, thread: Thread) -> bool:
    """Record that `user` has read `thread` up to its last message. Writes only when that
    moves the mark forward; returns whether it did."""
    if thread.last_message_at is None:
        return False
    updated = ThreadRead.objects.filter(
        thread=thread, user=user, last_read_at__lt=thread.last_message_at
    ).update(last_read_at=thread.last_message_at)
    if not updated:
        _, created = ThreadRead.objects.get_or_create(
            thread=thread, user=user, defaults={"last_read_at": thread.last_message_at}
        )
        if not created:
            return False
    selectors.unread_count_forget(user)
    return True


def thread_assign(*, actor: User, thread: Thread, assignee: User | None) -> Thread:
    """Assign the thread to a coordinator (or nobody); audited as `thread.assigned`."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied(MSG_ASSIGN_ROLE)
    if assignee is not None and (assignee.role != Role.COORDINATOR or not assignee.is_active):
        raise ValidationFailed(errors={"assigned_to": [str(MSG_ASSIGNEE)]})
    with transaction.atomic():
        locked = lock_for_update(Thread, [thread.pk])[thread.pk]
        previous = locked.assigned_to_id
        new = assignee.pk if assignee else None
        if previous == new:
            return locked
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit_record(
            actor=actor, action="thread.assigned", target=locked, data={"from": previous, "to": new}
        )
    return locked
