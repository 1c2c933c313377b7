"""Demo money: applications in every payment state (after the rotations demo has booked).

- nothing paid: a held seat (accepted) whose deposit is still due;
- deposit paid: a confirmed rotation with its balance still to come;
- fully paid: the completed rotation, its balance recorded by hand;
- overdue balance: the rotation in progress, deposit paid, balance past its due date.
Idempotent: each step looks for its state first and only then records what is missing.
"""

from __future__ import annotations

from typing import Any

from django.test.utils import override_settings

from matchway.accounts.models import User
from matchway.core.exceptions import ApplicationError
from matchway.rotations.ledger import Ledger, ledger_for, with_ledger
from matchway.rotations.models import Application, ApplicationStatus, PaymentKind
from matchway.rotations.services.applications_decide import application_accept
from matchway.rotations.services.payments import payment_record

S = ApplicationStatus


def payment_states() -> dict[str, int]:
    """How many applications are in each payment state (also used by the demo test)."""
    counts = {"nothing_paid": 0, "deposit_paid": 0, "fully_paid": 0, "overdue": 0}
    rows = with_ledger(
        Application.objects.filter(
            status__in=[S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED]
        ).select_related("session__rotation__site")
    )
    for application in rows:
        ledger = ledger_for(application)
        counts[_state(ledger)] += 1
    return counts


def _state(ledger: Ledger) -> str:
    due = ledger.next_due
    if due is None:
        return "fully_paid" if ledger.due_cents == 0 else "nothing_paid"
    if due.overdue():
        return "overdue"
    return "nothing_paid" if due.kind == PaymentKind.DEPOSIT else "deposit_paid"


def seed(context: dict[str, Any]) -> None:
    coordinator: User = context["users"]["coordinator"]
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        # Fully paid: every completed rotation has its balance recorded.
        for application in Application.objects.filter(status=S.COMPLETED).select_related(
            "session__rotation__site"
        ):
            left = ledger_for(application).due_cents
            if left:
                payment_record(
                    actor=coordinator,
                    application=application,
                    amount_cents=left,
                    method="bank_transfer",
                    reference=f"DEMO-BAL-{application.pk:05d}",
                )
        # Nothing paid: a held seat with its deposit due (accept one submitted application).
        held = Application.objects.filter(status=S.ACCEPTED, payments__isnull=True)
        if not held.exists():
            for application in Application.objects.filter(status=S.SUBMITTED).order_by("pk"):
                try:
                    application_accept(actor=coordinator, application=application)
                except ApplicationError:
                    continue
                break
    states = payment_states()
    context["stdout"].write(
        "  payments: " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in states.items())
    )
