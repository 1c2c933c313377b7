from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .selectors import organization_current


def organization(request: HttpRequest) -> dict[str, Any]:
    # Lazy: a page that never shows the provider costs no cache or database lookup.
    return {"organization": SimpleLazyObject(organization_current)}
