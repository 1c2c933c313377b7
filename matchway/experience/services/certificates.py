"""Completion certificates: issue (sign), render (task), verify, revoke.

The signed payload is exactly the facts the certificate shows (docs/dev/certificates.md).
Hours are the confirmed attendance hours. An observership is always stated as observation
only, whatever the rotation's hands-on flag says.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock, signing
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.core.links import absolute_url
from matchway.core.tasks import enqueue_on_commit
from matchway.experience.models import (
    AttendanceRecord,
    Certificate,
    Evaluation,
    EvaluationKind,
    RenderState,
)
from matchway.experience.pdf import certificate_pdf
from matchway.organization.selectors import organization_current
from matchway.phi.guard import phi_scan_fields
from matchway.rotations.models import Application, ApplicationStatus, RotationKind

logger = logging.getLogger(__name__)

FORMAT = "matchway-certificate/1"
NUMBER_PREFIX = "MW-"
NUMBER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
NUMBER_LENGTH = 10
NUMBER_ATTEMPTS = 5
STALE_RENDER = dt.timedelta(minutes=10)

MSG_NOT_COMPLETED = _("The rotation must be completed first.")
MSG_NO_EVALUATION = _("A preceptor must submit an evaluation first.")
MSG_NO_HOURS = _("Confirm the attendance hours first.")
MSG_ALREADY_ISSUED = _("This rotation already has a valid certificate. Revoke it to re-issue.")
MSG_ALREADY_REVOKED = _("This certificate is already revoked.")
MSG_REASON_REQUIRED = _("Give a reason; the public verify page shows it.")

# Plain statements of what the rotation was (signed, so written in English once).
KIND_STATEMENTS: dict[str, str] = {
    RotationKind.OBSERVERSHIP: "Observership — observation only; no hands-on patient care",
    RotationKind.RESEARCH: "Research rotation — no patient care",
    RotationKind.TELEHEALTH: "Telehealth rotation — remote",
}
HANDS_ON_STATEMENTS: dict[str, tuple[str, str]] = {
    RotationKind.CLERKSHIP: (
        "Clerkship — hands-on patient care under supervision",
        "Clerkship — no hands-on patient care",
    ),
    RotationKind.EXTERNSHIP: (
        "Externship — hands-on patient care under supervision",
        "Externship — no hands-on patient care",
    ),
}


def kind_statement(kind: str, hands_on: bool) -> tuple[str, bool]:
    """(wording, hands_on) — an observership, research or telehealth rotation is never
    hands-on on a certificate, even if the rotation row says so by mistake."""
    if kind in KIND_STATEMENTS:
        return KIND_STATEMENTS[kind], False
    label = kind.replace("_", " ").capitalize()
    yes, no = HANDS_ON_STATEMENTS.get(
        kind,
        (
            f"{label} — hands-on patient care under supervision",
            f"{label} — no hands-on patient care",
        ),
    )
    return (yes, True) if hands_on else (no, False)


def specialty_label(name: str) -> str:
    """ "Internal Medicine (Categorical)" → "Internal Medicine": the bracket names a residency
    track in the reference data, which says nothing about a rotation."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip() or name


def confirmed_hours(application: Application) -> Decimal:
    total = AttendanceRecord.objects.filter(application=application).aggregate(total=Sum("hours"))[
        "total"
    ]
    return Decimal(total or 0).quantize(Decimal("0.1"))


def rotation_weeks(start: dt.date, end: dt.date) -> int:
    return max(1, round(((end - start).days + 1) / 7))


def _long_date(day: dt.date, *, year: bool = True) -> str:
    return f"{day:%B} {day.day}, {day.year}" if year else f"{day:%B} {day.day}"


def facts_display(facts: dict[str, Any]) -> dict[str, str]:
    """Human dates for pages ("October 31 – November 25, 2026"); the facts stay ISO."""
    try:
        start = dt.date.fromisoformat(str(facts.get("start_date", "")))
        end = dt.date.fromisoformat(str(facts.get("end_date", "")))
        issued = dt.date.fromisoformat(str(facts.get("issued_on", "")))
    except ValueError:
        return {
            "dates": f"{facts.get('start_date', '')} – {facts.get('end_date', '')}",
            "issued_on": str(facts.get("issued_on", "")),
        }
    return {
        "dates": f"{_long_date(start, year=start.year != end.year)} – {_long_date(end)}",
        "issued_on": _long_date(issued),
    }


def certificate_eligibility(application: Application) -> list[str]:
    """Why a certificate cannot be issued now (empty list: it can)."""
    reasons: list[str] = []
    if application.status != ApplicationStatus.COMPLETED:
        reasons.append(str(MSG_NOT_COMPLETED))
    has_evaluation = Evaluation.objects.filter(
        application=application, kind=EvaluationKind.PRECEPTOR, submitted_at__isnull=False
    ).exists()
    if not has_evaluation:
        reasons.append(str(MSG_NO_EVALUATION))
    if confirmed_hours(application) <= 0:
        reasons.append(str(MSG_NO_HOURS))
    if Certificate.objects.filter(application=application, revoked_at__isnull=True).exists():
        reasons.append(str(MSG_ALREADY_ISSUED))
    return reasons


def certificate_facts(
    *, application: Application, number: str, issuer: User, issued_on: dt.date
) -> dict[str, Any]:
    """The facts a certificate states — and nothing else (no contact data)."""
    session = application.session
    rotation = session.rotation
    site = rotation.site
    statement, hands_on = kind_statement(rotation.kind, rotation.hands_on)
    location = site.location_label
    return {
        "format": FORMAT,
        "number": number,
        "applicant_name": application.applicant.full_name,
        "rotation_title": rotation.title,
        "specialty": specialty_label(rotation.specialty.name),
        "kind": rotation.kind,
        "kind_statement": statement,
        "hands_on": hands_on,
        "site": site.name,
        "site_location": str(location),
        "preceptors": [p.full_name for p in rotation.preceptors.order_by("full_name", "pk")],
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "weeks": rotation_weeks(session.start_date, session.end_date),
        "confirmed_hours": str(confirmed_hours(application)),
        "issued_on": issued_on.isoformat(),
        "issuer": issuer.full_name,
        "issuer_organization": organization_current().display_legal_name,
    }


def new_number() -> str:
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def certificate_issue(*, actor: User, application: Application) -> Certificate:
    """Sign and record a certificate, then render its PDF in a background task.

    Coordinator only; refuses (InvalidTransition) unless `certificate_eligibility` is
    empty. The number is random (50 bits); a collision with the unique constraint is
    retried with a new number inside a savepoint. The partial unique constraint on active
    certificates also stops two concurrent issues for one application. The render task is
    enqueued after commit. Audited.
    """
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    reasons = certificate_eligibility(application)
    if reasons:
        raise InvalidTransition(" ".join(reasons))
    issued_on = clock.provider_today()
    with transaction.atomic():
        certificate: Certificate | None = None
        for _attempt in range(NUMBER_ATTEMPTS):
            number = new_number()
            facts = certificate_facts(
                application=application, number=number, issuer=actor, issued_on=issued_on
            )
            signature = signing.sign_facts(facts)
            try:
                with transaction.atomic():
                    certificate = Certificate.objects.create(
                        number=number,
                        application=application,
                        hours=Decimal(facts["confirmed_hours"]),
                        issued_by=actor,
                        payload=facts,
                        signature=signature.value,
                        key_id=signature.key_id,
                    )
                break
            except IntegrityError as exc:
                if Certificate.objects.filter(
                    application=application, revoked_at__isnull=True
                ).exists():
                    raise InvalidTransition(MSG_ALREADY_ISSUED) from exc
                continue  # number collision: draw again
        if certificate is None:
            raise InvalidTransition(_("Could not allocate a certificate number; try again."))
        audit_record(
            actor=actor,
            action="certificate.issue",
            target=certificate,
            data={"application": application.pk, "key_id": certificate.key_id},
        )
        # Imported here: tasks.py imports this module (tasks stay thin wrappers).
        from matchway.experience.tasks import certificate_render_task

        enqueue_on_commit(certificate_render_task, certificate.pk)
    return certificate


def verify_url(number: str) -> str:
    return absolute_url("certificates:verify", number)


def public_key_url() -> str:
    return absolute_url("certificates:public-key")


def certificate_render(*, certificate_id: int, now: dt.datetime | None = None) -> bool:
    """Render and store the PDF. Returns True if this call rendered it.

    Claims the work with compare-and-set (pending/failed, or a rendering claim older than
    STALE_RENDER) so two workers never render the same certificate; the PDF is drawn and
    written outside any transaction. Failures are recorded on the row for a retry.
    """
    current = now or clock.now()
    claimable = Certificate.objects.filter(pk=certificate_id).exclude(render_state=RenderState.DONE)
    claimed = claimable.filter(render_state__in=[RenderState.PENDING, RenderState.FAILED]).update(
        render_state=RenderState.RENDERING, render_claimed_at=current, render_error=""
    ) or claimable.filter(
        render_state=RenderState.RENDERING, render_claimed_at__lt=current - STALE_RENDER
    ).update(render_claimed_at=current, render_error="")
    if claimed != 1:
        return False  # race: done already, or another worker holds a fresh claim
    certificate = Certificate.objects.select_related("application__applicant").get(
        pk=certificate_id
    )
    try:
        data = certificate_pdf(
            certificate.payload,
            verify_url=verify_url(certificate.number),
            public_key_url=public_key_url(),
        )
        old_name = certificate.pdf.name if certificate.pdf else ""
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
        if old_name and old_name != certificate.pdf.name:
            certificate.pdf.storage.delete(old_name)
    except Exception as exc:  # record any failure so the page can offer a retry
        logger.exception("certificate %s: render failed", certificate.number)
        Certificate.objects.filter(pk=certificate_id).update(
            render_state=RenderState.FAILED, render_error=str(exc)[:500]
        )
        return False
    Certificate.objects.filter(pk=certificate_id).update(
        pdf=certificate.pdf.name,
        render_state=RenderState.DONE,
        rendered_at=clock.now(),
        render_error="",
    )
    email_send(
        to=[certificate.application.applicant.email],
        template="certificate_ready",
        context={
            "applicant_name": certificate.application.applicant.full_name,
            "rotation_title": certificate.payload.get("rotation_title", ""),
            "number": certificate.number,
            "link": absolute_url("certificates:detail", certificate.number),
            "verify_url": verify_url(certificate.number),
        },
    )
    return True


def certificate_render_retry(*, actor: User, certificate: Certificate) -> None:
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if certificate.render_state != RenderState.FAILED:
        raise InvalidTransition()
    audit_record(actor=actor, action="certificate.render_retry", target=certificate)
    from matchway.experience.tasks import certificate_render_task

    enqueue_on_commit(certificate_render_task, certificate.pk)


def certificates_render_stuck(*, now: dt.datetime | None = None) -> int:
    """Re-enqueue renders whose task was lost (pending or stale claims). Periodic."""
    current = now or clock.now()
    from matchway.experience.tasks import certificate_render_task

    cutoff = current - STALE_RENDER
    stuck = list(
        Certificate.objects.filter(
            Q(render_state=RenderState.PENDING, issued_at__lt=cutoff)
            | Q(render_state=RenderState.RENDERING, render_claimed_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )
    for pk in stuck:
        enqueue_on_commit(certificate_render_task, pk)
    return len(stuck)


def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """Revoke with a public reason (compare-and-set on `revoked_at`). Audited; emails the
    applicant. The verify page and API then say "revoked". A reason that may identify a
    patient raises `PhiDetected` first (anyone with the number reads it)."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    clean = (reason or "").strip()
    if not clean:
        raise ValidationFailed(errors={"reason": [str(MSG_REASON_REQUIRED)]})
    applicant = certificate.application.applicant
    PhiDetected.raise_if(
        phi_scan_fields({"reason": clean}, parties=[applicant.get_full_name()], physicians=True)
    )
    with transaction.atomic():
        updated = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=clock.now(), revoked_reason=clean[:1000], revoked_by=actor
        )
        if updated != 1:
            raise InvalidTransition(MSG_ALREADY_REVOKED)
        certificate.refresh_from_db()
        audit_record(
            actor=actor, action="certificate.revoke", target=certificate, data={"reason": clean}
        )
        application = certificate.application
        email_send(
            to=[application.applicant.email],
            template="certificate_revoked",
            context={
                "applicant_name": application.applicant.full_name,
                "number": certificate.number,
                "reason": clean,
                "rotation_title": certificate.payload.get("rotation_title", ""),
            },
        )
    return certificate


@dataclass(frozen=True)
class Verification:
    number: str
    valid: bool
    signature_valid: bool
    revoked: bool
    revoked_reason: str
    revoked_at: dt.datetime | None
    facts: dict[str, Any]


def certificate_verify(certificate: Certificate) -> Verification:
    """Check the stored signature and that the signed facts match the row they sit on.

    A signature copied from another certificate fails (the number is inside the signed
    facts); so does an edited hours column, a changed fact, or a key the site never had.
    """
    facts = dict(certificate.payload or {})
    signature_ok = signing.verify_facts(facts, certificate.signature, kid=certificate.key_id)
    consistent = facts.get("number") == certificate.number and facts.get("confirmed_hours") == str(
        certificate.hours
    )
    signature_valid = signature_ok and consistent
    revoked = certificate.revoked_at is not None
    return Verification(
        number=certificate.number,
        valid=signature_valid and not revoked,
        signature_valid=signature_valid,
        revoked=revoked,
        revoked_reason=certificate.revoked_reason if revoked else "",
        revoked_at=certificate.revoked_at,
        facts=facts,
    )
