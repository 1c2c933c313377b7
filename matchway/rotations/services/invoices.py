"""Receipts (one per payment) and final invoices (one per confirmed application).

Numbers are sequential per kind and year (the provider's year), with no gaps and no
duplicates: the `InvoiceSequence` row of (kind, year) is created if missing (INSERT … ON
CONFLICT DO NOTHING), then locked with the core locking helper, incremented and written in
the SAME transaction as the payment or confirmation that needs the number. A rollback of
that transaction rolls the number back too, so a number is never skipped (docs/dev/
invoices-and-refunds.md). One provider per installation: the sequence is the provider's.

The document's contents are a snapshot (`Invoice.data`) taken when it is issued; the HTML
page and the PDF render that snapshot, never today's rows.
"""

from __future__ import annotations

from typing import Any, Final

from django.db import connection

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.locking import lock_for_update
from matchway.organization.selectors import organization_current

from ..ledger import paid_and_refunded
from ..models import Application, Invoice, InvoiceKind, InvoiceSequence, Payment

PREFIX: Final = {InvoiceKind.RECEIPT: "R", InvoiceKind.INVOICE: "INV"}


def invoice_number_next(kind: str, year: int) -> tuple[int, str]:
    """Take the next number of `kind` in `year`. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("invoice_number_next() must run inside transaction.atomic().")
    InvoiceSequence.objects.bulk_create(
        [InvoiceSequence(kind=kind, year=year)], ignore_conflicts=True
    )
    pk = InvoiceSequence.objects.filter(kind=kind, year=year).values_list("pk", flat=True).get()
    sequence = lock_for_update(InvoiceSequence, [pk])[pk]
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    number = sequence.last_number
    return number, f"{PREFIX[InvoiceKind(kind)]}-{year}-{number:06d}"


def _snapshot(application: Application) -> dict[str, Any]:
    org = organization_current()
    session = application.session
    rotation = session.rotation
    site = rotation.site
    applicant = application.applicant
    profile = getattr(applicant, "applicant_profile", None)
    return {
        "provider": {
            "name": org.name,
            "legal_name": org.legal_name,
            "address": org.address,
            "email": org.contact_email,
            "phone": org.phone,
            "website": org.website,
        },
        "applicant": {
            "name": applicant.full_name,
            "email": applicant.email,
            "school": getattr(profile, "medical_school", "") or "",
            "country": getattr(profile, "country", "") or "",
        },
        "rotation": {
            "title": rotation.title,
            "site": site.name,
            "site_place": site.location_label,
            "start_date": session.start_date.isoformat(),
            "end_date": session.end_date.isoformat(),
        },
        "application_id": application.pk,
        "price_cents": rotation.price_cents,
        "deposit_cents": rotation.deposit_cents,
        "currency": "USD",
    }


def _load(application_id: int) -> Application:
    return Application.objects.select_related(
        "applicant__applicant_profile", "session__rotation__site"
    ).get(pk=application_id)


def receipt_issue(payment: Payment) -> Invoice:
    """Issue the receipt of `payment` (inside the transaction that recorded it). Idempotent:
    a payment has one receipt (`Invoice.payment` is one-to-one)."""
    existing = Invoice.objects.filter(payment=payment).first()
    if existing is not None:
        return existing
    application = _load(payment.application_id)
    now = clock.now()
    year = clock.provider_today().year
    sequence, number = invoice_number_next(InvoiceKind.RECEIPT, year)
    paid, refunded = paid_and_refunded(application.pk)
    data = _snapshot(application)
    data.update(
        {
            "payment": {
                "id": payment.pk,
                "amount_cents": payment.amount_cents,
                "method": payment.get_method_display(),
                "kind": payment.get_kind_display(),
                "reference": payment.reference,
                "provider": payment.get_provider_display(),
                "received_at": payment.recorded_at.isoformat(),
            },
            "paid_to_date_cents": paid,
            "refunded_to_date_cents": refunded,
            "outstanding_cents": max(0, application.session.rotation.price_cents - paid + refunded),
        }
    )
    receipt = Invoice.objects.create(
        kind=InvoiceKind.RECEIPT,
        year=year,
        sequence=sequence,
        number=number,
        application=application,
        payment=payment,
        amount_cents=payment.amount_cents,
        issued_at=now,
        data=data,
    )
    audit_record(
        actor=payment.recorded_by,
        action="invoice.issued",
        target=application,
        data={"number": number, "kind": "receipt", "payment": payment.pk},
    )
    return receipt


def invoice_issue(application: Application) -> Invoice:
    """Issue the final invoice of a confirmed application (inside the confirming
    transaction). Idempotent: one final invoice per application (a DB constraint)."""
    existing = Invoice.objects.filter(application=application, kind=InvoiceKind.INVOICE).first()
    if existing is not None:
        return existing
    fresh = _load(application.pk)
    now = clock.now()
    year = clock.provider_today().year
    sequence, number = invoice_number_next(InvoiceKind.INVOICE, year)
    paid, refunded = paid_and_refunded(fresh.pk)
    price = fresh.session.rotation.price_cents
    payments = list(Payment.objects.filter(application_id=fresh.pk).order_by("recorded_at", "pk"))
    data = _snapshot(fresh)
    data.update(
        {
            "payments": [
                {
                    "amount_cents": p.amount_cents,
                    "method": p.get_method_display(),
                    "kind": p.get_kind_display(),
                    "reference": p.reference,
                    "received_at": p.recorded_at.isoformat(),
                }
                for p in payments
            ],
            "paid_to_date_cents": paid,
            "refunded_to_date_cents": refunded,
            "outstanding_cents": max(0, price - paid + refunded),
            "balance_due_days": fresh.session.rotation.balance_due_days,
        }
    )
    invoice = Invoice.objects.create(
        kind=InvoiceKind.INVOICE,
        year=year,
        sequence=sequence,
        number=number,
        application=fresh,
        amount_cents=price,
        issued_at=now,
        data=data,
    )
    audit_record(
        actor=None,
        action="invoice.issued",
        target=fresh,
        data={"number": number, "kind": "invoice"},
    )
    return invoice
