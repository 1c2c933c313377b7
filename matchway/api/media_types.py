"""Which request media types an operation accepts, and the 415 for any other.

Ninja reads a JSON body with `json.loads` whatever its Content-Type says (so a `text/plain`
body was parsed as JSON) and answers an `application/xml` body with a 400 "cannot parse".
Here every operation that takes a body checks the body's media type before ninja reads it:
a body of a type the operation does not accept is 415 `unsupported_media_type`, for Bearer
and session callers alike, after the operation's authentication, role and throttle checks
(an anonymous caller still gets 401) but without the CSRF check's parsing of a form body
(which could fail first with a 400, and is pointless for a request that changes nothing).
A body of an accepted type that cannot be parsed stays a 400 `bad_request`
(docs/dev/errors.md).

The accepted types are the ones the OpenAPI document shows for the operation, derived from
the same parameter sources ninja uses for its `requestBody`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja.operation import Operation

from .errors import error_response

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

MSG_UNSUPPORTED = "This operation does not accept a request body of type {media_type!r}."


def accepted_media_types(operation: Operation) -> frozenset[str]:
    """The media types of a body this operation reads; empty when it reads no body."""
    sources = {model.__ninja_param_source__ for model in operation.models}
    if "file" in sources:
        return frozenset({MULTIPART})  # files only travel in multipart
    if "form" in sources:
        return frozenset({FORM, MULTIPART})  # Django parses both into request.POST
    if "body" in sources:
        return frozenset({JSON})
    return frozenset()


def _media_type(request: HttpRequest) -> str:
    return request.content_type.strip().lower() if request.content_type else ""


def _is_json(media_type: str) -> bool:
    # `application/json` and structured-suffix types such as `application/merge-patch+json`.
    return media_type == JSON or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _has_body(request: HttpRequest) -> bool:
    """Decided from Content-Length, as Django does, without reading (and so consuming) the
    body; Django itself treats a missing or malformed length as an empty body."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return False


def media_type_refused(request: HttpRequest, accepted: frozenset[str]) -> str | None:
    """The request body's media type if the operation does not accept it, else None.

    No body, or no Content-Type at all (ninja's default: a JSON operation reads it as JSON),
    is not refused here; the operation's own parsing and validation answer.
    """
    if not accepted or not _has_body(request):
        return None
    media_type = _media_type(request)
    if not media_type:
        return None
    if media_type in accepted or (JSON in accepted and _is_json(media_type)):
        return None
    return media_type


#: Set on a request whose body is refused: the session's CSRF check (matchway/api/auth.py)
#: then does not parse the body for its token; the request is answered 415 and acts on nothing.
REFUSED_FLAG = "matchway_body_refused"


def require_media_types(
    operation: Operation,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A decorator for `operation.run` (ninja's "view" mode, applied to the operation bound
    to the API): a refused body is 415 once the operation's own checks pass, so an anonymous
    caller still gets 401, a wrong role 403 and a throttled caller 429."""
    accepted = accepted_media_types(operation)

    def decorator(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        bound = getattr(run, "__self__", None)
        if not isinstance(bound, Operation):
            raise ImproperlyConfigured("require_media_types must wrap Operation.run directly")

        @functools.wraps(run)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refused = media_type_refused(request, accepted)
            if refused is None:
                return run(request, *args, **kwargs)
            setattr(request, REFUSED_FLAG, True)
            # ninja's own checks for this operation: authentication, roles, throttles
            error = bound._run_checks(request)
            if error is not None:
                return error
            return error_response(
                request, 415, "unsupported_media_type", MSG_UNSUPPORTED.format(media_type=refused)
            )

        return checked

    return decorator
