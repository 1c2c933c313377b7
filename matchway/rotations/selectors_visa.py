"""Reads for visa letters: who may see which letter, the coordinators' queue, the public
lookup. Hidden letters are None (the views answer 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from matchway.accounts.models import Role, User

from .models import Application, VisaLetter, VisaLetterStatus

_RELATED = ("application__applicant", "application__session__rotation__site")


def visa_letter_get_for_user(*, user: User, pk: int) -> VisaLetter | None:
    """The applicant it belongs to, or a coordinator. Everyone else: None."""
    qs = VisaLetter.objects.select_related(*_RELATED)
    if user.role == Role.COORDINATOR:
        return qs.filter(pk=pk).first()
    if user.role == Role.APPLICANT:
        return qs.filter(pk=pk, application__applicant=user).first()
    return None


def visa_letter_get_public(number: str) -> VisaLetter | None:
    """Issued or revoked letters only: a request or a refusal has no public page."""
    return (
        VisaLetter.objects.filter(
            number=number, status__in=[VisaLetterStatus.ISSUED, VisaLetterStatus.REVOKED]
        )
        .select_related("application__session")
        .first()
    )


def visa_letter_latest(application: Application) -> VisaLetter | None:
    return VisaLetter.objects.filter(application=application).order_by("-created_at", "-pk").first()


def visa_letter_queue(*, status: str = VisaLetterStatus.REQUESTED) -> QuerySet[VisaLetter]:
    qs = VisaLetter.objects.select_related(*_RELATED).order_by("created_at", "pk")
    if status:
        qs = qs.filter(status=status)
    return qs


def visa_letter_counts() -> dict[str, int]:
    rows = VisaLetter.objects.values("status").annotate(n=Count("pk")).order_by()
    counts = {str(s.value): 0 for s in VisaLetterStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
