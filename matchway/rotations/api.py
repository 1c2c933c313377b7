"""Rotations JSON API (thin): parse → one selector or service → schema.

The HTML pages call the same services and selectors (STYLE.md "Same core for HTML and
JSON"). Domain errors become `{"code", "message"}` in matchway.api.api; hidden objects
answer 404.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.api.pagination import Pagination
from matchway.api.schemas import ErrorOut, Id, ValidationErrorOut
from matchway.core.exceptions import AccessDenied, NotFound
from matchway.rotations.models import Application, Rotation
from matchway.rotations.services.applications import MSG_COORDINATOR_ONLY, MSG_NOT_APPLICANT
from matchway.rotations.services.applications_decide import application_confirm, application_decide
from matchway.rotations.services.applications_submit import application_submit, application_withdraw

from .ledger import with_ledger
from .schemas import (
    ApplicationConfirmIn,
    ApplicationCreateIn,
    ApplicationCreateOut,
    ApplicationDecisionIn,
    ApplicationOut,
    ApplicationWithdrawIn,
    RotationDetailOut,
    RotationListFilterIn,
    RotationListOut,
    SessionOut,
)
from .selectors import (
    application_get_for_user,
    application_list_for_user,
    rotation_get_public,
    rotation_list_public,
    session_get,
)

router = Router(tags=["rotations"])

ERRORS_READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
ERRORS_WRITE: dict[int, Any] = {
    **ERRORS_READ,
    403: ErrorOut,
    409: ErrorOut,
    503: ErrorOut,
}


@router.get(
    "/rotations",
    response={200: list[RotationListOut], 422: ValidationErrorOut},
    auth=None,
    operation_id="rotations_rotation_list",
    summary="Published rotations (catalog filters)",
)
@paginate(Pagination)
def rotation_list(request: HttpRequest, filters: Query[RotationListFilterIn]) -> QuerySet[Rotation]:
    return rotation_list_public(**filters.dict())


@router.get(
    "/rotations/{slug}",
    response={200: RotationDetailOut, 404: ErrorOut},
    auth=None,
    operation_id="rotations_rotation_get",
    summary="One published rotation with its upcoming sessions",
)
def rotation_get(request: HttpRequest, slug: str) -> Any:
    rotation = rotation_get_public(slug=slug)
    if rotation is None:
        raise NotFound()
    return rotation


@router.get(
    "/sessions/{session_id}",
    response={200: SessionOut, 404: ErrorOut},
    auth=None,
    operation_id="rotations_session_get",
    summary="One session with capacity and seats available",
)
def session_detail(request: HttpRequest, session_id: Id) -> Any:
    session = session_get(pk=session_id)
    if session is None:
        raise NotFound()
    return session


@router.post(
    "/sessions/{session_id}/applications",
    response={201: ApplicationCreateOut, **ERRORS_WRITE},
    operation_id="rotations_application_create",
    summary="Apply to a session (applicants)",
    description=(
        "Instant sessions answer `accepted` with `hold_expires_at` when a seat is free, "
        "`waitlisted` when full and `waitlist` is true, else 409 `session_full`. Review "
        "sessions answer `submitted`. 409 `already_applied` / `session_closed`."
    ),
)
def application_create(
    request: HttpRequest, session_id: Id, payload: ApplicationCreateIn | None = None
) -> Status:
    user = current_user(request)
    # Role before existence: a preceptor learns nothing about which session ids exist.
    if user.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_APPLICANT)
    session = session_get(pk=session_id, with_seats=False)
    if session is None:
        raise NotFound()
    data = payload or ApplicationCreateIn()
    application = application_submit(
        actor=user, session=session, motivation=data.motivation, waitlist=data.waitlist
    )
    return Status(201, application)


@router.get(
    "/me/applications",
    response={200: list[ApplicationOut], 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="rotations_application_list_mine",
    summary="The signed-in applicant's own applications, newest first",
)
@paginate(Pagination)
def application_list_mine(request: HttpRequest) -> QuerySet[Application]:
    user = current_user(request)
    # The ledger sums ride in the list query (no query per row).
    return with_ledger(application_list_for_user(user=user).filter(applicant=user))


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationOut, **ERRORS_WRITE},
    operation_id="rotations_application_withdraw",
    summary="Withdraw your own live application (others get 404)",
)
def application_withdraw_op(
    request: HttpRequest, application_id: Id, payload: ApplicationWithdrawIn | None = None
) -> Any:
    user = current_user(request)
    application = application_get_for_user(user=user, pk=application_id)
    if application is None or application.applicant_id != user.pk:
        raise NotFound()
    data = payload or ApplicationWithdrawIn()
    application_withdraw(actor=user, application=application, reason=data.reason)
    return application_get_for_user(user=user, pk=application_id)


def _application_for_coordinator(user: User, application_id: int) -> Application:
    """The application a coordinator decides on or confirms: other roles get 403, an
    application the coordinator may not see 404."""
    if user.role != Role.COORDINATOR:
        raise AccessDenied(MSG_COORDINATOR_ONLY)
    application = application_get_for_user(user=user, pk=application_id)
    if application is None:
        raise NotFound()
    return application


@router.post(
    "/applications/{application_id}/decision",
    response={200: ApplicationOut, **ERRORS_WRITE},
    operation_id="rotations_application_decide",
    summary="Accept, decline or waitlist an application (coordinators)",
)
def application_decide_op(
    request: HttpRequest, application_id: Id, payload: ApplicationDecisionIn
) -> Any:
    user = current_user(request)
    application = _application_for_coordinator(user, application_id)
    application_decide(
        actor=user, application=application, action=payload.action, message=payload.message
    )
    return application_get_for_user(user=user, pk=application_id)


@router.post(
    "/applications/{application_id}/confirm",
    response={200: ApplicationOut, **ERRORS_WRITE},
    operation_id="rotations_application_confirm",
    summary="Confirm a held seat (coordinators); 409 date_conflict on overlapping dates",
)
def application_confirm_op(
    request: HttpRequest, application_id: Id, payload: ApplicationConfirmIn
) -> Any:
    user = current_user(request)
    application = _application_for_coordinator(user, application_id)
    application_confirm(
        actor=user,
        application=application,
        override_reason=payload.override_reason,
        clash_override_reason=payload.clash_override_reason,
    )
    return application_get_for_user(user=user, pk=application_id)


# Money operations live in their own module, on this same router (issue #16).
from . import api_money  # noqa: E402, F401
