"""Reading the provider's identity. Cached in the shared cache; saving the row clears it."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from .models import Organization

CACHE_KEY = "organization:current:v1"
CACHE_SECONDS = 300


def organization_current() -> Organization:
    """The installation's provider. Before a coordinator fills it in, an unsaved row named
    after `SITE_NAME` (nothing is invented: the other fields stay empty)."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, Organization):
        return cached
    org = Organization.objects.order_by("pk").first()
    if org is None:
        org = Organization(name=settings.SITE_NAME)
    cache.set(CACHE_KEY, org, CACHE_SECONDS)
    return org


def organization_forget() -> None:
    cache.delete(CACHE_KEY)
