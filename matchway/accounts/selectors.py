from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from .models import ApplicantProfile, PreceptorProfile, User


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]


def profile_completeness(profile: ApplicantProfile | PreceptorProfile | None) -> Completeness:
    if profile is None:
        return Completeness(percent=100, missing=[])
    fields = profile.COMPLETENESS_FIELDS
    missing: list[str] = []
    for name in fields:
        field = profile._meta.get_field(name)
        value = getattr(profile, name)
        if value in (None, "", []):
            missing.append(str(getattr(field, "verbose_name", name)))
    if (
        isinstance(profile, ApplicantProfile)
        and profile.pk
        and not profile.target_specialties.exists()
    ):
        missing.append("target specialties")
        total = len(fields) + 1
    else:
        total = len(fields) + (1 if isinstance(profile, ApplicantProfile) else 0)
    percent = round(100 * (total - len(missing)) / total) if total else 100
    return Completeness(percent=percent, missing=missing)


def user_list_by_role(role: str) -> models.QuerySet[User]:
    return User.objects.filter(role=role, is_active=True).order_by("full_name")


def people_list(*, role: str = "", q: str = "", status: str = "") -> models.QuerySet[User]:
    """Everyone with an account, by name, for the coordinators' people page.

    `role` one of Role's values (else everyone), `q` matches name or email, `status`
    "active" or "inactive" (else both).
    """
    qs = User.objects.all()
    if role:
        qs = qs.filter(role=role)
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs.order_by("full_name", "email", "pk")
