"""The API docs (Swagger UI, vendored by ninja) render under their strict CSP in Chromium."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_operations_without_csp_violations(
    live_server: Any, page: Any, screenshot: Any
):
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if msg.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    remote: list[str] = []
    page.on(
        "request",
        lambda req: remote.append(req.url) if not req.url.startswith(live_server.url) else None,
    )
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.status == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    page.locator("#operations-rotations-rotations_rotation_list .opblock-summary").click()
    page.get_by_text("Responses").first.wait_for()
    screenshot(page, "docs")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    assert not problems, problems
    assert not [u for u in remote if not u.startswith("data:")], remote
