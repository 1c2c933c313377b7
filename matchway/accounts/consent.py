"""Consent to the provider's Terms of use and Privacy policy (docs/dev/organization.md).

The versions a person must have accepted are the current published ones
(`organization.selectors.policy_consent_versions`); while neither page is published, no
consent is asked at all. Each signed-in session remembers which versions it has already
checked, so an ordinary page costs one cache read, not a query.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.http import client_ip
from matchway.organization.selectors import policy_consent_versions

from .models import Consent

SESSION_KEY = "consent_ok"


def consent_signature(versions: dict[str, int]) -> str:
    return ",".join(f"{kind}:{version}" for kind, version in sorted(versions.items()))


def consent_missing(user: Any, versions: dict[str, int] | None = None) -> dict[str, int]:
    """The current versions `user` has not accepted yet ({} when nothing is owed)."""
    versions = policy_consent_versions() if versions is None else versions
    if not versions:
        return {}
    accepted = set(
        Consent.objects.filter(user=user, kind__in=list(versions)).values_list("kind", "version")
    )
    return {kind: v for kind, v in versions.items() if (kind, v) not in accepted}


def consent_record(
    *, user: Any, versions: dict[str, int], request: HttpRequest | None = None
) -> list[Consent]:
    """Store one acceptance per kind and version (accepting twice is harmless). Audited."""
    now = clock.now()
    ip = client_ip(request) if request is not None else None
    stored = []
    for kind, version in sorted(versions.items()):
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    user=user, kind=kind, version=version, accepted_at=now, ip=ip
                )
        except IntegrityError:  # already accepted (a double submit)
            continue
        stored.append(consent)
    if stored:
        audit_record(
            actor=user,
            action="consent.accepted",
            target=user,
            data={"versions": {c.kind: c.version for c in stored}},
            request=request,
        )
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = consent_signature(policy_consent_versions())
    return stored
