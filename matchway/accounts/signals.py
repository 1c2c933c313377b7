"""Security events into the audit log (docs/dev/audit.md). Receivers only record; no flow.

Never put passwords, tokens or codes into `data`: failed sign-ins record only whether the
account exists, never the submitted credentials.

Role and permission changes (`User.role`, `is_staff`, `is_superuser`, `is_active`, groups,
user permissions) are recorded whatever made them, the Django admin included. The actor is
the signed-in user of the current request (allauth's AccountMiddleware keeps it in a
context variable), or None outside a request (shell, commands). `QuerySet.update()` sends
no signals, so code that changes these fields must save the instance to be audited.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import email_changed, password_changed, password_reset
from allauth.core import context as allauth_context
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from matchway.core.audit import audit_record

from .models import User


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


# --- role and permission changes -----------------------------------------------------------

#: Fields whose change is a change of what the account may do.
PRIVILEGE_FIELDS = ("role", "is_staff", "is_superuser", "is_active")


def _request_and_actor() -> tuple[HttpRequest | None, Any]:
    request: HttpRequest | None = allauth_context.request
    user = getattr(request, "user", None)
    return request, user if user is not None and user.is_authenticated else None


@receiver(pre_save, sender=User, dispatch_uid="audit_privileges_before")
def _privileges_before(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(PRIVILEGE_FIELDS):
        return  # e.g. last_login on every sign-in: no extra query
    instance._privileges_before = (  # type: ignore[attr-defined]
        User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="audit_privileges_after")
def _privileges_after(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    before: dict[str, Any] | None = instance.__dict__.pop("_privileges_before", None)
    if created or not before:
        return
    request, actor = _request_and_actor()

    def record(action: str, data: dict[str, Any]) -> None:
        audit_record(actor=actor, action=action, target=instance, data=data, request=request)

    if before["role"] != instance.role:
        record("account.role_changed", {"from": before["role"], "to": instance.role})
    flags = {
        flag: {"from": before[flag], "to": getattr(instance, flag)}
        for flag in ("is_staff", "is_superuser")
        if before[flag] != getattr(instance, flag)
    }
    if flags:
        record("account.permissions_changed", flags)
    if before["is_active"] and not instance.is_active:
        record("account.deactivated", {})
    elif not before["is_active"] and instance.is_active:
        record("account.reactivated", {})


def _labels(model: Any, pks: set[Any]) -> list[str]:
    if model is Group:
        return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))
    return sorted(
        f"{app}.{codename}"
        for app, codename in Permission.objects.filter(pk__in=pks).values_list(
            "content_type__app_label", "codename"
        )
    )


def _membership_changed(
    relation: str, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any
) -> None:
    """Record `account.<relation>_changed` per user, from either side of the relation."""
    if action == "pre_clear":
        # post_clear carries no pk_set: remember what is about to go.
        related = instance.user_set if reverse else getattr(instance, relation)
        instance._cleared_pks = set(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pks = instance.__dict__.pop("_cleared_pks", set())
    else:
        pks = set(pk_set or ())
    if not pks:
        return
    request, actor = _request_and_actor()
    key = "added" if action == "post_add" else "removed"
    other = "removed" if key == "added" else "added"
    if reverse:
        # group.user_set.add(...) / permission.user_set.remove(...): one event per user
        label = (
            instance.name if isinstance(instance, Group) else _labels(Permission, {instance.pk})[0]
        )
        for user in User.objects.filter(pk__in=pks):
            audit_record(
                actor=actor,
                action=f"account.{relation}_changed",
                target=user,
                data={key: [label], other: []},
                request=request,
            )
        return
    audit_record(
        actor=actor,
        action=f"account.{relation}_changed",
        target=instance,
        data={key: _labels(model, pks), other: []},
        request=request,
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_groups_changed")
def _groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kw: Any
) -> None:
    _membership_changed("groups", instance, action, reverse, model, pk_set)


@receiver(
    m2m_changed, sender=User.user_permissions.through, dispatch_uid="audit_permissions_changed"
)
def _user_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, model: Any, pk_set: Any, **kw: Any
) -> None:
    _membership_changed("user_permissions", instance, action, reverse, model, pk_set)
