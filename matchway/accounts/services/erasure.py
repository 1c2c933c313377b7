"""Account deletion: every app erases its part (`erasure.py`), then the User row is
anonymised. What stays, and why, is in docs/dev/privacy.md."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from matchway.core.audit import audit_record
from matchway.core.discovery import erasure_hooks
from matchway.core.privacy import pseudonym
from matchway.core.tasks import enqueue_on_commit

from ..models import User

DELETED_NAME = "Deleted user"


def account_erasure_request(*, user: User, request: HttpRequest | None = None) -> None:
    """The person asked to be deleted (after re-authenticating): audit it, lock the account
    at once (no new sign-in) and erase in a task once this transaction commits."""
    from ..tasks import account_erase_task

    with transaction.atomic():
        audit_record(actor=user, action="privacy.erasure_requested", target=user, request=request)
        User.objects.filter(pk=user.pk).update(is_active=False)
        enqueue_on_commit(account_erase_task, user.pk)


def account_erase(*, user_id: int, actor: Any | None = None) -> dict[str, Any]:
    """Erase one person in one transaction (idempotent: an erased user erases to nothing).

    Each app's `erase(user)` runs (reverse INSTALLED_APPS order), then the User row gets
    `deleted-<id>@invalid`, "Deleted user", an unusable password and is_active False. The
    row stays: applications (money, seats), certificates and audit events point at it.
    Audited as `privacy.erased` under the pseudonym. Files are deleted after the commit.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        counts: dict[str, Any] = {}
        for module in erasure_hooks():
            counts[module.__name__.split(".")[1]] = module.erase(user)
        user.email = f"deleted-{user.pk}@invalid"
        user.full_name = DELETED_NAME
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.save()
        audit_record(
            actor=actor if actor is not None and actor.pk != user.pk else None,
            action="privacy.erased",
            data={"user": pseudonym(user.pk), "counts": counts},
        )
    return counts
