"""API authentication: the browser session (CSRF on unsafe methods) or a Bearer token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.request import RawPostDataException
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer

from matchway.accounts.services import api_token_authenticate
from matchway.core.exceptions import AccessDenied, MalformedRequest
from matchway.core.http import client_ip

MSG_READ_ONLY_TOKEN = _(
    "This API token is read-only; create a read-and-write token to make changes."
)

#: What reading `request.POST`/`request.body` raises for a body that cannot be parsed.
BODY_ERRORS: tuple[type[Exception], ...] = (
    MultiPartParserError,
    RawPostDataException,
    UnreadablePostError,
)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = api_token_authenticate(token, ip=client_ip(request))
        if record is None:
            return None
        if not record.allows_method(request.method or ""):
            # A valid token, so 403 rather than 401: retrying without it cannot help.
            raise AccessDenied(MSG_READ_ONLY_TOKEN)
        request.user = record.user
        return record.user


def _csrf_ok(request: HttpRequest) -> bool:
    """Django's CSRF check for a session request on an unsafe method.

    The check reads `request.POST` (the form token) for a POST, so a body that cannot be
    parsed (multipart without a boundary, a broken upload) raises here: that is
    `MalformedRequest` (400 `bad_request`), never a 500.
    """
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return True
    if getattr(request, "matchway_body_refused", False):
        # media_types.require_media_types answers 415 once auth passes: nothing is changed,
        # so there is nothing to protect, and the body is never parsed.
        return True
    check = CsrfViewMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    check.process_request(request)
    try:
        return check.process_view(request, lambda r: None, (), {}) is None  # type: ignore[arg-type,return-value]
    except BODY_ERRORS as exc:
        raise MalformedRequest() from exc


def session_auth(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _csrf_ok(request):
        return user
    return None


AUTH: list[Callable[..., Any]] = [BearerAuth(), session_auth]
