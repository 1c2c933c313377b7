"""Letters JSON API for applicants (thin): parse → one selector or service → schema.

Writer actions stay on the token pages. Applicants only; other roles get 403, and a
request that is not yours answers 404 like one that does not exist.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.api.pagination import MappedSequence, Pagination
from matchway.api.schemas import ErrorOut, Id, ValidationErrorOut
from matchway.core.exceptions import AccessDenied, NotFound
from matchway.core.http import client_ip

from .models import LetterRequest
from .schemas import LetterRequestCreateIn, LetterRequestOut, LetterRequestWithdrawIn
from .selectors import (
    letter_request_get,
    letter_request_list,
    letter_request_view,
    letter_request_views,
)
from .services.common import MSG_NOT_APPLICANT
from .services.compose import RequestInput, letter_request_create
from .services.requests import (
    letter_request_nudge,
    letter_request_record_view,
    letter_request_withdraw,
)

router = Router(tags=["letters"])

ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
    503: ErrorOut,
}


def _applicant(request: HttpRequest) -> User:
    user = current_user(request)
    if user.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_APPLICANT)
    return user


def _own(user: User, request_id: int) -> LetterRequest:
    req = letter_request_get(viewer=user, pk=request_id)
    if req is None:
        raise NotFound()
    return req


def _out(user: User, req: LetterRequest) -> LetterRequestOut:
    req.refresh_from_db()
    return LetterRequestOut.from_view(letter_request_view(viewer=user, letter_request=req))


@router.get(
    "/me/letter-requests",
    response={200: list[LetterRequestOut], **ERRORS},
    operation_id="letters_request_list_mine",
    summary="Your letter requests, newest first (status only for waived letters)",
)
@paginate(Pagination)
def request_list_mine(request: HttpRequest) -> MappedSequence:
    user = _applicant(request)
    # Only the page's rows are turned into views (one batch read for the window).
    return MappedSequence(
        letter_request_list(viewer=user),
        convert_page=lambda rows: [
            LetterRequestOut.from_view(v) for v in letter_request_views(viewer=user, requests=rows)
        ],
    )


@router.post(
    "/me/letter-requests",
    response={201: LetterRequestOut, **ERRORS},
    operation_id="letters_request_create",
    summary="Ask a writer for a letter (or save a draft with send=false)",
)
def request_create(request: HttpRequest, payload: LetterRequestCreateIn) -> Status:
    user = _applicant(request)
    data = RequestInput(
        due_date=payload.due_date,
        waived=payload.waived,
        kind=payload.kind,
        specialty_code=payload.specialty,
        application_id=payload.application_id,
        writer_id=payload.writer_id,
        writer_name=payload.writer_name,
        writer_email=payload.writer_email,
        writer_title=payload.writer_title,
        route_to_coordinators=payload.route_to_coordinators,
        eras_letter_id=payload.eras_letter_id,
        message=payload.message,
        brag_notes=payload.brag_notes,
        attachment_ids=payload.attachment_ids,
    )
    req = letter_request_create(actor=user, data=data, send=payload.send, ip=client_ip(request))
    return Status(201, _out(user, req))


@router.get(
    "/me/letter-requests/{request_id}",
    response={200: LetterRequestOut, **ERRORS},
    operation_id="letters_request_get",
    summary="One of your letter requests (status and dates only when waived)",
)
def request_get(request: HttpRequest, request_id: Id) -> LetterRequestOut:
    user = _applicant(request)
    req = _own(user, request_id)
    letter_request_record_view(
        actor=user, letter_request=req, action="letter_request.viewed", ip=client_ip(request)
    )
    return _out(user, req)


@router.post(
    "/me/letter-requests/{request_id}/withdraw",
    response={200: LetterRequestOut, **ERRORS},
    operation_id="letters_request_withdraw",
    summary="Withdraw a request; the writer's links stop working",
)
def request_withdraw(
    request: HttpRequest, request_id: Id, payload: LetterRequestWithdrawIn | None = None
) -> LetterRequestOut:
    user = _applicant(request)
    req = _own(user, request_id)
    data = payload or LetterRequestWithdrawIn(reason="")
    letter_request_withdraw(
        actor=user, letter_request=req, reason=data.reason, ip=client_ip(request)
    )
    return _out(user, req)


@router.post(
    "/me/letter-requests/{request_id}/nudge",
    response={200: LetterRequestOut, **ERRORS},
    operation_id="letters_request_nudge",
    summary="Send the writer a gentle reminder (at most once every 7 days; else 429)",
)
def request_nudge(request: HttpRequest, request_id: Id) -> LetterRequestOut:
    user = _applicant(request)
    req = _own(user, request_id)
    letter_request_nudge(actor=user, letter_request=req, ip=client_ip(request))
    return _out(user, req)
