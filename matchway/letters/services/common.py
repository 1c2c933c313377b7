"""Helpers the letters services share: audit, the request row lock, writer links, email
contexts and the writer checks. Internal to `matchway.letters.services`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import InvalidTransition, NotFound
from matchway.core.links import absolute_url
from matchway.core.locking import lock_for_update
from matchway.core.models import OneTimeToken
from matchway.core.tokens import token_issue, token_revoke_for

from .. import conf
from ..models import LetterRequest, LetterStatus
from ..selectors import TokenViewer, Viewer, specialty_label

MSG_NOT_APPLICANT = gettext_lazy("Only applicants ask for letters.")
MSG_DUE_PAST = gettext_lazy("The due date cannot be in the past.")


def audit(
    actor: Viewer | User | None,
    action: str,
    target: Any,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    payload = dict(data or {})
    user: User | None = None
    if isinstance(actor, TokenViewer):
        payload["via"] = "writer_link"
        payload["token_id"] = actor.token.pk
    elif isinstance(actor, User):
        user = actor
    audit_record(actor=user, action=action, target=target, data=payload, ip=ip)


def request_lock(req: LetterRequest) -> LetterRequest:
    """Re-read the request under a row lock (inside the caller's atomic block)."""
    locked = lock_for_update(LetterRequest, [req.pk]).get(req.pk)
    if locked is None:
        raise NotFound()
    return locked


def link_issue(req: LetterRequest, *, revoke_previous: bool) -> str:
    """A fresh writer link. Renewing kills earlier links; reminders add one beside them."""
    issued = token_issue(
        purpose=conf.TOKEN_PURPOSE,
        target=req,
        ttl=conf.token_ttl(),
        state="writer",
        revoke_previous=revoke_previous,
    )
    expires = issued.record.expires_at
    if req.writer_link_expires_at is None or expires > req.writer_link_expires_at:
        req.writer_link_expires_at = expires
    return absolute_url("letters:write", issued.raw)


def links_kill(req: LetterRequest) -> None:
    token_revoke_for(purpose=conf.TOKEN_PURPOSE, target=req)
    req.writer_link_expires_at = None


def writer_context(req: LetterRequest, link: str) -> dict[str, Any]:
    return {
        "req": req,
        "applicant_name": req.applicant.get_full_name(),
        "specialty": specialty_label(req.specialty_code),
        "link": link,
        "link_expires_at": req.writer_link_expires_at,
        "account_link": (absolute_url("letters:writing-detail", req.pk) if req.writer_id else ""),
        "rotation": req.application.session if req.application_id and req.application else None,
    }


def applicant_context(req: LetterRequest) -> dict[str, Any]:
    # Deliberately no letter, file, size or page count: applicant emails carry status only.
    return {
        "req": req,
        "applicant_name": req.applicant.get_full_name(),
        "specialty": specialty_label(req.specialty_code),
        "detail_link": absolute_url("letters:request-detail", req.pk),
    }


def writer_check(actor: Viewer, req: LetterRequest) -> None:
    """The actor must be this request's writer, with a live link or the right account."""
    if isinstance(actor, TokenViewer):
        token = OneTimeToken.objects.filter(pk=actor.token.pk).first()
        if (
            token is None
            or actor.request_id != req.pk
            or token.used_at is not None
            or token.revoked_at is not None
            or token.expires_at <= clock.now()
        ):
            raise NotFound()
        return
    if isinstance(actor, User) and req.writer_id is not None and actor.pk == req.writer_id:
        if req.status == LetterStatus.DRAFT:
            raise NotFound()
        return
    raise NotFound()


def writer_state_require(req: LetterRequest, states: Sequence[str]) -> None:
    if req.status not in states or req.finalized_at is not None:
        raise InvalidTransition()
