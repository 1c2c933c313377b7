from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from matchway.core import clock

from .models import User


def current_user(request: HttpRequest) -> User:
    """The signed-in user, typed. Views behind login_required/role_required call this."""
    user = getattr(request, "auth", None) or request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user


def second_factor_needed(request: HttpRequest) -> bool:
    """True when the user has TOTP on but has not re-entered a code recently.

    allauth's `reauthentication_required` accepts the password alone even when a second
    factor is set up; for the most sensitive steps (creating an API token, which outlives
    the session) we also want the code, within the same ACCOUNT_REAUTHENTICATION_TIMEOUT.
    """
    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import get_authentication_records
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    user = request.user
    if not user.is_authenticated or not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        return False
    # allauth stores epoch seconds ("at"); the one clock gives the same instant.
    horizon = clock.now().timestamp() - account_settings.REAUTHENTICATION_TIMEOUT
    return not any(
        record.get("method") == "mfa" and record.get("reauthenticated") and record["at"] > horizon
        for record in get_authentication_records(request, user)
    )
