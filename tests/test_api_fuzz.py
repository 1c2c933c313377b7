"""Fuzz the whole JSON API from its own OpenAPI document: no input ever gets a 5xx.

DESIGN.md invariant 5 ("no 500 for any input"); docs/dev/errors.md. Schemathesis reads
`/api/v1/openapi.json` from a live test server (pytest-django `live_server`, a real thread
and a real HTTP socket on localhost) and sends generated requests to every operation, once
per role: anonymous, applicant, preceptor and coordinator (Bearer tokens from the accounts
token service). Examples are derandomized (a fixed seed), so a failure reproduces; the
number per operation is fixed (EXAMPLES) to keep the run short on two cores. Cases are both
valid per the schema (positive) and deliberately invalid (negative: out-of-range numbers,
wrong types), which must get a 4xx.

Checks: `not_a_server_error` (any 5xx fails), `status_code_conformance` (every status an
operation answers is declared in the OpenAPI document; the error statuses are added centrally
by `matchway.api.openapi`) and `response_schema_conformance` (a documented status's body must
match its schema): see docs/dev/errors.md.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from matchway.accounts.services import api_token_create
from matchway.accounts.tests.factories import UserFactory

EXAMPLES = 6
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = ("applicant", "preceptor", "coordinator")


@pytest.fixture
def api_schema(live_server: Any) -> Any:
    # A generous timeout: the first request to a fresh live server on a loaded CI machine
    # (two cores, other jobs) once took longer than schemathesis's default 10 s.
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json", timeout=60)


@pytest.fixture
def role_headers(transactional_db: None) -> dict[str, dict[str, str]]:
    headers: dict[str, dict[str, str]] = {"anonymous": {}}
    for role in ROLES:
        user = UserFactory(role=role, email=f"fuzz-{role}@example.com")
        raw, _ = api_token_create(user=user, name="fuzz")
        headers[role] = {"Authorization": f"Bearer {raw}"}
    return headers


def _fuzz(operation: Any, role_headers: dict[str, dict[str, str]]) -> None:
    @given(case=operation.as_strategy() | operation.as_strategy(GenerationMode.NEGATIVE))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        for headers in role_headers.values():
            cache.clear()  # the throttles would answer 429 long before the fuzzer is done
            case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_no_operation_answers_5xx_for_any_role(api_schema: Any, role_headers: Any) -> None:
    """Every operation, every role. (Schemathesis's own pytest loader, `from_fixture`, fails
    under pytest 9 - `'Function' object has no attribute '_nodeid'` - so the operations are
    walked here and each gets its own Hypothesis run.)"""
    failures: list[str] = []
    operations = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, role_headers)
        except Exception as exc:
            failures.append(f"{operation.label}: {exc}")
    assert operations > 20
    assert not failures, "\n\n".join(failures)
