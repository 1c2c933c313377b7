"""Account writes: API tokens, invitations, profiles. Each write is audited.

The code lives in `accounts`; this package re-exports what other modules import.
"""

from .accounts import (
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
    invitation_accept,
    invitation_create,
    invitation_from_token,
    invitation_resend,
    profile_ensure,
)

__all__ = [
    "api_token_authenticate",
    "api_token_create",
    "api_token_revoke",
    "invitation_accept",
    "invitation_create",
    "invitation_from_token",
    "invitation_resend",
    "profile_ensure",
]
