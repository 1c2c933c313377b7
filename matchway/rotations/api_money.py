"""Money operations on the rotations router (DESIGN.md "Money"): the refund quote.

Registered on `rotations.api.router` (imported at the end of api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Schema

from matchway.accounts.auth import current_user
from matchway.api.schemas import Id
from matchway.core.exceptions import NotFound

from .api import ERRORS_READ, router
from .selectors import application_get_for_user
from .services.refunds import refund_quote


class RefundQuoteOut(Schema):
    refund_cents: int
    rule: str
    explanation: str


@router.get(
    "/applications/{application_id}/refund-quote",
    response={200: RefundQuoteOut, **ERRORS_READ},
    operation_id="rotations_application_refund_quote",
    summary="What the refund policy gives back if the applicant withdraws now",
)
def application_refund_quote(request: HttpRequest, application_id: Id) -> Any:
    """The owner and coordinators; everyone else gets 404 (hidden means 404)."""
    user = current_user(request)
    application = application_get_for_user(user=user, pk=application_id)
    if application is None or (user.role != "coordinator" and application.applicant_id != user.pk):
        raise NotFound()
    quote = refund_quote(application, at=application.closed_at)
    return {
        "refund_cents": quote.refund_cents,
        "rule": quote.rule,
        "explanation": quote.explanation,
    }
