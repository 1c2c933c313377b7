"""Document vault JSON API (thin): the same services and selectors as the pages."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.api.auth import AUTH, BearerAuth, session_auth
from matchway.api.pagination import Pagination
from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import AccessDenied
from matchway.core.http import client_ip

from .models import Document
from .schemas import DocumentCreateIn, DocumentOut
from .selectors import document_list_for_user
from .services import MSG_UPLOAD_OWN, document_upload

router = Router(tags=["documents"])


def _applicant_or_denied(user: Any) -> Any:
    # Raised inside authentication so it answers 403 before the multipart body is parsed
    # (otherwise a coordinator's empty request would get 422 instead of permission_denied).
    if user and getattr(user, "role", None) != Role.APPLICANT:
        raise AccessDenied(MSG_UPLOAD_OWN)
    return user


class ApplicantBearerAuth(BearerAuth):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _applicant_or_denied(super().authenticate(request, token))


def applicant_session_auth(request: HttpRequest) -> Any:
    return _applicant_or_denied(session_auth(request))


APPLICANT_AUTH: list[Callable[..., Any]] = [ApplicantBearerAuth(), applicant_session_auth]


@router.get(
    "/me/documents",
    response={200: list[DocumentOut], 401: ErrorOut, 422: ValidationErrorOut},
    auth=AUTH,
    operation_id="documents_document_list_mine",
    summary="My documents, every version, newest first",
)
@paginate(Pagination)
def document_list_mine(request: HttpRequest) -> QuerySet[Document]:
    user = current_user(request)
    return document_list_for_user(user=user).filter(owner=user).order_by("-created_at", "-pk")


@router.post(
    "/me/documents",
    response={
        201: DocumentOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
        503: ErrorOut,
    },
    auth=APPLICANT_AUTH,
    operation_id="documents_document_create",
    summary="Upload a new version of one of my documents (multipart)",
    description=(
        "Fields: `type` (document type code), `file`, optional `issued_on` and `expires_on` "
        "(YYYY-MM-DD). The file is checked by its content (PDF, JPEG, PNG or WebP as the type "
        "allows); a refused file answers 422 `upload_rejected` with the reason and nothing is "
        "stored. The new version becomes current; older ones are kept."
    ),
)
def document_create(
    request: HttpRequest,
    payload: Form[DocumentCreateIn],
    file: File[UploadedFile],
) -> Status:
    user = current_user(request)
    document = document_upload(
        actor=user,
        owner=user,
        type_code=payload.type,
        file=file,
        original_name=file.name or "",
        issued_on=payload.issued_on,
        expires_on=payload.expires_on,
        ip=client_ip(request),
    )
    return Status(201, document)
