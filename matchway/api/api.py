"""The NinjaAPI instance: auth, error mapping and /api/v1 assembly.

Each app contributes `router` in its own `api.py`; errors always have the shape
`{"code": "<snake_case>", "message": "<human>"}` (plus `errors` for 422).
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from matchway.accounts.auth import current_user
from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import ApplicationError, BusyError, ValidationFailed
from matchway.reference.models import Specialty

from .auth import AUTH
from .schemas import ErrorOut, MeIn, MeOut, SpecialtyOut

api = NinjaAPI(
    title="Matchway API",
    version="1",
    description="Rotations, applications, documents, letters and tools for IMG applicants.",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    throttle=[AnonRateThrottle("60/m"), AuthRateThrottle("600/m")],
)

STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
    503: "busy",
}


def error_response(
    request: HttpRequest, status: int, code: str, message: str, **extra: Any
) -> HttpResponse:
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


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


core = Router(tags=["account"])


@core.get("/me", response={200: MeOut, 401: ErrorOut}, operation_id="accounts_me_get")
def me(request: HttpRequest) -> User:
    return current_user(request)


@core.patch("/me", response={200: MeOut}, operation_id="accounts_me_update")
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


@core.get(
    "/specialties",
    response=list[SpecialtyOut],
    auth=None,
    operation_id="reference_specialty_list",
    tags=["reference"],
)
def specialties(request: HttpRequest) -> Any:
    return Specialty.objects.all()


api.add_router("", core)

for config in apps.get_app_configs():
    if config.name.startswith("matchway.") and config.name != "matchway.api":
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        api.add_router("", module.router)
