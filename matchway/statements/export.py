"""Personal-data export hook: statements, every version, reviewers and their comments."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from matchway.accounts.models import User
from matchway.core.privacy import model_row

from .models import ReviewComment, ReviewInvitation, Statement, StatementVersion


def export(user: User) -> dict[str, Any]:
    statements = (
        Statement.objects.filter(applicant=user)
        .prefetch_related(
            Prefetch("versions", queryset=StatementVersion.objects.order_by("number")),
            Prefetch(
                "versions__invitations",
                queryset=ReviewInvitation.objects.order_by("created_at", "pk"),
            ),
            Prefetch(
                "versions__comments", queryset=ReviewComment.objects.order_by("created_at", "pk")
            ),
        )
        .order_by("created_at", "pk")
    )
    return {
        "statements": [
            {
                **model_row(s, exclude={"applicant"}),
                "versions": [
                    {
                        **model_row(v, exclude={"statement", "analysis_key"}),
                        "reviewers": [
                            model_row(i, exclude={"version", "invited_by", "reviewer"})
                            for i in v.invitations.all()
                        ],
                        "comments": [
                            model_row(c, exclude={"version", "author", "resolved_by"})
                            for c in v.comments.all()
                        ],
                    }
                    for v in s.versions.all()
                ],
            }
            for s in statements
        ]
    }
