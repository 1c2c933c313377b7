"""The applicant's actions on a request: send it, renew the writer's link, withdraw it,
nudge the writer; and the audit of page views and downloads (every audience)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.email import email_send
from matchway.core.exceptions import InvalidTransition, NotFound, RateLimited, ValidationFailed

from .. import conf
from ..brag import brag_sheet_build
from ..models import (
    WAITING_STATES,
    WITHDRAWABLE_STATES,
    WRITER_STATES,
    LetterAssignment,
    LetterRequest,
    LetterStatus,
)
from ..selectors import Viewer
from .common import (
    MSG_DUE_PAST,
    audit,
    link_issue,
    links_kill,
    request_lock,
    writer_context,
    writer_state_require,
)

MSG_NUDGE_WAIT = gettext_lazy(
    "Your writer had this request or a reminder less than a week ago. Give them time to "
    "answer: you can send a reminder on %(date)s."
)


def letter_request_send(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """draft → requested: refresh the brag sheet, issue the writer link, email the writer."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = request_lock(letter_request)
        if req.status != LetterStatus.DRAFT:
            raise InvalidTransition()
        if req.due_date < clock.provider_today():
            raise ValidationFailed(errors={"due_date": [str(MSG_DUE_PAST)]})
        attachments = list(req.attachments.select_related("type").filter(is_current=True))
        req.brag_sheet = brag_sheet_build(
            applicant=actor,
            application=req.application,
            notes=req.brag_notes,
            attachments=attachments,
        )
        req.status = LetterStatus.REQUESTED
        req.requested_at = clock.now()
        req.remind_applicant_on = None
        link = link_issue(req, revoke_previous=True)
        req.save()
        audit(actor, "letter_request.sent", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_request_writer",
            context=writer_context(req, link),
            reply_to=[req.applicant.email],
        )
    return req


def letter_request_renew_link(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """Issue a new writer link (every earlier one stops working) and email it."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = request_lock(letter_request)
        writer_state_require(req, WRITER_STATES)
        req.writer_link_expires_at = None
        link = link_issue(req, revoke_previous=True)
        req.save(update_fields=["writer_link_expires_at", "updated_at"])
        audit(actor, "letter_request.link_renewed", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_request_writer",
            context={**writer_context(req, link), "renewed": True},
            reply_to=[req.applicant.email],
        )
    return req


def letter_request_withdraw(
    *, actor: User, letter_request: LetterRequest, reason: str = "", ip: str | None = None
) -> LetterRequest:
    """Withdraw: links die, program assignments go, the writer is told (if it was sent)."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = request_lock(letter_request)
        if req.status not in WITHDRAWABLE_STATES:
            raise InvalidTransition()
        was_sent = req.status != LetterStatus.DRAFT
        req.status = LetterStatus.WITHDRAWN
        req.withdrawn_at = clock.now()
        req.withdraw_reason = reason.strip()[:2000]
        links_kill(req)
        req.save()
        LetterAssignment.objects.filter(letter__request=req).delete()
        audit(actor, "letter_request.withdrawn", req, {"had_been_sent": was_sent}, ip)
        if was_sent:
            email_send(
                to=[req.writer_email],
                template="letter_withdrawn_writer",
                context={"req": req, "applicant_name": req.applicant.get_full_name()},
            )
    return req


def letter_request_nudge(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """A friendly reminder from the applicant: only once a nudge interval (7 days) has
    passed since the request was sent or since the last reminder.

    Compare-and-set on `last_nudged_at`, so two quick clicks send one email. Raises
    `RateLimited` inside the interval and `InvalidTransition` unless the request waits for
    the writer.
    """
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    now = clock.now()
    with transaction.atomic():
        req = request_lock(letter_request)
        if req.status not in WAITING_STATES:
            raise InvalidTransition()
        allowed_at = conf.next_nudge_at(req.requested_at, req.last_nudged_at)
        if allowed_at is not None and allowed_at > now:
            next_at = timezone.localtime(allowed_at)
            raise RateLimited(
                MSG_NUDGE_WAIT % {"date": next_at.strftime("%b %d, %Y")},
                extra={"retry_after": next_at.isoformat()},
            )
        req.last_nudged_at = now
        link = link_issue(req, revoke_previous=False)
        req.save(update_fields=["last_nudged_at", "writer_link_expires_at", "updated_at"])
        audit(actor, "letter_request.nudged", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_nudge_writer",
            context=writer_context(req, link),
            reply_to=[req.applicant.email],
        )
    return req


# --- writer actions ------------------------------------------------------------------------


def letter_request_record_view(
    *, actor: Viewer, letter_request: LetterRequest, action: str, ip: str | None = None
) -> None:
    """Audit a page view or download (views, the API and token pages all call this)."""
    audit(actor, action, letter_request, {}, ip)
