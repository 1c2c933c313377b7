"""Writing the provider's identity and policy pages. Every change is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import BusyError, ValidationFailed

from .logo import EXTENSIONS
from .models import Organization, PolicyPage
from .selectors import organization_forget, policy_next_version

IDENTITY_FIELDS = (
    "name",
    "legal_name",
    "address",
    "contact_email",
    "phone",
    "website",
    "time_zone",
    "bank_transfer_instructions",
)


def organization_update(
    *,
    actor: Any,
    values: dict[str, Any],
    logo: tuple[bytes, str] | None = None,
    logo_remove: bool = False,
    request: HttpRequest | None = None,
) -> Organization:
    """Save the provider's identity (creating the one row the first time). Audited with the
    names of the fields that changed, not their values."""
    with transaction.atomic():
        org = Organization.objects.select_for_update().order_by("pk").first() or Organization()
        changed = [f for f in IDENTITY_FIELDS if f in values and getattr(org, f) != values[f]]
        for field in changed:
            setattr(org, field, values[field])
        old_logo = org.logo.name if org.logo else ""
        if logo is not None:
            content, content_type = logo
            digest = hashlib.sha256(content).hexdigest()[:16]
            org.logo.save(f"logo-{digest}.{EXTENSIONS[content_type]}", ContentFile(content), False)
            org.logo_content_type = content_type
            changed.append("logo")
        elif logo_remove and old_logo:
            org.logo = ""  # type: ignore[assignment]
            org.logo_content_type = ""
            changed.append("logo")
        org.save()
        if old_logo and "logo" in changed and org.logo.name != old_logo:
            storage, name = org.logo.storage, old_logo
            transaction.on_commit(lambda: storage.delete(name))
        audit_record(
            actor=actor,
            action="organization.updated",
            target=org,
            data={"fields": changed},
            request=request,
        )
    organization_forget()
    return org


def policy_publish(
    *,
    actor: Any,
    kind: str,
    body: str,
    effective_at: dt.datetime | None = None,
    request: HttpRequest | None = None,
) -> PolicyPage:
    """Add the next version of a policy page. Published versions are never changed.

    Without a date it takes effect now; a future date schedules it. A date in the past is
    refused (the record of what was in force when must stay true), and so is a date before
    an already scheduled version of the same page (versions take effect in order).
    """
    now = clock.now()
    when = effective_at or now
    if when < now - dt.timedelta(minutes=5):
        raise ValidationFailed(
            errors={"effective_at": [_("The date is in the past. Leave it empty to publish now.")]}
        )
    try:
        with transaction.atomic():
            last = PolicyPage.objects.filter(kind=kind).order_by("-version").first()
            if last is not None and when < last.effective_at:
                message = _("Version %(v)s takes effect later; choose a date after it.") % {
                    "v": last.version
                }
                raise ValidationFailed(errors={"effective_at": [message]})
            page = PolicyPage.objects.create(
                kind=kind,
                body=body,
                version=policy_next_version(kind),
                effective_at=when,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor,
                action="policy_page.published",
                target=page,
                data={
                    "kind": kind,
                    "version": page.version,
                    "effective_at": page.effective_at.isoformat(),
                },
                request=request,
            )
    except IntegrityError:  # two coordinators saved the same page at the same moment
        raise BusyError(_("Someone saved this page at the same moment. Try again.")) from None
    organization_forget()
    return page
