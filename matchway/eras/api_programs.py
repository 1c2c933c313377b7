"""`/api/v1/me/programs…` and `/api/v1/me/eras/readiness` (thin): the same services and
selectors as the pages. Another applicant's target answers 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.api.auth import BearerAuth, session_auth
from matchway.api.pagination import Pagination
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import AccessDenied, NotFound

from .readiness import readiness_for_user
from .schemas_programs import (
    ImportOut,
    ReadinessOut,
    TargetCreateIn,
    TargetOut,
    TargetUpdateIn,
)
from .selectors_programs import TargetRow, target_row_for_user, target_rows_for_user
from .services import csv_io
from .services.programs import (
    MSG_NOT_YOURS,
    ProgramInput,
    RequirementInput,
    program_add,
    program_delete,
)
from .services.signals import target_signal_set
from .services.targets import target_status_set, target_update

router = Router(tags=["eras"])


def _applicant_or_denied(user: Any) -> Any:
    # Checked during authentication so a coordinator gets 403 before a body is parsed.
    if user and getattr(user, "role", None) != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_YOURS)
    return user


class _ApplicantBearer(BearerAuth):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _applicant_or_denied(super().authenticate(request, token))


def _applicant_session(request: HttpRequest) -> Any:
    return _applicant_or_denied(session_auth(request))


APPLICANT_AUTH: list[Callable[..., Any]] = [_ApplicantBearer(), _applicant_session]
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _target_out(row: TargetRow) -> dict[str, Any]:
    target, program = row.target, row.target.program
    return {
        "id": target.pk,
        "program": {
            "acgme_id": program.acgme_id,
            "nrmp_code": program.nrmp_code or None,
            "name": program.name,
            "specialty": program.specialty_id,
            "position_type": program.position_type,
            "city": program.city,
            "state": program.state,
            "website": program.website,
            "requirements": [
                {
                    "kind": r.kind,
                    "value": r.value,
                    "strictness": r.strictness,
                    "source_url": r.source_url,
                    "checked_on": r.checked_on,
                }
                for r in program.requirements.all()
            ],
        },
        "status": target.status,
        "signal": target.signal,
        "notes": target.notes,
        "geographic_preference": target.geographic_preference,
        "fit_summary": row.fit,
        "fit": [{"kind": x.kind, "verdict": x.verdict, "reason": x.reason} for x in row.lines],
    }


def _row(request: HttpRequest, target_id: int) -> TargetRow:
    row = target_row_for_user(user=current_user(request), pk=target_id)
    if row is None:
        raise NotFound()
    return row


@router.get(
    "/me/programs",
    response={200: list[TargetOut], 422: ValidationErrorOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_target_list",
    summary="My programs this season, each with its fit per requirement (paged)",
)
@paginate(Pagination)
def target_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_target_out(row) for row in target_rows_for_user(user=current_user(request))]


@router.post(
    "/me/programs",
    response={201: TargetOut, 409: ErrorOut, 422: ValidationErrorOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_target_create",
    summary="Add a program to my list (409 already_exists for the same ACGME id)",
)
def target_create(request: HttpRequest, payload: TargetCreateIn) -> Status:
    user = current_user(request)
    data = ProgramInput(
        acgme_id=payload.acgme_id,
        name=payload.name,
        specialty=payload.specialty,
        position_type=payload.position_type,
        state=payload.state,
        city=payload.city,
        nrmp_code=payload.nrmp_code,
        website=payload.website,
        requirements=[
            RequirementInput(
                kind=r.kind,
                value=r.value,
                strictness=r.strictness,
                source_url=r.source_url,
                checked_on=r.checked_on,
            )
            for r in payload.requirements
        ],
    )
    target = program_add(actor=user, data=data, status=payload.status)
    if payload.signal != "none":
        target_signal_set(target=target, signal=payload.signal, actor=user)
    if payload.notes:
        target_update(actor=user, target=target, notes=payload.notes)
    return Status(201, _target_out(_row(request, target.pk)))


@router.get(
    "/me/programs/{int:target_id}",
    response={200: TargetOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_target_get",
    summary="One of my programs with its fit",
)
def target_get(request: HttpRequest, target_id: int) -> dict[str, Any]:
    return _target_out(_row(request, target_id))


@router.patch(
    "/me/programs/{int:target_id}",
    response={200: TargetOut, 409: ErrorOut, 422: ValidationErrorOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_target_update",
    summary="Change status (along the pipeline), signal, notes or geographic preference",
)
def target_patch(request: HttpRequest, target_id: int, payload: TargetUpdateIn) -> dict[str, Any]:
    user = current_user(request)
    target = _row(request, target_id).target
    if payload.status is not None:
        target_status_set(actor=user, target=target, status=payload.status)
    if payload.signal is not None:
        target_signal_set(target=target, signal=payload.signal, actor=user)
    if payload.notes is not None or payload.geographic_preference is not None:
        target_update(
            actor=user,
            target=target,
            notes=payload.notes,
            geographic_preference=payload.geographic_preference,
        )
    return _target_out(_row(request, target_id))


@router.delete(
    "/me/programs/{int:target_id}",
    response={204: None, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_target_delete",
    summary="Remove a program from my list",
)
def target_delete(request: HttpRequest, target_id: int) -> Status:
    target = _row(request, target_id).target
    program_delete(actor=current_user(request), program=target.program)
    return Status(204, None)


@router.post(
    "/me/programs/import",
    response={200: ImportOut, 422: ValidationErrorOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_program_import",
    summary="Import programs from CSV (multipart `file`); good rows import, bad rows listed",
)
def program_import(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    result = csv_io.programs_import(
        actor=current_user(request), data=file.read(csv_io.MAX_BYTES + 1)
    )
    return {"created": result.created, "updated": result.updated, "errors": result.errors}


@router.get(
    "/me/eras/readiness",
    response={200: ReadinessOut, **ERRORS},
    auth=APPLICANT_AUTH,
    operation_id="eras_readiness_get",
    summary="What is still missing for the season, each with the page that fixes it",
)
def readiness_get(request: HttpRequest) -> dict[str, Any]:
    items = readiness_for_user(user=current_user(request))
    return {
        "items": [
            {"kind": i.kind, "status": i.status, "message": i.message, "url": i.url} for i in items
        ]
    }
