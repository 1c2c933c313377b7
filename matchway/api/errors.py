"""The API's error shape: `{"code": "<snake_case>", "message": "<human>"}` (+ extras).

Any app's `api.py` may build an error response here without importing another app or the
assembled `NinjaAPI` instance.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.renderers import JSONRenderer

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "busy",
}

_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def error_response(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    """The same bytes and content type `NinjaAPI.create_response` produces for this body."""
    content = _RENDERER.render(
        request, {"code": code, "message": message, **extra}, response_status=status
    )
    return HttpResponse(content, status=status, content_type=_CONTENT_TYPE)
