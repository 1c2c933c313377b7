"""Security events into the audit log (docs/dev/audit.md). Receivers only record; no flow.

Never put passwords, tokens or codes into `data`: failed sign-ins record only whether the
account exists, never the submitted credentials.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_changed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from matchway.core.audit import audit_record


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.signed_in", target=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action="account.signed_out", target=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # credentials are already scrubbed by Django, but record none of them anyway.
    audit_record(actor=None, action="account.sign_in_failed", data={}, request=request)


@receiver(password_changed, dispatch_uid="audit_password_changed")
def _password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.password_changed", target=user, request=request)


@receiver(password_reset, dispatch_uid="audit_password_reset")
def _password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.password_reset", target=user, request=request)


@receiver(email_changed, dispatch_uid="audit_email_changed")
def _email_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action="account.email_changed", target=user, request=request)


@receiver(authenticator_added, dispatch_uid="audit_authenticator_added")
def _mfa_added(sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any) -> None:
    audit_record(
        actor=user,
        action="account.second_factor_added",
        target=user,
        data={"type": authenticator.type},
        request=request,
    )


@receiver(authenticator_removed, dispatch_uid="audit_authenticator_removed")
def _mfa_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kw: Any
) -> None:
    audit_record(
        actor=user,
        action="account.second_factor_removed",
        target=user,
        data={"type": authenticator.type},
        request=request,
    )
