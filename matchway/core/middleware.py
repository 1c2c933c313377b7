from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


class UserTimezoneMiddleware:
    """Show every date in the signed-in person's own time zone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tzname = getattr(getattr(request, "user", None), "timezone", "") or ""
        try:
            zone: zoneinfo.ZoneInfo | None = zoneinfo.ZoneInfo(tzname) if tzname else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = None
        # override, not activate: the zone ends with the request instead of staying active
        # in the thread for whatever runs there next (the next test, a task, a command).
        with timezone.override(zone):
            return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy for pages (no inline scripts anywhere in our templates)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            # The API docs (Swagger UI) get their own policy, stricter where they can be.
            docs = request.path.startswith("/api/v1/docs")
            response["Content-Security-Policy"] = (
                settings.API_DOCS_CONTENT_SECURITY_POLICY
                if docs
                else settings.CONTENT_SECURITY_POLICY
            )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ApplicationErrorMiddleware:
    """A domain error that escapes a page view becomes a friendly page, never a 500.

    Views should catch expected errors and re-render their form; this is the safety net
    (the JSON API has its own mapping in matchway/api/api.py). A database lock timeout
    (`core.locking.is_lock_timeout`) counts as `BusyError`: the busy page, 503, Retry-After.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .exceptions import ApplicationError, BusyError
        from .locking import is_lock_timeout

        if request.path.startswith("/api/"):
            return None
        if is_lock_timeout(exception):
            exception = BusyError()
        if not isinstance(exception, ApplicationError):
            return None
        status = exception.status if exception.status >= 400 else 400
        response = render(
            request, "errors/application_error.html", {"error": exception}, status=status
        )
        if isinstance(exception, BusyError):
            response["Retry-After"] = str(exception.retry_after)
        return response
