"""Reads for receipts, invoices and refunds: who may see which document.

Applicants see their own applications' documents, coordinators every one; anyone else
(preceptors, other applicants) sees nothing, and the views answer 404 (hidden means 404).
"""

from __future__ import annotations

from django.db.models import QuerySet

from matchway.accounts.models import Role, User

from .models import Application, Invoice, Refund


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    base = Invoice.objects.select_related("application")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if user.role == Role.COORDINATOR:
        return base
    if user.role == Role.APPLICANT:
        return base.filter(application__applicant_id=user.pk)
    return base.none()


def invoice_get_for_user(*, user: User, number: str) -> Invoice | None:
    return invoices_visible_to(user).filter(number=number).first()


def invoices_for_application(application: Application) -> list[Invoice]:
    """The application's documents, final invoice first, then receipts by number."""
    rows = list(
        Invoice.objects.filter(application_id=application.pk).order_by("kind", "year", "sequence")
    )
    return sorted(rows, key=lambda i: (i.kind != "invoice", i.year, i.sequence))


def refunds_for_application(application: Application) -> list[Refund]:
    return list(
        Refund.objects.filter(application_id=application.pk)
        .select_related("recorded_by")
        .order_by("recorded_at", "pk")
    )
