"""The season part of the ERAS API (DESIGN.md "ERAS and Match"): the public fee estimate,
and the signed-in applicant's signals and interviews (another person's rows are 404)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from matchway.accounts.auth import current_user
from matchway.api.schemas import ErrorOut, Id, ValidationErrorOut
from matchway.core.exceptions import NotFound

from .selectors_season import interview_get_for_user, interviews_for_user, target_get_for_user
from .services import season as season_service
from .services.interviews import interview_view
from .services.signals import TIER_LABELS, signal_overview, target_signal_set

router = Router(tags=["eras"])


class FeeLineOut(Schema):
    specialty: str
    specialty_name: str
    service: str
    programs: int
    amount_cents: int
    discount_cents: int
    explanation: str
    season: str
    source: str
    confirmed: bool


class FeeEstimateOut(Schema):
    season: str
    total_cents: int
    confirmed: bool
    lines: list[FeeLineOut]


@router.get(
    "/eras/fee-estimate",
    response={200: FeeEstimateOut, 422: ValidationErrorOut},
    auth=None,
    operation_id="eras_fee_estimate",
    summary="Application fees per specialty from the season's data",
)
def fee_estimate(
    request: HttpRequest, counts: str = "", season: str = "", fee_assistance: bool = False
) -> dict[str, Any]:
    """`counts` is `<specialty code>:<programs>,…` (e.g. `140:43,420:7`). Each line says how
    its amount was reached, with the season and source of the prices; `confirmed` is false
    when any price is not confirmed for the season asked."""
    key = season_service.season_resolve(season[:40])
    result = season_service.fee_estimate(
        season=key,
        counts=season_service.parse_counts(counts[:2000]),
        fee_assistance_approved=fee_assistance,
    )
    return {
        "season": result.season,
        "total_cents": result.total_cents,
        "confirmed": not result.unconfirmed,
        "lines": [
            {
                "specialty": row.specialty.code,
                "specialty_name": row.specialty.name,
                "service": row.line.service,
                "programs": row.line.programs,
                "amount_cents": row.line.amount_cents,
                "discount_cents": row.line.discount_cents,
                "explanation": row.line.explanation,
                "season": row.schedule.season,
                "source": row.schedule.source,
                "confirmed": row.confirmed,
            }
            for row in result.lines
        ],
    }


class SignalUseOut(Schema):
    kind: str
    limit: int
    held_by: list[int]


class SignalTableOut(Schema):
    specialty: str
    season: str | None
    source: str | None
    confirmed: bool
    signals: list[SignalUseOut]


@router.get(
    "/me/eras/signals",
    response={200: list[SignalTableOut], 401: ErrorOut},
    operation_id="eras_signal_list",
)
def signal_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    rows = signal_overview(user=user, season=season_service.season_current())
    return [
        {
            "specialty": row.specialty.code,
            "season": row.allowance.facts.season if row.allowance.facts else None,
            "source": row.allowance.facts.source if row.allowance.facts else None,
            "confirmed": row.allowance.confirmed,
            "signals": [
                {"kind": kind, "limit": limit, "held_by": [t.pk for t in held]}
                for kind, limit, held in row.lines
            ],
        }
        for row in rows
    ]


class SignalIn(Schema):
    signal: str


class SignalOut(Schema):
    target_id: int
    signal: str


@router.put(
    "/me/eras/signals/{target_id}",
    response={200: SignalOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut},
    operation_id="eras_signal_set",
)
def signal_put(request: HttpRequest, target_id: Id, payload: SignalIn) -> dict[str, Any]:
    """Set one target's signal (`none`, `gold`, `silver` or `signal`). 409 `signal_limit`
    when the season's signals of that kind are all held; the message names the programs."""
    user = current_user(request)
    target = target_get_for_user(user=user, pk=target_id)
    if target is None:
        raise NotFound()
    saved = target_signal_set(target=target, signal=payload.signal[:20], actor=user)
    assert saved.signal in {*TIER_LABELS, "none"}
    return {"target_id": saved.pk, "signal": saved.signal}


class InterviewOut(Schema):
    id: int
    target_id: int
    program: str
    starts_at: str
    ends_at: str
    timezone: str
    starts_at_program: str
    starts_at_applicant: str
    format: str
    link: str
    thank_you_due: str | None
    thank_you_sent: bool
    clashes_with: list[int]


@router.get(
    "/me/eras/interviews",
    response={200: list[InterviewOut], 401: ErrorOut},
    operation_id="eras_interview_list",
)
def interview_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = current_user(request)
    items = list(interviews_for_user(user=user))
    return [interview_view(i, viewer_zone=user.timezone, others=items).as_dict() for i in items]


@router.get(
    "/me/eras/interviews/{interview_id}",
    response={200: InterviewOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="eras_interview_get",
)
def interview_get(request: HttpRequest, interview_id: Id) -> dict[str, Any]:
    user = current_user(request)
    interview = interview_get_for_user(user=user, pk=interview_id)
    if interview is None:
        raise NotFound()
    others = list(interviews_for_user(user=user))
    return interview_view(interview, viewer_zone=user.timezone, others=others).as_dict()
