"""The one pager template keeps the current query string."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def _page(number: int) -> object:
    return Paginator(list(range(100)), 10).get_page(number)


def test_pager_keeps_the_current_filters() -> None:
    request = RequestFactory().get("/x", {"status": "open", "q": "a b", "page": "3"})
    html = render_to_string("components/pagination.html", {"page": _page(3), "request": request})
    assert 'href="?status=open&amp;q=a+b&amp;page=2"' in html
    assert 'href="?status=open&amp;q=a+b&amp;page=4"' in html
    assert "hx-get" not in html


def test_an_explicit_query_wins_and_htmx_targets_are_optional() -> None:
    request = RequestFactory().post("/x")
    html = render_to_string(
        "components/pagination.html",
        {"page": _page(1), "request": request, "query": "session=4", "hx_target": "#queue"},
    )
    assert 'href="?session=4&amp;page=2"' in html
    assert 'hx-target="#queue"' in html
    assert 'rel="prev"' not in html


def test_a_single_page_has_no_pager() -> None:
    one = Paginator([1], 10).get_page(1)
    assert render_to_string("components/pagination.html", {"page": one}).strip() == ""
