"""htmx helpers: one URL renders the full page or just a partial of it."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page_or_partial(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Full page for normal requests, `template#partial` for htmx ones (not boosted)."""
    htmx = getattr(request, "htmx", None)
    name = f"{template}#{partial}" if htmx and not htmx.boosted else template
    return render(request, name, context, status=status)


def hx_trigger(response: HttpResponse, events: dict[str, Any]) -> HttpResponse:
    response["HX-Trigger"] = json.dumps(events)
    return response
