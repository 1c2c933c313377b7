"""The error statuses every operation can answer, added to the OpenAPI document centrally.

Operations declare their success response and the errors particular to them; the errors
that come from the API's own machinery (auth, CSRF, throttling, body parsing, parameter
validation, lock timeouts) are the same for every operation of a kind, so they are added
here from what the document already says about the operation, instead of by hand on each
one. An operation's own declaration of a status wins. Schemathesis checks the result
(`status_code_conformance` in tests/test_api_fuzz.py).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from pydantic import BaseModel

from .schemas import ErrorOut, ValidationErrorOut

UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})

#: Why a status may come back, shown in the docs next to it.
REASONS: dict[int, str] = {
    400: "`bad_request`: the request body could not be parsed.",
    401: "`not_authenticated`: sign in or send a valid Bearer token.",
    403: "`permission_denied`: this account cannot do this.",
    404: "`not_found`: not found, or not yours.",
    409: "A conflict with the current state (`invalid_transition`, `session_full`, …).",
    415: "`unsupported_media_type`: the operation does not accept this body's Content-Type.",
    422: "`validation_error`: some parameters are missing or invalid.",
    429: "`rate_limited`: too many requests; slow down.",
    503: "`busy`: the database is busy; retry after `Retry-After` seconds.",
}


def error_statuses(method: str, operation: dict[str, Any]) -> set[int]:
    """The machinery statuses of one operation, from its OpenAPI description."""
    secured = bool(operation.get("security"))
    has_body = "requestBody" in operation
    parameters = operation.get("parameters", [])
    statuses = {429, 503}  # every operation is throttled; a lock timeout anywhere is busy
    if has_body:
        statuses |= {400, 404, 415, 422}  # unreadable, ids in the body, wrong type, invalid
    if parameters:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if secured:
        statuses |= {401, 403}
        if method in UNSAFE_METHODS:
            # A session POST's CSRF check reads the form body (400 if unreadable); a write
            # can meet a state that no longer allows it.
            statuses |= {400, 409}
    return statuses


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _add_component(schemas: dict[str, Any], model: type[BaseModel]) -> None:
    generated = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, definition in generated.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas.setdefault(model.__name__, generated)


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the machinery error statuses on every operation of `schema` (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    _add_component(components, ErrorOut)
    _add_component(components, ValidationErrorOut)
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            declared = {int(status) for status in responses if str(status).isdigit()}
            for status in sorted(error_statuses(method, operation) - declared):
                model = ValidationErrorOut if status == 422 else ErrorOut
                responses[status] = {
                    "description": f"{HTTPStatus(status).phrase}. {REASONS[status]}",
                    "content": {"application/json": {"schema": _ref(model)}},
                }
            operation["responses"] = dict(
                sorted(responses.items(), key=lambda kv: (not str(kv[0]).isdigit(), str(kv[0])))
            )
    return schema
