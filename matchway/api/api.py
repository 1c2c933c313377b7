"""The NinjaAPI instance: auth, error mapping and /api/v1 assembly.

Each app contributes `router` in its own `api.py`, found through `core.discovery`; errors
always have the shape `{"code": "<snake_case>", "message": "<human>"}` (plus `errors` for
422), built by `errors.error_response`. This package imports no domain app but `accounts`
(token auth, in `auth.py`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Swagger
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from matchway.core.discovery import api_routers
from matchway.core.exceptions import ApplicationError, BusyError, ValidationFailed
from matchway.core.locking import is_lock_timeout

from .auth import AUTH, BODY_ERRORS
from .errors import STATUS_CODES, error_response
from .media_types import require_media_types
from .openapi import add_error_responses


class MatchwayAPI(NinjaAPI):
    """Two central rules for every operation of every router, so no operation repeats them:

    - a request body of a media type the operation does not accept is 415, checked before
      authentication (`media_types.require_media_types`);
    - the error statuses the API's machinery can answer are declared in the OpenAPI document
      (`openapi.add_error_responses`).
    """

    def add_router(self, prefix: str, router: Router | str, **kwargs: Any) -> None:
        if isinstance(router, Router):
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    if getattr(operation.view_func, "_ninja_operation", None) is not operation:
                        # decorate_view finds the operation through its function
                        raise ImproperlyConfigured(
                            f"{operation.view_func.__name__} serves more than one operation"
                        )
                    # decorate_view is ninja's own hook: it wraps `operation.run` (before
                    # auth) and is re-applied when the router is bound to the API.
                    decorate_view(require_media_types(operation))(operation.view_func)
        super().add_router(prefix, router, **kwargs)

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return add_error_responses(super().get_openapi_schema(**kwargs))


api = MatchwayAPI(
    title="Matchway API",
    version="1",
    description="Rotations, applications, documents, letters and tools for IMG applicants.",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    # No online validator badge: it is an image from validator.swagger.io (CSP, privacy).
    docs=Swagger(settings={"validatorUrl": None}),
    throttle=[AnonRateThrottle("60/m"), AuthRateThrottle("600/m")],
)


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    extra: dict[str, Any] = dict(exc.extra)
    if isinstance(exc, ValidationFailed):
        extra["errors"] = [
            {"field": field, "message": message}
            for field, messages in exc.errors.items()
            for message in messages
        ]
    response = error_response(request, exc.status, exc.code, exc.message, **extra)
    if isinstance(exc, BusyError):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(OperationalError)
def on_operational_error(request: HttpRequest, exc: OperationalError) -> HttpResponse:
    """A lock timeout anywhere in an operation (any write, not only booking) is 503 busy
    with Retry-After; every other database failure stays a real error."""
    if is_lock_timeout(exc):
        return on_application_error(request, BusyError())
    raise exc


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "not_authenticated", "Sign in or send a valid API token (Bearer)."
    )


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [
            str(part)
            for part in err.get("loc", [])
            if part not in ("body", "query", "path", "form", "file", "payload")
        ]
        errors.append(
            {"field": ".".join(loc) or "body", "message": str(err.get("msg", "Invalid value."))}
        )
    return error_response(
        request, 422, "validation_error", "Some fields are missing or invalid.", errors=errors
    )


def on_malformed_body(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """A body Django cannot parse (ninja reads it for the operation's parameters): 400."""
    return error_response(request, 400, "bad_request", "The request body could not be read.")


for _body_error in BODY_ERRORS:
    api.add_exception_handler(_body_error, on_malformed_body)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, "permission_denied", "Your account cannot do this.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = STATUS_CODES.get(exc.status_code, "error")
    message = str(exc.message) if exc.status_code != 429 else "Too many requests; slow down."
    return error_response(request, exc.status_code, code, message)


for router in api_routers():
    api.add_router("", router)
