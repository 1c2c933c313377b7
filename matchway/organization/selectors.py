"""Reading the provider's identity and policy pages. Cached in the shared cache; saving a
row clears it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet

from matchway.core import clock

from .models import CONSENT_KINDS, Organization, PolicyPage

CACHE_KEY = "organization:current:v1"
CACHE_SECONDS = 300
CONSENT_CACHE_KEY = "organization:consent-versions:v1"


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
    cache.delete(CONSENT_CACHE_KEY)


def policy_published(kind: str) -> QuerySet[PolicyPage]:
    """Versions of `kind` in effect now or before, newest first."""
    return PolicyPage.objects.filter(kind=kind, effective_at__lte=clock.now()).order_by(
        "-effective_at", "-version"
    )


def policy_current(kind: str) -> PolicyPage | None:
    return policy_published(kind).first()


def policy_version_get(kind: str, version: int) -> PolicyPage | None:
    """A published version (a scheduled one stays hidden from the public)."""
    return policy_published(kind).filter(version=version).first()


def policy_versions_all(kind: str) -> QuerySet[PolicyPage]:
    """Every version, scheduled ones included (coordinators), newest first."""
    return PolicyPage.objects.filter(kind=kind).select_related("created_by").order_by("-version")


def policy_next_version(kind: str) -> int:
    latest = PolicyPage.objects.filter(kind=kind).order_by("-version").first()
    return (latest.version if latest else 0) + 1


def policy_consent_versions() -> dict[str, int]:
    """The current Terms and Privacy versions a person must have accepted, e.g.
    `{"terms": 2, "privacy": 1}`; empty while neither is published.

    Asked on every signed-in page (accounts.middleware), so cached; the cached answer
    carries the moment the next scheduled version takes effect and is ignored after it.
    """
    now = clock.now()
    cached = cache.get(CONSENT_CACHE_KEY)
    if isinstance(cached, tuple) and len(cached) == 2:
        cached_versions, until = cached
        if until is None or now < until:
            return dict(cached_versions)
    # One query over the few Terms/Privacy versions there are, newest first.
    rows = PolicyPage.objects.filter(kind__in=CONSENT_KINDS).order_by("-effective_at", "-version")
    versions: dict[str, int] = {}
    valid_until: dt.datetime | None = None
    for kind, version, effective_at in rows.values_list("kind", "version", "effective_at"):
        if effective_at > now:
            valid_until = effective_at  # ends as the earliest scheduled date
        else:
            versions.setdefault(kind, version)
    cache.set(CONSENT_CACHE_KEY, (versions, valid_until), CACHE_SECONDS)
    return versions
