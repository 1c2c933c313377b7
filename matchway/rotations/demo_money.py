"""Demo data for money (issue #16, part B): structured refund schedules, receipts, a final
invoice, a withdrawal with its refund. Idempotent; called from demo.seed.

Every demo payment already gets its receipt (payment_record issues it) and every demo
confirmation its invoice. This adds the refund schedule that matches the demo rotations'
written policy ("Full refund up to 30 days before the start; the deposit is kept after
that": the deposit in full until 30 days before, the balance until the start date), and
one applicant who paid, withdrew and was refunded by the policy.
"""

from __future__ import annotations

from matchway.accounts.models import User
from matchway.core.exceptions import ApplicationError

from .models import Application, ApplicationStatus, Refund, Rotation, RotationSession
from .services.applications_decide import application_accept, application_confirm
from .services.applications_submit import application_submit, application_withdraw
from .services.payments import payment_record
from .services.refunds import refund_execute, refund_quote, rotation_refund_rules_update

DEMO_RULES = {
    "deposit": [{"until_days": 30, "percent": 100}],
    "balance": [{"until_days": 0, "percent": 100}],
}
REFUND_DEMO_EMAIL = "demo.omar@example.com"
REFUND_DEMO_SLUG = "womens-health-externship-houston"


def _rules(coordinator: User) -> None:
    for rotation in Rotation.objects.filter(refund_rules={}).order_by("pk"):
        rotation_refund_rules_update(actor=coordinator, rotation=rotation, rules=DEMO_RULES)


def _withdrawn_and_refunded(coordinator: User) -> None:
    omar = User.objects.filter(email=REFUND_DEMO_EMAIL).first()
    if (
        omar is None
        or Application.objects.filter(
            applicant=omar, session__rotation__slug=REFUND_DEMO_SLUG
        ).exists()
    ):
        return
    session = (
        RotationSession.objects.filter(rotation__slug=REFUND_DEMO_SLUG)
        .order_by("start_date")[2:3]
        .first()
    )
    if session is None:
        return
    application = application_submit(
        actor=omar,
        session=session,
        motivation="I want to see how a US women's health clinic runs prenatal care.",
        consent_share_documents=True,
    )
    if application.status == ApplicationStatus.SUBMITTED:
        application = application_accept(actor=coordinator, application=application)
    rotation = session.rotation
    payment_record(
        actor=coordinator,
        application=application,
        amount_cents=rotation.deposit_cents,
        method="bank_transfer",
        reference=f"DEMO-DEP-{application.pk:05d}",
    )
    try:
        application_confirm(actor=coordinator, application=application)
    except ApplicationError:
        application_confirm(
            actor=coordinator,
            application=application,
            override_reason="Documents checked in person at orientation (demo data).",
        )
    payment_record(
        actor=coordinator,
        application=application,
        amount_cents=(rotation.price_cents - rotation.deposit_cents) // 2,
        method="card",
        reference=f"DEMO-CARD-{application.pk:05d}",
    )
    application = application_withdraw(
        actor=omar, application=application, reason="My exam date moved to that month."
    )
    quote = refund_quote(application, at=application.closed_at)
    if quote.refund_cents and not Refund.objects.filter(application=application).exists():
        refund_execute(
            actor=coordinator,
            application=application,
            amount_cents=quote.refund_cents,
            method="bank_transfer",
            reference=f"DEMO-REFUND-{application.pk:05d}",
        )


def seed_money(coordinator: User) -> None:
    _rules(coordinator)
    _withdrawn_and_refunded(coordinator)
