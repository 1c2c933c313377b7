"""Account writes: API tokens, invitations, profiles. Each write is audited.

The code lives in `accounts`; this package re-exports what other modules import.
"""

from .accounts import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    api_token_revoke_all,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_resend,
    profile_ensure,
)
from .erasure import account_erase, account_erasure_request
from .people import account_deactivate, account_reactivate, sessions_end_for
from .privacy import account_export_collect, account_export_response, account_export_write

__all__ = [
    "account_deactivate",
    "account_erase",
    "account_erasure_request",
    "account_export_collect",
    "account_export_response",
    "account_export_write",
    "account_reactivate",
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "api_token_revoke_all",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_resend",
    "profile_ensure",
    "sessions_end_for",
]
