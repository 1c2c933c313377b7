"""Account writes: API tokens, invitations, profiles. Each write is audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.links import absolute_url
from matchway.core.tokens import token_consume, token_issue, token_resolve, token_revoke_for

from ..models import (
    ApiToken,
    ApiTokenScope,
    ApplicantProfile,
    Invitation,
    PreceptorProfile,
    Role,
    User,
)

INVITATION_PURPOSE = "invitation"
MSG_INVITE_EXISTS = _("Someone with this email address already has an account.")
MSG_INVITE_ACCEPTED = _("This invitation was already accepted.")
# Touching last_used_at on every request would turn every API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _api_token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(
    *,
    user: User,
    name: str,
    scope: str = ApiTokenScope.WRITE,
    expires_at: datetime | None = None,
    actor: User | None = None,
) -> tuple[str, ApiToken]:
    """Create a personal API token; the raw value is returned once and never stored.

    The defaults (read-write, no expiry) serve tests and scripts; the web form and the
    `create_api_token` command offer read-only for 90 days first. Audits
    `api_token.created` with the scope and expiry.
    """
    name = name.strip()[:100] or "API token"
    if scope not in ApiTokenScope.values:
        raise ValidationFailed(errors={"scope": [str(_("Choose read only or read and write."))]})
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        digest=_api_token_digest(raw),
        scope=scope,
        expires_at=expires_at,
    )
    audit_record(
        actor=actor or user,
        action="api_token.created",
        target=token,
        data={
            "name": name,
            "scope": scope,
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return raw, token


def api_token_authenticate(raw: str, *, ip: str | None = None) -> ApiToken | None:
    """The active, unexpired token for `raw` whose owner is active, or None.

    Writes only now and then: `last_used_at` at most once per LAST_USED_RESOLUTION, the
    address when it changes, and one `api_token.first_use_from_new_ip` audit event the
    first time an address not among the token's recent ones uses it. Two simultaneous
    first uses from one new address may both be audited; that errs on the side of noise.
    """
    if not raw or len(raw) > 200:
        return None
    now = clock.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_api_token_digest(raw), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    changes: dict[str, Any] = {}
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        changes["last_used_at"] = now
    if ip and ip != token.last_used_ip:
        recent = [a for a in token.recent_ips if a != ip]
        changes["last_used_ip"] = ip
        changes["recent_ips"] = [*recent, ip][-ApiToken.RECENT_IPS_KEPT :]
        if len(recent) == len(token.recent_ips):
            audit_record(
                actor=token.user,
                action="api_token.first_use_from_new_ip",
                target=token,
                data={"scope": token.scope},
                ip=ip,
            )
    if changes:
        ApiToken.objects.filter(pk=token.pk).update(**changes)
        for field, value in changes.items():
            setattr(token, field, value)
    return token


def api_token_revoke(*, actor: User, token: ApiToken, reason: str = "") -> None:
    if token.user_id != actor.pk:
        raise AccessDenied()
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            data={"reason": reason} if reason else None,
        )


def api_token_revoke_all(*, user: User, reason: str, ip: str | None = None) -> int:
    """Revoke every unrevoked token of `user` (after a password change or reset).

    One `api_token.revoked` event per token, with `reason`; runs in its own atomic block
    (or the caller's). Returns how many were revoked.
    """
    now = clock.now()
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        )
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
        for token in tokens:
            token.revoked_at = now
            audit_record(
                actor=user,
                action="api_token.revoked",
                target=token,
                data={"reason": reason},
                ip=ip,
            )
    return len(tokens)


def profile_ensure(user: User) -> ApplicantProfile | PreceptorProfile | None:
    if user.role == Role.APPLICANT:
        return ApplicantProfile.objects.get_or_create(user=user)[0]
    if user.role == Role.PRECEPTOR:
        return PreceptorProfile.objects.get_or_create(user=user)[0]
    return None


def invitation_create(*, actor: User, email: str, full_name: str, role: str) -> Invitation:
    """Invite a preceptor or coordinator. Sends the link after commit.

    Raises AccessDenied unless the actor is a coordinator, ValidationFailed for an email
    that already has an account or a role that cannot be invited.
    """
    if not actor.is_coordinator:
        raise AccessDenied()
    email = email.strip().lower()
    if role not in (Role.PRECEPTOR, Role.COORDINATOR):
        raise ValidationFailed(errors={"role": [str(_("Choose preceptor or coordinator."))]})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationFailed(errors={"email": [str(MSG_INVITE_EXISTS)]})
    ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            role=role,
            invited_by=actor,
            expires_at=clock.now() + ttl,
        )
        issued = token_issue(purpose=INVITATION_PURPOSE, target=invitation, ttl=ttl, state="open")
        link = absolute_url("accounts:invitation-accept", issued.raw)
        audit_record(
            actor=actor, action="invitation.created", target=invitation, data={"role": role}
        )
        email_send(
            to=[email],
            template="invitation",
            context={"invitation": invitation, "link": link, "inviter": actor},
        )
    return invitation


def invitation_resend(*, actor: User, invitation: Invitation) -> Invitation:
    """Send a pending invitation again with a new link (after a lost or failed email).

    Call outside a transaction or inside one; it writes in its own atomic block. Raises
    AccessDenied unless the actor is a coordinator, InvalidTransition once the invitation
    was accepted. Revokes the old link, issues a new one for a fresh INVITATION_TTL_DAYS,
    moves `expires_at`, audits `invitation.resent`, and emails the link (outbox, on commit).
    """
    if not actor.is_coordinator:
        raise AccessDenied()
    ttl = timedelta(days=settings.INVITATION_TTL_DAYS)
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvalidTransition(MSG_INVITE_ACCEPTED)
        token_revoke_for(purpose=INVITATION_PURPOSE, target=locked)
        locked.expires_at = clock.now() + ttl
        locked.save(update_fields=["expires_at"])
        issued = token_issue(purpose=INVITATION_PURPOSE, target=locked, ttl=ttl, state="open")
        link = absolute_url("accounts:invitation-accept", issued.raw)
        audit_record(actor=actor, action="invitation.resent", target=locked)
        email_send(
            to=[locked.email],
            template="invitation",
            context={"invitation": locked, "link": link, "inviter": actor},
        )
    return locked


def invitation_from_token(raw: str) -> Invitation | None:
    record = token_resolve(raw, purpose=INVITATION_PURPOSE, state="open")
    if record is None:
        return None
    invitation = Invitation.objects.filter(pk=record.target_id, accepted_at__isnull=True).first()
    return invitation


def invitation_accept(*, raw_token: str, password: str, full_name: str = "") -> User:
    """Create the invited account. Single use: the token is consumed compare-and-set."""
    record = token_resolve(raw_token, purpose=INVITATION_PURPOSE, state="open")
    if record is None:
        raise ValidationFailed(_("This invitation link is no longer valid."))
    invitation = Invitation.objects.get(pk=record.target_id)
    candidate = User(email=invitation.email, full_name=full_name or invitation.full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise ValidationFailed(errors={"password": list(exc.messages)}) from exc
    with transaction.atomic():
        if not token_consume(record):
            # race: another request accepted the same link first
            raise ValidationFailed(_("This invitation link is no longer valid."))
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationFailed(errors={"email": [str(MSG_INVITE_EXISTS)]})
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name.strip() or invitation.full_name,
            role=invitation.role,
        )
        from allauth.account.models import EmailAddress

        # The invitation reached this mailbox, so the address is verified.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        invitation.accepted_at = clock.now()
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        profile_ensure(user)
        audit_record(actor=user, action="invitation.accepted", target=invitation)
    return user
