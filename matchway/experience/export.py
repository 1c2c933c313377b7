"""Personal-data export hook: journal, attendance, evaluations the person may see (current
versions, through the rotation record), certificates and ERAS experience drafts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from matchway.accounts.models import User
from matchway.core.privacy import ExportFile, model_row

from .models import (
    AttendanceRecord,
    Certificate,
    ErasExperienceDraft,
    ErasExperienceDraftVersion,
    Evaluation,
    JournalComment,
    JournalEntry,
    RenderState,
)
from .selectors import rotation_records_for_applicant

# What the applicant may see. Never the confidential part (`models.CONFIDENTIAL_FIELDS`):
# the records are read as the applicant, which blanks it, and it is not listed here either.
EVALUATION_FIELDS = (
    "kind",
    "phase",
    "ratings",
    "strengths",
    "areas_to_grow",
    "would_write_letter",
    "submitted_at",
)


def _evaluation(current: Evaluation, evaluator: str, application_id: int) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "evaluator": evaluator,
        "is_addendum": current.addendum_to_id is not None,
        **{name: getattr(current, name) for name in EVALUATION_FIELDS},
    }


def _certificates(user: User) -> list[Certificate]:
    return list(Certificate.objects.filter(application__applicant=user).order_by("issued_at", "pk"))


def _certificate_arcname(certificate: Certificate) -> str:
    return f"files/certificates/{certificate.number}.pdf"


def _has_pdf(certificate: Certificate) -> bool:
    return bool(certificate.pdf) and certificate.render_state == RenderState.DONE


def export(user: User) -> dict[str, Any]:
    journal = (
        JournalEntry.objects.filter(application__applicant=user)
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=JournalComment.objects.select_related("author").order_by("created_at"),
            )
        )
        .order_by("entry_date", "pk")
    )
    attendance = AttendanceRecord.objects.filter(application__applicant=user).order_by("day")
    drafts = (
        ErasExperienceDraft.objects.filter(application__applicant=user)
        .prefetch_related(
            Prefetch("versions", queryset=ErasExperienceDraftVersion.objects.order_by("number"))
        )
        .order_by("pk")
    )
    evaluations = [
        _evaluation(e.current, e.evaluator_label, record.application.pk)
        for record in rotation_records_for_applicant(user, viewer=user)
        for e in record.evaluations
    ]
    return {
        "journal": [
            {
                **model_row(entry),
                "comments": [
                    {"author": c.author.full_name, "body": c.body, "created_at": c.created_at}
                    for c in entry.comments.all()
                ],
            }
            for entry in journal
        ],
        "attendance": [model_row(a, exclude={"confirmed_by"}) for a in attendance],
        "evaluations": evaluations,
        "certificates": [
            {
                **model_row(
                    c,
                    exclude={"issued_by", "revoked_by", "render_error", "render_claimed_at"},
                ),
                "file": _certificate_arcname(c) if _has_pdf(c) else None,
            }
            for c in _certificates(user)
        ],
        "eras_drafts": [
            {
                "application_id": d.application_id,
                "versions": [
                    model_row(v, exclude={"draft", "created_by"}) for v in d.versions.all()
                ],
            }
            for d in drafts
        ],
    }


def files(user: User) -> list[ExportFile]:
    return [
        (_certificate_arcname(c), c.pdf.storage, c.pdf.name)
        for c in _certificates(user)
        if _has_pdf(c)
    ]
