"""Match Week and SOAP JSON API (DESIGN.md "ERAS and Match"). The schedule is public; the
rest is the signed-in applicant's own real week (drills live in the pages only). Anyone
else finds nothing: 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.api.auth import BearerAuth, session_auth
from matchway.api.pagination import Pagination
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import NotFound, ValidationFailed

from . import schedule, selectors, services
from .models import SoapApplication, SoapOffer, SoapWeek
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationsOut,
    ImportOut,
    OfferIn,
    OfferOut,
    ScheduleOut,
    UnfilledOut,
)

router = Router(tags=["soap"])

ERRORS: dict[int, Any] = {
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    503: ErrorOut,
}


def _applicant_or_hidden(user: Any) -> Any:
    # Inside authentication, so another role gets the neutral 404 before a multipart body
    # is parsed (the list is private: nobody else learns that the operation exists for them).
    if user and getattr(user, "role", None) != Role.APPLICANT:
        raise NotFound()
    return user


class ApplicantBearerAuth(BearerAuth):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _applicant_or_hidden(super().authenticate(request, token))


def applicant_session_auth(request: HttpRequest) -> Any:
    return _applicant_or_hidden(session_auth(request))


APPLICANT_AUTH: list[Callable[..., Any]] = [ApplicantBearerAuth(), applicant_session_auth]


def _week(request: HttpRequest) -> tuple[User, SoapWeek]:
    user = current_user(request)
    if user.role != Role.APPLICANT:
        raise NotFound()
    return user, services.week_get_or_create(user)


def _application_out(a: SoapApplication) -> dict[str, Any]:
    return {
        "id": a.pk,
        "program_code": a.program_code,
        "program_name": a.program_name,
        "letter_ids": sorted(letter.pk for letter in a.letters.all()),
        "statement_version_id": a.statement_version_id,
        "sent_at": a.sent_at,
    }


@router.get(
    "/match/schedule",
    response={200: ScheduleOut, 404: ErrorOut, 422: ValidationErrorOut},
    auth=None,
    operation_id="soap_schedule_get",
    summary="A season's Match Week, hour by hour, in US Eastern Time",
    description="`season` is a Match year (e.g. 2027); default the coming Match Week. "
    "`confirmed` is false for projections and unconfirmed round times.",
)
def schedule_get(request: HttpRequest, season: str = "") -> dict[str, Any]:
    season = season.strip() or selectors.current_season()
    if season not in selectors.seasons():
        raise NotFound("We have no Match Week data for that season.")
    try:
        week = selectors.match_week(season)
    except schedule.ScheduleError as exc:  # pragma: no cover - data is tested
        raise NotFound() from exc
    return {
        "season": week.season,
        "label": week.label,
        "confirmed": week.confirmed,
        "source": week.source,
        "note": week.note,
        "events": [e.__dict__ for e in week.events],
    }


@router.post(
    "/me/soap/import",
    response={201: ImportOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="soap_list_import",
    summary="Import my copy of the List of Unfilled Programs (CSV, multipart `file`)",
    description="Columns: program_code,name,specialty,position_type,state,unfilled_positions,"
    "soap_participating[,application_service]. `round` 0 is Monday's list, N the list after "
    "round N. Good rows import even when others fail.",
)
def list_import(request: HttpRequest, file: File[UploadedFile], round: Form[int] = 0) -> Status:
    user, week = _week(request)
    if (file.size or 0) > 2_000_000:
        raise ValidationFailed(errors={"file": ["The file is larger than 2 MB."]})
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(errors={"file": ["The file is not UTF-8 text (CSV)."]}) from exc
    result = services.list_import(actor=user, week=week, text=text, round_=round)
    status = 201 if result.list_import is not None else 422
    if status == 422:
        raise ValidationFailed(
            "No row could be imported.",
            errors={"file": [f"Row {e['row']}: {e['message']}" for e in result.errors]},
        )
    return Status(
        201,
        {"round": round, "created": result.created, "errors": result.errors},
    )


@router.get(
    "/me/soap/programs",
    response={200: list[UnfilledOut], 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    operation_id="soap_list_programs",
    summary="My latest imported list of unfilled programs (private)",
)
@paginate(Pagination)
def list_programs(
    request: HttpRequest,
    specialty: str = "",
    position_type: str = "",
    state: str = "",
) -> Any:
    _user, week = _week(request)
    latest = selectors.latest_import(week)
    if latest is None:
        return []
    filters = selectors.Filters(
        specialty=specialty[:120], position_type=position_type[:1].upper(), state=state[:2]
    )
    return selectors.unfilled_rows(week, latest, filters)


@router.delete(
    "/me/soap/programs",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    operation_id="soap_list_delete",
    summary="Delete every imported copy of my list",
)
def list_delete(request: HttpRequest) -> Status:
    user, week = _week(request)
    services.list_delete(actor=user, week=week)
    return Status(204, None)


@router.get(
    "/me/soap/applications",
    response={200: ApplicationsOut, 401: ErrorOut, 404: ErrorOut},
    operation_id="soap_application_list",
    summary="My SOAP applications and how many remain",
)
def application_list(request: HttpRequest) -> dict[str, Any]:
    _user, week = _week(request)
    items = [_application_out(a) for a in selectors.applications(week)]
    limit = selectors.application_limit()
    return {"limit": limit, "remaining": max(limit - len(items), 0), "items": items}


@router.post(
    "/me/soap/applications",
    response={201: ApplicationOut, **ERRORS},
    operation_id="soap_application_create",
    summary="Record a SOAP application (the one over the limit: 409 soap_limit)",
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Status:
    user, week = _week(request)
    [created] = services.applications_add(
        actor=user,
        week=week,
        codes=[payload.program_code],
        letter_ids=payload.letter_ids,
        statement_version_id=payload.statement_version_id,
        sent=payload.sent,
    )
    return Status(201, _application_out(created))


@router.post(
    "/me/soap/applications/{application_id}/send",
    response={200: ApplicationOut, **ERRORS},
    operation_id="soap_application_send",
    summary="Mark an application as sent in ERAS (refused during an offer round)",
)
def application_send(request: HttpRequest, application_id: int) -> dict[str, Any]:
    user, week = _week(request)
    application = selectors.application_get(week, application_id)
    if application is None:
        raise NotFound()
    services.applications_mark_sent(actor=user, week=week, applications=[application])
    application.refresh_from_db()
    return _application_out(application)


def _offer(week: SoapWeek, offer_id: int) -> SoapOffer:
    offer = selectors.offer_get(week, offer_id)
    if offer is None:
        raise NotFound()
    return offer


@router.get(
    "/me/soap/offers",
    response={200: list[OfferOut], 401: ErrorOut, 404: ErrorOut},
    operation_id="soap_offer_list",
    summary="My SOAP offers (expired windows are closed first)",
)
def offer_list(request: HttpRequest) -> list[SoapOffer]:
    _user, week = _week(request)
    services.offers_expire(week=week)
    return list(selectors.offers(week))


@router.post(
    "/me/soap/offers",
    response={201: OfferOut, **ERRORS},
    operation_id="soap_offer_create",
    summary="Record an offer received in R3 (program, round, received at)",
)
def offer_create(request: HttpRequest, payload: OfferIn) -> Status:
    user, week = _week(request)
    received = payload.received_at
    if received is not None and received.tzinfo is None:
        raise ValidationFailed(errors={"received_at": ["Give the time with its UTC offset."]})
    if received is not None and not dt.datetime(2000, 1, 1, tzinfo=dt.UTC) < received:
        raise ValidationFailed(errors={"received_at": ["That time is not plausible."]})
    offer = services.offer_record(
        actor=user,
        week=week,
        program_code=payload.program_code,
        round_=payload.round,
        received_at=received,
    )
    return Status(201, offer)


@router.post(
    "/me/soap/offers/{offer_id}/accept",
    response={200: OfferOut, **ERRORS},
    operation_id="soap_offer_accept",
    summary="Accept an offer (binding: every other open offer is lost)",
)
def offer_accept(request: HttpRequest, offer_id: int) -> SoapOffer:
    user, week = _week(request)
    return services.offer_accept(actor=user, offer=_offer(week, offer_id))


@router.post(
    "/me/soap/offers/{offer_id}/decline",
    response={200: OfferOut, **ERRORS},
    operation_id="soap_offer_decline",
    summary="Decline an offer (that program will not offer again)",
)
def offer_decline(request: HttpRequest, offer_id: int) -> SoapOffer:
    user, week = _week(request)
    return services.offer_decline(actor=user, offer=_offer(week, offer_id))
