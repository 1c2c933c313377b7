"""wants_fragment (which htmx requests get a fragment) and absolute_url (links off-site)."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django_htmx.middleware import HtmxDetails

from matchway.core.htmx import render_page_or_partial, wants_fragment
from matchway.core.links import absolute_url, site_host


def _request(**headers: str) -> object:
    request = RequestFactory().get("/", headers=headers)
    request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
    ],
)
def test_wants_fragment(headers: dict[str, str], expected: bool) -> None:
    assert wants_fragment(_request(**headers)) is expected  # type: ignore[arg-type]


def test_wants_fragment_without_middleware() -> None:
    assert wants_fragment(RequestFactory().get("/")) is False


def test_render_page_or_partial_follows_wants_fragment(monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []

    def fake_render(request: object, name: str, context: object, status: int) -> HttpResponse:
        names.append(name)
        return HttpResponse(status=status)

    monkeypatch.setattr("matchway.core.htmx.render", fake_render)
    restore = _request(**{"HX-Request": "true", "HX-History-Restore-Request": "true"})
    swap = _request(**{"HX-Request": "true"})
    render_page_or_partial(restore, "x.html", {}, partial="results")  # type: ignore[arg-type]
    render_page_or_partial(swap, "x.html", {}, partial="results")  # type: ignore[arg-type]
    assert names == ["x.html", "x.html#results"]


@override_settings(SITE_URL="https://matchway.example")
def test_absolute_url_from_path_name_and_absolute() -> None:
    assert absolute_url("/dashboard/") == "https://matchway.example/dashboard/"
    assert absolute_url("guides:index") == "https://matchway.example/guides/"
    assert absolute_url("guides:feed", query={"a": "1 2"}) == (
        "https://matchway.example/guides/feed/?a=1+2"
    )
    assert absolute_url("https://other.example/x") == "https://other.example/x"
    assert site_host() == "matchway.example"


@override_settings(SITE_URL="https://matchway.example")
def test_absolute_url_reverses_with_args() -> None:
    assert absolute_url("rotations:application", 7).startswith("https://matchway.example/")
    assert absolute_url("rotations:application", 7).endswith("/7/")
