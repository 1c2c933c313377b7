"""htmx helpers: one URL renders the full page or just a partial of it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def wants_fragment(request: HttpRequest) -> bool:
    """Does this request get a fragment rather than the whole page?

    Only a plain htmx swap does. A boosted link replaces the whole body, and a history
    restore (the back button after htmx pushed the URL, with nothing cached) must rebuild
    the whole page, so both get the full page.
    """
    htmx: Any = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and not htmx.history_restore_request


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """`template#partial` when wants_fragment(request), else the full page."""
    name = f"{template}#{partial}" if wants_fragment(request) else template
    return render(request, name, context, status=status)


def hx_trigger(response: HttpResponse, events: dict[str, Any]) -> HttpResponse:
    response["HX-Trigger"] = json.dumps(events)
    return response
