"""Account erasure hook: profiles, tokens, allauth's addresses and authenticators, and the
invitation that named the person. The User row itself is handled by `account_erase`."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from .models import ApiToken, ApplicantProfile, Invitation, PreceptorProfile, User


def erase(user: User) -> dict[str, int]:
    counts = {
        "applicant_profile": ApplicantProfile.objects.filter(user=user).delete()[0],
        "preceptor_profile": PreceptorProfile.objects.filter(user=user).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=user).delete()[0],
        "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
        "authenticators": Authenticator.objects.filter(user=user).delete()[0],
    }
    counts["invitations"] = Invitation.objects.filter(accepted_user=user).update(
        email=f"deleted-{user.pk}@invalid", full_name=""
    )
    return counts
