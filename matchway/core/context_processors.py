from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Public sections; an entry shows up once its app has the URL (apps land one by one).
NAV = [
    ("rotations:catalog", _("Rotations"), _("Browse rotations")),
    ("guides:index", _("Guides"), _("Read the guides")),
    ("specialties:index", _("Specialties"), _("Explore specialties")),
]


# Where a coordinator's header link goes instead: their own workspace, not the public page.
COORDINATOR_NAV = {"rotations:catalog": "rotations:manage"}


def site(request: HttpRequest) -> dict[str, Any]:
    items = []
    user = getattr(request, "user", None)
    is_coordinator = bool(user is not None and getattr(user, "is_coordinator", False))
    for name, label, cta in NAV:
        if is_coordinator:
            name = COORDINATOR_NAV.get(name, name)
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": label, "cta": cta, "current": request.path.startswith(url)}
        )
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, "nav_items": items}
