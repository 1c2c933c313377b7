"""Reads for the season part: the applicant's targets, interviews and rank list."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import QuerySet

from .models import Interview, ProgramTarget, TargetStatus

# Targets that count as applications for the fee estimate: everything past "considering"
# except a withdrawal before applying is impossible to tell apart, so withdrawn counts too
# (ERAS never refunds a sent application).
NOT_APPLIED = (TargetStatus.CONSIDERING,)
RANKABLE = (
    TargetStatus.INTERVIEWED,
    TargetStatus.RANKED,
    TargetStatus.INTERVIEW_SCHEDULED,
)


def target_counts_by_specialty(*, user: Any, season: str) -> list[tuple[str, int]]:
    """[(specialty code, targets)] for the fee form: every target of the season, so the
    estimate covers the whole list the applicant is weighing."""
    codes = ProgramTarget.objects.filter(applicant=user, season=season).values_list(
        "program__specialty_id", flat=True
    )
    return sorted(Counter(codes).items())


def target_get_for_user(*, user: Any, pk: int) -> ProgramTarget | None:
    return (
        ProgramTarget.objects.filter(applicant=user, pk=pk)
        .select_related("program__specialty")
        .first()
    )


def interviews_for_user(*, user: Any, season: str | None = None) -> QuerySet[Interview]:
    qs = Interview.objects.filter(target__applicant=user).select_related(
        "target__program__specialty"
    )
    if season:
        qs = qs.filter(target__season=season)
    return qs.order_by("starts_at", "pk")


def interview_get_for_user(*, user: Any, pk: int) -> Interview | None:
    return interviews_for_user(user=user).filter(pk=pk).first()


def targets_for_interviews(*, user: Any, season: str) -> QuerySet[ProgramTarget]:
    return (
        ProgramTarget.objects.filter(applicant=user, season=season)
        .exclude(status__in=[TargetStatus.REJECTED, TargetStatus.WITHDRAWN])
        .select_related("program")
        .order_by("program__name", "pk")
    )
