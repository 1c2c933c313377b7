"""Personal-data export hook: the person's applications with their events, payments,
refunds, receipts, invoices and the payment reminders sent to them."""

from __future__ import annotations

from typing import Any

from matchway.accounts.models import User
from matchway.core.privacy import model_row

from .models import Application


def export(user: User) -> dict[str, Any]:
    applications = (
        Application.objects.filter(applicant=user)
        .select_related("session__rotation__site")
        .prefetch_related(
            "events", "payments", "visa_letters", "refunds", "invoices", "payment_reminders"
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for a in applications:
        rotation = a.session.rotation
        rows.append(
            {
                **model_row(a, exclude={"applicant"}),
                "rotation": rotation.title,
                "site": rotation.site.name,
                "start_date": a.session.start_date,
                "end_date": a.session.end_date,
                # Who on the provider's staff acted is theirs to know, not the export's.
                "events": [
                    {
                        **model_row(e, exclude={"application", "actor"}),
                        "by_you": e.actor_id == user.pk,
                    }
                    for e in a.events.all()
                ],
                "payments": [
                    model_row(p, exclude={"application", "recorded_by"}) for p in a.payments.all()
                ],
                "refunds": [
                    model_row(r, exclude={"application", "payment", "recorded_by"})
                    for r in a.refunds.all()
                ],
                # What we reminded them to pay, and when (payments.periodic).
                "payment_reminders": [
                    model_row(m, exclude={"application"}) for m in a.payment_reminders.all()
                ],
                # Receipts and invoices: what each states is the snapshot in `data`.
                "receipts_and_invoices": [
                    model_row(i, exclude={"application", "payment"}) for i in a.invoices.all()
                ],
                # The passport number masked, as on every page (docs/dev/visa-letters.md).
                "visa_letters": [
                    {
                        "status": v.status,
                        "number": v.number or "",
                        "passport_name": v.passport_name,
                        "passport_number": v.passport_number_masked,
                        "paid_by": v.paid_by,
                        "requested_at": v.created_at,
                        "issued_at": v.issued_at,
                        "refusal_reason": v.refusal_reason,
                        "revoked_at": v.revoked_at,
                    }
                    for v in a.visa_letters.all()
                ],
            }
        )
    return {"applications": rows}
