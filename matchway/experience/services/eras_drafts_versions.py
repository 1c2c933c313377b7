"""ERAS draft versions: generate a new version from the record, validate and save an
edited one, restore an old one, and the plain text to paste into ERAS.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, InvalidTransition
from matchway.core.locking import lock_for_update
from matchway.experience.models import (
    DraftSource,
    ErasExperienceDraft,
    ErasExperienceDraftVersion,
)
from matchway.phi import find_phi
from matchway.rotations.models import Application, ApplicationStatus

from .eras_drafts import (
    CONTENT_FIELDS,
    MSG_NOT_COMPLETED,
    MSG_PHI,
    ErasDraftInvalid,
    description_limit,
    eras_draft_build,
    reflection_limit,
)


def _require_owner(actor: User, application: Application) -> None:
    if application.applicant_id != actor.pk:
        raise AccessDenied()


def _add_version(
    *, draft: ErasExperienceDraft, content: dict[str, Any], source: str, actor: User
) -> ErasExperienceDraftVersion:
    """Append a version under a lock on the draft row (numbers never collide)."""
    with transaction.atomic():
        lock_for_update(ErasExperienceDraft, [draft.pk])
        number = (draft.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = ErasExperienceDraftVersion.objects.create(
            draft=draft, number=number, source=source, created_by=actor, **content
        )
        ErasExperienceDraft.objects.filter(pk=draft.pk).update(updated_at=version.created_at)
        audit_record(
            actor=actor,
            action=f"eras_draft.{source}",
            target=draft,
            data={"version": number},
        )
    return version


def eras_draft_generate(*, actor: User, application: Application) -> ErasExperienceDraftVersion:
    """Generate a new version from the rotation's current facts (the applicant only)."""
    _require_owner(actor, application)
    if application.status != ApplicationStatus.COMPLETED:
        raise InvalidTransition(MSG_NOT_COMPLETED)
    draft, _created = ErasExperienceDraft.objects.get_or_create(application=application)
    built = eras_draft_build(application)
    content = {k: v for k, v in asdict(built).items() if k in CONTENT_FIELDS}
    content["explanation"] = built.explanation
    return _add_version(draft=draft, content=content, source=DraftSource.GENERATED, actor=actor)


def eras_draft_validate(values: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """Check edited values against the season's limits; returns (errors, PHI findings)."""
    errors: dict[str, list[str]] = {}
    for name in ("experience_type", "organization", "role", "description"):
        if not str(values.get(name) or "").strip():
            errors[name] = [str(_("This field is required."))]
    if len(str(values.get("description") or "")) > description_limit():
        errors["description"] = [
            str(_("ERAS allows at most %(n)s characters here.") % {"n": description_limit()})
        ]
    if len(str(values.get("meaningful_reflection") or "")) > reflection_limit():
        errors["meaningful_reflection"] = [
            str(_("ERAS allows at most %(n)s characters here.") % {"n": reflection_limit()})
        ]
    start, end = values.get("start_date"), values.get("end_date")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        errors["end_date"] = [str(_("The end date is before the start date."))]
    hours = values.get("hours_per_week")
    if hours is not None and not 0 <= int(hours) <= 168:
        errors["hours_per_week"] = [str(_("A week has 168 hours."))]
    findings = {
        name: find_phi(str(values.get(name) or ""))
        for name in ("description", "meaningful_reflection")
    }
    return errors, {k: v for k, v in findings.items() if v}


def eras_draft_save(
    *,
    actor: User,
    application: Application,
    values: dict[str, Any],
    acknowledge_phi: bool = False,
) -> ErasExperienceDraftVersion:
    """Save the applicant's edits as a new version (nothing new if nothing changed).

    Refuses over-limit text (limits from reference data) and, unless the applicant
    confirms they are not patient information, text with PHI findings (audited then).
    """
    _require_owner(actor, application)
    draft, _created = ErasExperienceDraft.objects.get_or_create(application=application)
    errors, findings = eras_draft_validate(values)
    if findings and not acknowledge_phi:
        for name in findings:
            errors.setdefault(name, []).append(str(MSG_PHI))
    if errors:
        raise ErasDraftInvalid(errors=errors, findings=findings)
    content: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        value = values.get(name)
        content[name] = value.strip() if isinstance(value, str) else value
    for name in ("city", "state", "supervisor", "meaningful_reflection"):
        content[name] = content[name] or ""
    latest = draft.versions.order_by("-number").first()
    if latest is not None and all(getattr(latest, k) == content[k] for k in CONTENT_FIELDS):
        return latest
    version = _add_version(draft=draft, content=content, source=DraftSource.EDITED, actor=actor)
    if findings:
        audit_record(
            actor=actor,
            action="eras_draft.phi_acknowledged",
            target=draft,
            data={"fields": sorted(findings), "count": sum(len(v) for v in findings.values())},
        )
    return version


def eras_draft_restore(
    *, actor: User, application: Application, number: int
) -> ErasExperienceDraftVersion:
    _require_owner(actor, application)
    draft = ErasExperienceDraft.objects.get(application=application)
    old = draft.versions.get(number=number)
    content = {name: getattr(old, name) for name in CONTENT_FIELDS}
    return _add_version(draft=draft, content=content, source=DraftSource.RESTORED, actor=actor)


def _month(day: dt.date) -> str:
    return f"{day:%m}/{day.year}"


def eras_draft_text(version: ErasExperienceDraftVersion) -> str:
    """Plain text in MyERAS field order, ready to paste field by field."""
    lines = [
        f"Experience type: {version.experience_type}",
        f"Organization: {version.organization}",
        f"City: {version.city}",
        f"State: {version.state}",
        f"Position/role: {version.role}",
        f"Supervisor: {version.supervisor}",
        f"Start date: {_month(version.start_date)}",
        f"End date: {_month(version.end_date)}",
        "Hours per week: "
        + (str(version.hours_per_week) if version.hours_per_week is not None else ""),
        "",
        f"Description ({len(version.description)} of {description_limit()} characters):",
        version.description,
    ]
    if version.meaningful_reflection:
        lines += [
            "",
            "Most meaningful experience: reflection "
            f"({len(version.meaningful_reflection)} of {reflection_limit()} characters):",
            version.meaningful_reflection,
        ]
    return "\n".join(lines) + "\n"
