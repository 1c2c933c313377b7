from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .models import User
from .selectors import profile_completeness
from .services import profile_ensure


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    profile = profile_ensure(user)
    if profile is None:
        return []
    return [
        {
            "template": "accounts/panels/profile.html",
            "order": 90,
            "completeness": profile_completeness(profile),
        }
    ]
