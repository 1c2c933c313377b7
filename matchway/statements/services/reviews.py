"""Reviewer invitations (one version, expiring secret link) and their comments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    InvalidTransition,
    NotFound,
    PhiDetected,
    RateLimited,
    ValidationFailed,
)
from matchway.core.links import absolute_url
from matchway.core.locking import lock_for_update
from matchway.core.tokens import token_issue, token_revoke_for
from matchway.phi.guard import phi_scan_fields

from ..models import ReviewComment, ReviewInvitation, StatementVersion
from ..selectors import REVIEW_TOKEN_PURPOSE, REVIEW_TOKEN_STATE, find_quote
from .common import check_editable, check_owner

MAX_COMMENT_CHARS = 4000
MAX_QUOTE_CHARS = 2000
REVIEW_DAYS_DEFAULT = 14
REVIEW_DAYS_CHOICES = (7, 14, 30)
# Emails go to addresses the applicant types: cap how many one person can trigger.
MAX_INVITATIONS_PER_DAY = 20
MAX_COMMENTS_PER_INVITATION = 300

MSG_QUOTE_NOT_FOUND = _(
    "We could not find that text in the statement. Copy a short passage exactly as it is "
    "written, or leave the quote empty for a general comment."
)
MSG_COMMENT_EMPTY = _("Write your comment.")
MSG_COMMENT_TOO_LONG = _("A comment can be at most %(max)s characters.")
MSG_INVITE_SELF = _("You cannot invite yourself; invite a preceptor, adviser or friend.")
MSG_INVITE_EMAIL = _("Enter the reviewer's email address.")
MSG_INVITE_NAME = _("Enter the reviewer's name.")
MSG_INVITE_LIMIT = _("You have sent many invitations today. Please try again tomorrow.")
MSG_COMMENT_LIMIT = _("This review already has the maximum number of comments.")
MSG_NO_TEXT = _("Write something first: there is no text to share yet.")


def _review_link(raw: str) -> str:
    return absolute_url("statements:review", raw)


def _send_invitation(invitation: ReviewInvitation, raw: str, actor: User) -> None:
    version = invitation.version
    statement = version.statement
    email_send(
        to=[invitation.reviewer_email],
        template="statement_review_invite",
        context={
            "invitation": invitation,
            "applicant_name": actor.get_full_name(),
            # Never the statement's title: ERAS titles are private to the applicant.
            "specialty": statement.specialty.name if statement.specialty else "",
            "version": version,
            "link": _review_link(raw),
        },
        reply_to=[actor.email],
    )


def review_invitation_create(
    *,
    actor: User,
    version: StatementVersion,
    email: str = "",
    name: str = "",
    reviewer: User | None = None,
    message: str = "",
    days: int = REVIEW_DAYS_DEFAULT,
    ip: str | None = None,
) -> ReviewInvitation:
    """Invite someone to review exactly this version through an expiring link.

    The reviewer is a known user (`reviewer`, e.g. a preceptor from the applicant's
    rotations) or anyone by `email`; an email that belongs to an account is linked to it,
    so the person also finds the review when signed in. The link is emailed after commit
    (reply-to: the applicant). Raises NotFound, InvalidTransition (archived),
    ValidationFailed (`PhiDetected` for a message with patient identifiers), RateLimited.
    """
    statement = version.statement
    check_owner(actor, statement)
    check_editable(statement)
    if not version.body.strip():
        raise ValidationFailed(MSG_NO_TEXT)
    if reviewer is not None:
        email, name = reviewer.email, name.strip() or reviewer.get_full_name()
    email = email.strip().lower()
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not email:
        errors["email"] = [str(MSG_INVITE_EMAIL)]
    elif email == actor.email.lower():
        errors["email"] = [str(MSG_INVITE_SELF)]
    if not name:
        errors["name"] = [str(MSG_INVITE_NAME)]
    # The message goes to the reviewer by email: no patient identifiers. The two people
    # (and other physicians the applicant mentions) are not findings.
    phi = phi_scan_fields(
        {"message": message},
        parties=[name, actor.get_full_name()],
        known=[email, actor.email],
        physicians=True,
    )
    if errors:
        errors.update(PhiDetected(phi).errors if phi else {})
        raise ValidationFailed(errors=errors)
    PhiDetected.raise_if(phi)
    since = clock.now() - timedelta(days=1)
    if (
        ReviewInvitation.objects.filter(invited_by=actor, created_at__gte=since).count()
        >= MAX_INVITATIONS_PER_DAY
    ):
        raise RateLimited(MSG_INVITE_LIMIT)
    if reviewer is None:
        reviewer = User.objects.filter(email__iexact=email, is_active=True).first()
    days = days if days in REVIEW_DAYS_CHOICES else REVIEW_DAYS_DEFAULT
    ttl = timedelta(days=days)
    with transaction.atomic():
        invitation = ReviewInvitation.objects.create(
            version=version,
            invited_by=actor,
            reviewer=reviewer,
            reviewer_email=email,
            reviewer_name=name[:150],
            message=message.strip()[:2000],
            expires_at=clock.now() + ttl,
        )
        issued = token_issue(
            purpose=REVIEW_TOKEN_PURPOSE, target=invitation, ttl=ttl, state=REVIEW_TOKEN_STATE
        )
        _send_invitation(invitation, issued.raw, actor)
        audit_record(
            actor=actor,
            action="statement_review.invited",
            target=invitation,
            data={
                "statement": statement.pk,
                "version": version.number,
                "reviewer": reviewer.pk if reviewer else None,
                "days": days,
            },
            ip=ip,
        )
    return invitation


def review_invitation_resend(
    *, actor: User, invitation: ReviewInvitation, ip: str | None = None
) -> ReviewInvitation:
    """Email a fresh link (the old one stops working) valid for REVIEW_DAYS_DEFAULT days."""
    check_owner(actor, invitation.version.statement)
    if invitation.revoked_at is not None:
        raise InvalidTransition()
    ttl = timedelta(days=REVIEW_DAYS_DEFAULT)
    with transaction.atomic():
        invitation.expires_at = clock.now() + ttl
        invitation.save(update_fields=["expires_at"])
        issued = token_issue(
            purpose=REVIEW_TOKEN_PURPOSE, target=invitation, ttl=ttl, state=REVIEW_TOKEN_STATE
        )
        _send_invitation(invitation, issued.raw, actor)
        audit_record(actor=actor, action="statement_review.resent", target=invitation, ip=ip)
    return invitation


def review_invitation_revoke(
    *, actor: User, invitation: ReviewInvitation, ip: str | None = None
) -> bool:
    """Kill the reviewer's link at once. Compare-and-set; comments already made stay."""
    check_owner(actor, invitation.version.statement)
    now = clock.now()
    with transaction.atomic():
        updated = ReviewInvitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        token_revoke_for(purpose=REVIEW_TOKEN_PURPOSE, target=invitation)
        if updated:
            invitation.revoked_at = now
            audit_record(actor=actor, action="statement_review.revoked", target=invitation, ip=ip)
    return bool(updated)


def review_invitation_viewed(
    *, invitation: ReviewInvitation, viewer: Any = None, ip: str | None = None
) -> None:
    """Record that the reviewer opened the version (every view is audited)."""
    now = clock.now()
    if invitation.first_viewed_at is None:
        ReviewInvitation.objects.filter(pk=invitation.pk, first_viewed_at__isnull=True).update(
            first_viewed_at=now
        )
        invitation.first_viewed_at = now
    audit_record(
        actor=viewer,
        action="statement_review.viewed",
        target=invitation,
        data={"reviewer_email": invitation.reviewer_email, "version": invitation.version.number},
        ip=ip,
    )


def _author_name(invitation: ReviewInvitation, author: Any) -> str:
    if isinstance(author, User) and author.is_authenticated:
        return author.get_full_name() or invitation.reviewer_name
    return invitation.reviewer_name


def review_comment_add(
    *,
    invitation: ReviewInvitation,
    author: Any,
    body: str,
    quote: str = "",
    start: int | None = None,
    end: int | None = None,
    ip: str | None = None,
) -> ReviewComment:
    """A reviewer's comment on the invited version, anchored to a text range.

    The range comes from a selection (`start`/`end`, checked against the version's text)
    or from a pasted `quote` (no JavaScript): found exactly, then ignoring whitespace and
    typography. No quote and no range: a general comment. Raises ValidationFailed,
    NotFound for a dead invitation.
    """
    if not invitation.is_live:
        raise NotFound()
    body = body.strip()
    if not body:
        raise ValidationFailed(errors={"body": [str(MSG_COMMENT_EMPTY)]})
    if len(body) > MAX_COMMENT_CHARS:
        message = str(MSG_COMMENT_TOO_LONG % {"max": MAX_COMMENT_CHARS})
        raise ValidationFailed(errors={"body": [message]})
    # The applicant reads every comment: refuse possible patient identifiers first.
    PhiDetected.raise_if(phi_scan_fields({"body": body}))
    text = invitation.version.body
    anchor_start: int | None = None
    anchor_end: int | None = None
    if start is not None and end is not None and 0 <= start < end <= len(text):
        selected = text[start:end]
        if not quote.strip() or " ".join(quote.split()) == " ".join(selected.split()):
            # Trim the selection to its text: a double-click often takes a trailing space.
            anchor_start = start + (len(selected) - len(selected.lstrip()))
            anchor_end = end - (len(selected) - len(selected.rstrip()))
    if anchor_start is None and quote.strip():
        found = find_quote(text, quote[: MAX_QUOTE_CHARS * 2], hint=start or 0)
        if not found.found:
            raise ValidationFailed(errors={"quote": [str(MSG_QUOTE_NOT_FOUND)]})
        anchor_start, anchor_end = found.start, found.end
    if anchor_start is not None and anchor_end is not None:
        anchor_end = min(anchor_end, anchor_start + MAX_QUOTE_CHARS)
    quoted = text[anchor_start:anchor_end] if anchor_start is not None else ""
    with transaction.atomic():
        locked = lock_for_update(ReviewInvitation, [invitation.pk])
        if not locked or invitation.comments.count() >= MAX_COMMENTS_PER_INVITATION:
            raise ValidationFailed(MSG_COMMENT_LIMIT)
        comment = ReviewComment.objects.create(
            invitation=invitation,
            version=invitation.version,
            author=author if isinstance(author, User) and author.is_authenticated else None,
            author_name=_author_name(invitation, author)[:150],
            anchor_start=anchor_start,
            anchor_end=anchor_end,
            quote=quoted,
            body=body,
        )
        audit_record(
            actor=author,
            action="statement_comment.created",
            target=comment,
            data={"invitation": invitation.pk, "reviewer_email": invitation.reviewer_email},
            ip=ip,
        )
    return comment


def review_invitation_complete(
    *, invitation: ReviewInvitation, author: Any, ip: str | None = None
) -> bool:
    """The reviewer says they are done: the applicant gets one email. Compare-and-set."""
    if not invitation.is_live:
        raise NotFound()
    now = clock.now()
    with transaction.atomic():
        updated = ReviewInvitation.objects.filter(
            pk=invitation.pk, completed_at__isnull=True
        ).update(completed_at=now)
        if not updated:
            return False  # race: already completed (double click, two tabs)
        invitation.completed_at = now
        statement = invitation.version.statement
        applicant = statement.applicant
        email_send(
            to=[applicant.email],
            template="statement_review_done",
            context={
                "applicant_name": applicant.get_short_name(),
                "reviewer_name": invitation.reviewer_name,
                "version": invitation.version,
                "comment_count": invitation.comments.count(),
                "link": absolute_url("statements:reviews", statement.pk),
            },
        )
        audit_record(actor=author, action="statement_review.completed", target=invitation, ip=ip)
    return True


def review_comment_resolve(*, actor: User, comment: ReviewComment, ip: str | None = None) -> bool:
    check_owner(actor, comment.version.statement)
    now = clock.now()
    updated = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    if updated:
        comment.resolved_at, comment.resolved_by = now, actor
        audit_record(actor=actor, action="statement_comment.resolved", target=comment, ip=ip)
    return bool(updated)


def review_comment_reopen(*, actor: User, comment: ReviewComment, ip: str | None = None) -> bool:
    check_owner(actor, comment.version.statement)
    updated = ReviewComment.objects.filter(pk=comment.pk, resolved_at__isnull=False).update(
        resolved_at=None, resolved_by=None
    )
    if updated:
        comment.resolved_at, comment.resolved_by = None, None
        audit_record(actor=actor, action="statement_comment.reopened", target=comment, ip=ip)
    return bool(updated)
