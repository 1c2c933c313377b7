"""Personal-data export hook: the account, the profile and API tokens (never their digest)."""

from __future__ import annotations

from typing import Any

from matchway.core.privacy import model_row

from .models import ApiToken, ApplicantProfile, PreceptorProfile, User


def export(user: User) -> dict[str, Any]:
    applicant = ApplicantProfile.objects.filter(user=user).first()
    preceptor = PreceptorProfile.objects.filter(user=user).first()
    tokens = ApiToken.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "account": {
            "user": model_row(user, exclude={"password", "is_superuser", "is_staff"}),
            "applicant_profile": model_row(applicant, exclude={"user"}) if applicant else None,
            "preceptor_profile": model_row(preceptor, exclude={"user"}) if preceptor else None,
            "api_tokens": [model_row(t, exclude={"user", "digest"}) for t in tokens],
        }
    }
