"""API authentication: the browser session (CSRF on unsafe methods) or a Bearer token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware
from ninja.security import HttpBearer

from matchway.accounts.services import api_token_authenticate


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        return user


def _csrf_ok(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
        return True
    check = CsrfViewMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    check.process_request(request)
    return check.process_view(request, lambda r: None, (), {}) is None  # type: ignore[arg-type,return-value]


def session_auth(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and _csrf_ok(request):
        return user
    return None


AUTH: list[Callable[..., Any]] = [BearerAuth(), session_auth]
