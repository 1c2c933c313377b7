"""accounts views

The code lives in `accounts`; this package re-exports what other modules import.
"""

from .accounts import (
    api_token_revoke_view,
    api_tokens,
    delete_view,
    export_view,
    invitation_accept_view,
    invitation_resend_view,
    invitations,
    profile,
)
from .consent import consent_view
from .people import people, person_deactivate, person_reactivate
from .verification import verification_change, verification_resend

__all__ = [
    "api_token_revoke_view",
    "api_tokens",
    "consent_view",
    "delete_view",
    "export_view",
    "invitation_accept_view",
    "invitation_resend_view",
    "invitations",
    "people",
    "person_deactivate",
    "person_reactivate",
    "profile",
    "verification_change",
    "verification_resend",
]
