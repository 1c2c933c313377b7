"""Every URL pattern and API operation must be classified, and the classification holds.

Apps classify their names in `<app>/tests/access_rules.py` (see tests/access.py). An
unclassified name fails `test_every_url_is_classified` / `test_every_api_operation_is_classified`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from matchway.api.api import api
from tests.access import ROLES, Rule

LOGIN_PATH = "/accounts/login/"


def _rule_modules() -> Iterator[Any]:
    """Every `<app>/tests/access_rules*.py` (several per app keep parallel work apart)."""
    for config in apps.get_app_configs():
        if config.name.startswith("matchway."):
            for path in sorted(Path(config.path, "tests").glob("access_rules*.py")):
                yield importlib.import_module(f"{config.name}.tests.{path.stem}")


URL_RULES: dict[str, Rule] = {}
PREFIX_RULES: dict[str, Rule] = {}
API_RULES: dict[str, Rule] = {}
for _module in _rule_modules():
    URL_RULES.update(getattr(_module, "URL_RULES", {}))
    PREFIX_RULES.update(getattr(_module, "URL_PREFIX_RULES", {}))
    API_RULES.update(getattr(_module, "API_RULES", {}))


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _url_names(pattern, prefix + namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix + (pattern.name or f"<unnamed {pattern.pattern}>")


def _rule_for(name: str) -> Rule | None:
    if name in URL_RULES:
        return URL_RULES[name]
    for prefix, rule in PREFIX_RULES.items():
        if name.startswith(prefix):
            return rule
    return None


ALL_URL_NAMES = sorted(set(_url_names()))
SCHEMA = api.get_openapi_schema()
OPERATIONS = sorted(
    (op["operationId"], method, path)
    for path, methods in SCHEMA["paths"].items()
    for method, op in methods.items()
)


def test_every_url_is_classified() -> None:
    missing = [name for name in ALL_URL_NAMES if _rule_for(name) is None]
    assert missing == [], f"Classify these URL names in <app>/tests/access_rules.py: {missing}"


def test_every_api_operation_is_classified() -> None:
    missing = [op_id for op_id, _m, _p in OPERATIONS if op_id not in API_RULES]
    assert missing == [], f"Classify these API operations in API_RULES: {missing}"


def test_operation_ids_are_unique_and_well_formed() -> None:
    ids = [op_id for op_id, _m, _p in OPERATIONS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(_[a-z0-9]+){2,}", op_id) for op_id in ids), ids


def _call(client: Client, rule: Rule, url: str) -> Any:
    if rule.method == "get":
        return client.get(url)
    return client.generic(
        rule.method.upper(),
        url,
        data=__import__("json").dumps(rule.body or {}),
        content_type="application/json",
    )


def _is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and LOGIN_PATH in response["Location"]


CHECKED_URLS = [
    (name, rule)
    for name in ALL_URL_NAMES
    if (rule := _rule_for(name)) is not None and rule.kind != "external"
]


@pytest.mark.parametrize(("name", "rule"), CHECKED_URLS, ids=[n for n, _ in CHECKED_URLS])
def test_url_access(
    name: str, rule: Rule, persona_clients: dict[str, Client], reference_data: None
) -> None:
    url = reverse(name, kwargs=rule.kwargs or None)
    anonymous = _call(persona_clients["anonymous"], rule, url)
    if rule.kind == "public":
        assert anonymous.status_code < 500
        assert not _is_login_redirect(anonymous)
    elif rule.kind == "token":
        assert anonymous.status_code == 404
    else:
        assert _is_login_redirect(anonymous), (name, anonymous.status_code)
    if rule.kind == "roles":
        for role in ROLES:
            response = _call(persona_clients[role], rule, url)
            if role in rule.roles:
                assert response.status_code != 403, (name, role)
            else:
                assert response.status_code in (403, 404), (name, role, response.status_code)
    for role in ("applicant", "outsider"):
        assert _call(persona_clients[role], rule, url).status_code < 500


def _api_url(path: str, rule: Rule) -> str:
    def fill(match: re.Match[str]) -> str:
        return str(rule.kwargs.get(match.group(1), 999999))

    return re.sub(r"\{(\w+)\}", fill, path)


@pytest.mark.parametrize(
    ("op_id", "method", "path"), OPERATIONS, ids=[o for o, _m, _p in OPERATIONS]
)
def test_api_access(
    op_id: str, method: str, path: str, persona_clients: dict[str, Client], reference_data: None
) -> None:
    rule = API_RULES[op_id]
    rule = Rule(rule.kind, rule.roles, rule.kwargs, method, rule.body, rule.note)
    url = _api_url(path, rule)
    anonymous = _call(persona_clients["anonymous"], rule, url)
    if rule.kind == "public":
        assert anonymous.status_code not in (401, 403)
        assert anonymous.status_code < 500
    else:
        assert anonymous.status_code == 401, (op_id, anonymous.status_code)
        assert anonymous.json()["code"] == "not_authenticated"
    if rule.kind == "roles":
        for role in ROLES:
            response = _call(persona_clients[role], rule, url)
            if role not in rule.roles:
                assert response.status_code in (403, 404), (op_id, role, response.status_code)
                assert response.json()["code"] in ("permission_denied", "not_found")
    for role in ("applicant", "outsider", "preceptor", "coordinator"):
        assert _call(persona_clients[role], rule, url).status_code < 500
