"""/me: the signed-in person's own account (GET, PATCH)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from ninja import Router

from matchway.api.schemas import ErrorOut
from matchway.core.audit import audit_record

from .auth import current_user
from .models import User
from .schemas import MeIn, MeOut
from .services import account_export_response

router = Router(tags=["account"])


@router.get("/me", response={200: MeOut, 401: ErrorOut}, operation_id="accounts_me_get")
def me(request: HttpRequest) -> User:
    return current_user(request)


@router.patch("/me", response={200: MeOut}, operation_id="accounts_me_update")
def me_update(request: HttpRequest, payload: MeIn) -> User:
    user = current_user(request)
    changes = payload.dict(exclude_none=True)
    for field, value in changes.items():
        setattr(user, field, value)
    if changes:
        user.save(update_fields=list(changes))
        audit_record(
            actor=user,
            action="profile.updated",
            target=user,
            data={"fields": sorted(changes)},
            request=request,
        )
    return user


@router.get(
    "/me/export",
    response={401: ErrorOut},
    operation_id="accounts_me_export",
    openapi_extra={
        "responses": {
            200: {
                "description": "A ZIP of everything Matchway holds about you",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def me_export(request: HttpRequest) -> FileResponse:
    """Everything Matchway holds about you, as a ZIP (docs/dev/privacy.md)."""
    return account_export_response(request, user=current_user(request))
