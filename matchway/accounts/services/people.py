"""Coordinators deactivate and reactivate accounts (the people page, #17).

The `account.deactivated` / `account.reactivated` audit events come from the privilege
receivers in `accounts/signals.py` (actor: the signed-in coordinator of the request), so a
change made here and one made in the Django admin are recorded alike.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.core import clock
from matchway.core.exceptions import AccessDenied, InvalidTransition

from ..models import User

MSG_NOT_YOURSELF = _("You cannot deactivate your own account. Ask another coordinator.")


def sessions_end_for(user: User) -> int:
    """Delete every unexpired session signed in as `user`; returns how many.

    Sessions are database rows without a user column (docs/dev/sessions-and-limits.md), so
    this decodes each live one: fine for a rare, deliberate action such as deactivation.
    """
    key = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=clock.now()).iterator()
        if str(session.get_decoded().get("_auth_user_id", "")) == key
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def account_deactivate(*, actor: User, user: User) -> User:
    """Deactivate `user`: they cannot sign in, their API tokens authenticate as nobody
    (`api_token_authenticate` checks `is_active`) and their open sessions end now.

    Raises AccessDenied unless the actor is a coordinator, InvalidTransition for the
    actor's own account. Deactivating an inactive account changes nothing.
    """
    if not actor.is_coordinator:
        raise AccessDenied()
    if user.pk == actor.pk:
        raise InvalidTransition(MSG_NOT_YOURSELF)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.is_active:
            locked.is_active = False
            locked.save(update_fields=["is_active"])  # audited by accounts.signals
        sessions_end_for(locked)
    return locked


def account_reactivate(*, actor: User, user: User) -> User:
    """Let a deactivated person sign in again (their unexpired API tokens work again)."""
    if not actor.is_coordinator:
        raise AccessDenied()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not locked.is_active:
            locked.is_active = True
            locked.save(update_fields=["is_active"])  # audited by accounts.signals
    return locked
