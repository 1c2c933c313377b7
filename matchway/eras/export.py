"""Personal-data export hook: the applicant's ERAS season (own programs with requirements,
targets, their status history and interviews). The shared list is not personal data."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from matchway.accounts.models import User
from matchway.core.privacy import model_row

from .models import Interview, Program, ProgramRequirement, ProgramTarget, TargetStatusChange


def export(user: User) -> dict[str, Any]:
    programs = (
        Program.objects.filter(owner=user)
        .prefetch_related(
            Prefetch("requirements", queryset=ProgramRequirement.objects.order_by("kind", "pk"))
        )
        .order_by("created_at", "pk")
    )
    targets = (
        ProgramTarget.objects.filter(applicant=user)
        .prefetch_related(
            Prefetch("changes", queryset=TargetStatusChange.objects.order_by("changed_at", "pk")),
            Prefetch("interviews", queryset=Interview.objects.order_by("starts_at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    return {
        "eras": {
            "programs": [
                {
                    **model_row(p, exclude={"owner"}),
                    "requirements": [
                        model_row(r, exclude={"program"}) for r in p.requirements.all()
                    ],
                }
                for p in programs
            ],
            "targets": [
                {
                    **model_row(t, exclude={"applicant"}),
                    "status_changes": [model_row(c, exclude={"target"}) for c in t.changes.all()],
                    "interviews": [model_row(i, exclude={"target"}) for i in t.interviews.all()],
                }
                for t in targets
            ],
        }
    }
