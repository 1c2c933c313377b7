"""Statements JSON API (thin). Analysis only: nothing is stored."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from matchway.accounts.auth import current_user
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import ValidationFailed
from matchway.reference.models import Specialty

from .schemas import StatementAnalyzeIn, StatementAnalyzeOut
from .selectors import statement_max_chars
from .services import text_analyze

router = Router(tags=["statements"])


@router.post(
    "/statements/analyze",
    response={200: StatementAnalyzeOut, 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="statements_statement_analyze",
    summary="Analyse a personal statement (nothing is stored)",
)
def statement_analyze(request: HttpRequest, payload: StatementAnalyzeIn) -> dict[str, Any]:
    """Length against the season's ERAS limit, plain-text safety, readability, clichés and
    IMG-specific checks. Finding offsets are Python string indices into `text`."""
    current_user(request)  # signed in (session or Bearer); the router's auth already checked
    specialty = None
    if payload.specialty:
        specialty = Specialty.objects.filter(code=payload.specialty.strip()).first()
        if specialty is None:
            raise ValidationFailed(
                "Some fields are missing or invalid.",
                errors={"specialty": ["Unknown specialty code; see GET /api/v1/specialties."]},
            )
    result = text_analyze(
        text=payload.text, specialty=specialty, graduation_year=payload.graduation_year
    )
    return {**result, "max_characters": statement_max_chars()}
