"""Visitor-visa invitation letters: request, issue (sign + PDF), refuse, revoke, verify.

Which rotations may have a letter is reference data (`reference.visa_rules`). Signing reuses
the certificate key and format (`core.signing`). The signed facts are only what the public
verify page shows — number, passport name, dates, issuer, issue date — so anyone can check
them; the passport number and the rest of the letter stay in the row and the private PDF.
The passport number is never written to audit data, logs or emails. docs/dev/visa-letters.md.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import ApplicantProfile, Role, User
from matchway.core import clock, signing
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.links import absolute_url
from matchway.organization.selectors import organization_current
from matchway.reference.visa_rules import VisaRuleDecision, visa_rule_decide

from ..models import (
    Application,
    ApplicationStatus,
    RotationKind,
    SiteKind,
    VisaLetter,
    VisaLetterStatus,
)
from ..visa_pdf import visa_letter_pdf
from .applications import refuse_phi

logger = logging.getLogger(__name__)

FORMAT = "matchway-visa-letter/1"
NUMBER_PREFIX = "VL-"
NUMBER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32, as certificates
NUMBER_LENGTH = 10
NUMBER_ATTEMPTS = 5
DEFAULT_PAID_BY = "The applicant (self-funded)"
PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")

REQUESTABLE = (ApplicationStatus.CONFIRMED,)
ISSUABLE = (ApplicationStatus.CONFIRMED, ApplicationStatus.IN_PROGRESS)

REFUSALS: dict[str, Any] = {
    "observation_only": _(
        "On a visitor visa (B-1/B-2) a graduate may observe but may not give hands-on "
        "patient care. This rotation is hands-on, so we cannot write a visitor-visa letter "
        "for it. An observership can have one."
    ),
    "student_hands_on_other": _(
        "On a visitor visa an enrolled student may take hands-on patient care only in an "
        "unpaid elective clerkship. This hands-on rotation is not a clerkship, so we cannot "
        "write a visitor-visa letter for it."
    ),
    "research_needs_j1": _(
        "Research needs a J-1 visa, not a visitor visa, so we cannot write a visitor-visa "
        "letter for a research rotation."
    ),
    "remote_no_travel": _(
        "A telehealth rotation is done remotely: there is no visit to invite you to, so "
        "there is no visa letter for it."
    ),
}
MSG_NO_RULE = _("We cannot write a visitor-visa letter for this rotation.")
MSG_NOT_CONFIRMED = _("A visa letter can be requested once your application is confirmed.")
MSG_OPEN_EXISTS = _("This application already has a visa letter request or an issued letter.")
MSG_PASSPORT = _("Enter the passport number as printed: 5 to 20 letters and digits.")
MSG_NAME = _("Enter your name exactly as it is printed in your passport.")
MSG_PAID_BY = _("Say who pays the costs (for example: myself; my family; my medical school).")
MSG_REASON = _("Give a reason; the applicant reads it.")
MSG_NOT_REQUESTED = _("This letter is not waiting for a decision any more.")
MSG_NOT_ISSUED = _("Only an issued letter can be revoked.")
MSG_PHYSICAL_SITE = _("The site has no street address; add it before issuing the letter.")


# --- the rule -----------------------------------------------------------------------------


def applicant_is_graduate(user: User) -> bool:
    """From the applicant profile. No profile counts as a graduate: the student exception
    needs the applicant to have said they are enrolled."""
    profile = ApplicantProfile.objects.filter(user=user).only("is_graduate").first()
    return True if profile is None else profile.is_graduate


def rotation_is_hands_on(kind: str, hands_on: bool) -> bool:
    """An observership is never hands-on, whatever the flag says (as on certificates)."""
    if kind == RotationKind.OBSERVERSHIP:
        return False
    return hands_on


@dataclass(frozen=True)
class VisaEligibility:
    decision: VisaRuleDecision
    is_graduate: bool
    hands_on: bool

    @property
    def allowed(self) -> bool:
        return self.decision.allowed

    @property
    def explanation(self) -> str:
        return str(REFUSALS.get(self.decision.code, MSG_NO_RULE))

    @property
    def unverified(self) -> bool:
        """Allowed by a rule that no stored official source confirms."""
        return self.decision.allowed and self.decision.confirmed is False


def visa_letter_eligibility(application: Application) -> VisaEligibility:
    rotation = application.session.rotation
    is_graduate = applicant_is_graduate(application.applicant)
    hands_on = rotation_is_hands_on(rotation.kind, rotation.hands_on)
    decision = visa_rule_decide(is_graduate=is_graduate, kind=rotation.kind, hands_on=hands_on)
    return VisaEligibility(decision=decision, is_graduate=is_graduate, hands_on=hands_on)


def normalize_passport_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


# --- request ------------------------------------------------------------------------------


def visa_letter_request(
    *,
    actor: User,
    application: Application,
    passport_name: str,
    passport_number: str,
    paid_by: str = "",
) -> VisaLetter:
    """The applicant asks for a letter for their confirmed application.

    Refused (InvalidTransition, nothing stored) when the rule does not allow a letter for
    this applicant and rotation; the message explains why. Coordinators are emailed after
    commit. Audited without the passport number.
    """
    if actor.pk != application.applicant_id:
        raise AccessDenied()
    errors: dict[str, list[str]] = {}
    name = " ".join((passport_name or "").split())[:200]
    number = normalize_passport_number(passport_number)
    funding = " ".join((paid_by or "").split())[:300] or DEFAULT_PAID_BY
    if not name:
        errors["passport_name"] = [str(MSG_NAME)]
    if not PASSPORT_RE.match(number):
        errors["passport_number"] = [str(MSG_PASSPORT)]
    if len(funding) < 2:
        errors["paid_by"] = [str(MSG_PAID_BY)]
    if errors:
        raise ValidationFailed(errors=errors)
    if application.status not in REQUESTABLE:
        raise InvalidTransition(MSG_NOT_CONFIRMED)
    eligibility = visa_letter_eligibility(application)
    if not eligibility.allowed:
        raise InvalidTransition(eligibility.explanation)
    try:
        with transaction.atomic():
            letter = VisaLetter.objects.create(
                application=application,
                passport_name=name,
                passport_number=number,
                paid_by=funding,
            )
            audit_record(
                actor=actor,
                action="visa_letter.request",
                target=letter,
                data={"application": application.pk, "rule": eligibility.decision.code},
            )
    except IntegrityError as exc:
        raise InvalidTransition(MSG_OPEN_EXISTS) from exc
    _notify_coordinators(letter)
    return letter


def _notify_coordinators(letter: VisaLetter) -> None:
    from matchway.accounts.selectors import user_list_by_role

    emails = list(user_list_by_role(Role.COORDINATOR).values_list("email", flat=True))
    if not emails:
        return
    application = letter.application
    email_send(
        to=emails,
        template="visa_letter_requested",
        context={
            "applicant_name": application.applicant.full_name,
            "rotation_title": application.session.rotation.title,
            "link": absolute_url("visa_letters:detail", letter.pk),
        },
    )


# --- issue --------------------------------------------------------------------------------


def new_number() -> str:
    return NUMBER_PREFIX + "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_LENGTH))


def verify_url(number: str) -> str:
    return absolute_url("visa_letters:verify", number)


def kind_statement(*, kind: str, hands_on: bool, name: str) -> str:
    """How the letter describes the rotation, honestly (English: it is printed once)."""
    if not hands_on:
        what = "an observership" if kind == RotationKind.OBSERVERSHIP else "a rotation"
        return (
            f"This is {what} for observation only. {name} will not give hands-on patient "
            "care: no examining or treating patients, no orders, no notes in patient "
            "records. All time on site is supervised by the site's physicians."
        )
    return (
        f"This is an unpaid elective clerkship for {name} as an enrolled medical student, "
        "taken as part of the student's medical education. Any patient contact is under "
        "the direct supervision of the site's physicians."
    )


def visa_letter_public_facts(
    *, letter: VisaLetter, number: str, issued_on: dt.date, organization_name: str
) -> dict[str, Any]:
    """What is signed — and what the public verify page shows: nothing private."""
    session = letter.application.session
    return {
        "format": FORMAT,
        "number": number,
        "name": letter.passport_name,
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "issued_on": issued_on.isoformat(),
        "issuer_organization": organization_name,
    }


def visa_letter_content(
    *, letter: VisaLetter, number: str, issuer: User, issued_on: dt.date
) -> dict[str, Any]:
    """Everything the PDF prints (private: contains the full passport number)."""
    application = letter.application
    session = application.session
    rotation = session.rotation
    site = rotation.site
    org = organization_current()
    place = ", ".join(p for p in (site.city, site.state_id or "") if p)
    return {
        "number": number,
        "issued_on": issued_on.isoformat(),
        "passport_name": letter.passport_name,
        "passport_number": letter.passport_number,
        "paid_by": letter.paid_by,
        "rotation_title": rotation.title,
        "specialty": rotation.specialty.name,
        "kind_statement": kind_statement(
            kind=rotation.kind,
            hands_on=rotation_is_hands_on(rotation.kind, rotation.hands_on),
            name=letter.passport_name,
        ),
        "site_name": site.name,
        "site_address": ", ".join(p for p in (site.address, place) if p),
        "start_date": session.start_date.isoformat(),
        "end_date": session.end_date.isoformat(),
        "organization_name": org.name,
        "organization_legal_name": org.legal_name,
        "organization_address": org.address,
        "organization_email": org.contact_email,
        "organization_phone": org.phone,
        "organization_website": org.website,
        "issuer_name": issuer.full_name,
        "verify_url": verify_url(number),
        "public_key_url": absolute_url("certificates:public-key"),
    }


def visa_letter_issue(*, actor: User, letter: VisaLetter) -> VisaLetter:
    """Sign, render and store the letter, then mark it issued (compare-and-set on
    `requested`). The rule is checked again (the profile or rotation may have changed).
    The PDF is written before the status flips; if the flip loses a race the file is
    deleted. Audited; the applicant is emailed after commit."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if letter.status != VisaLetterStatus.REQUESTED:
        raise InvalidTransition(MSG_NOT_REQUESTED)
    application = letter.application
    if application.status not in ISSUABLE:
        raise InvalidTransition(MSG_NOT_CONFIRMED)
    eligibility = visa_letter_eligibility(application)
    if not eligibility.allowed:
        raise InvalidTransition(eligibility.explanation)
    site = application.session.rotation.site
    if site.kind == SiteKind.VIRTUAL or not site.address:
        raise InvalidTransition(MSG_PHYSICAL_SITE)
    issued_on = clock.provider_today()
    org_name = organization_current().name
    for _attempt in range(NUMBER_ATTEMPTS):
        number = new_number()
        if not VisaLetter.objects.filter(number=number).exists():
            break
    else:  # pragma: no cover - 50 random bits
        raise InvalidTransition(_("Could not allocate a letter number; try again."))
    facts = visa_letter_public_facts(
        letter=letter, number=number, issued_on=issued_on, organization_name=org_name
    )
    signature = signing.sign_facts(facts)
    data = visa_letter_pdf(
        visa_letter_content(letter=letter, number=number, issuer=actor, issued_on=issued_on)
    )
    letter.pdf.save(f"{number}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            updated = VisaLetter.objects.filter(
                pk=letter.pk, status=VisaLetterStatus.REQUESTED
            ).update(
                status=VisaLetterStatus.ISSUED,
                number=number,
                payload=facts,
                signature=signature.value,
                key_id=signature.key_id,
                pdf=letter.pdf.name,
                issued_at=clock.now(),
                issued_by=actor,
            )
            if updated != 1:
                raise InvalidTransition(MSG_NOT_REQUESTED)
            letter.refresh_from_db()
            audit_record(
                actor=actor,
                action="visa_letter.issue",
                target=letter,
                data={"application": application.pk, "key_id": signature.key_id},
            )
            _email_applicant(letter, "visa_letter_issued")
    except Exception:
        letter.pdf.storage.delete(letter.pdf.name)
        raise
    return letter


def _email_applicant(letter: VisaLetter, template: str, **extra: Any) -> None:
    application = letter.application
    email_send(
        to=[application.applicant.email],
        template=template,
        context={
            "applicant_name": application.applicant.full_name,
            "rotation_title": application.session.rotation.title,
            "number": letter.number or "",
            "link": absolute_url("visa_letters:detail", letter.pk),
            **extra,
        },
    )


# --- refuse and revoke --------------------------------------------------------------------


def _reason(reason: str) -> str:
    clean = (reason or "").strip()
    if not clean:
        raise ValidationFailed(errors={"reason": [str(MSG_REASON)]})
    return clean[:1000]


def visa_letter_refuse(*, actor: User, letter: VisaLetter, reason: str) -> VisaLetter:
    return _close(
        actor=actor,
        letter=letter,
        reason=reason,
        source=VisaLetterStatus.REQUESTED,
        not_allowed=MSG_NOT_REQUESTED,
        action="visa_letter.refuse",
        template="visa_letter_refused",
        fields=lambda now, clean: {
            "status": VisaLetterStatus.REFUSED,
            "refused_at": now,
            "refused_by": actor,
            "refusal_reason": clean,
        },
    )


def visa_letter_revoke(*, actor: User, letter: VisaLetter, reason: str) -> VisaLetter:
    """The public verify page then says "revoked"; the applicant can no longer download."""
    return _close(
        actor=actor,
        letter=letter,
        reason=reason,
        source=VisaLetterStatus.ISSUED,
        not_allowed=MSG_NOT_ISSUED,
        action="visa_letter.revoke",
        template="visa_letter_revoked",
        fields=lambda now, clean: {
            "status": VisaLetterStatus.REVOKED,
            "revoked_at": now,
            "revoked_by": actor,
            "revoked_reason": clean,
        },
    )


def _close(
    *,
    actor: User,
    letter: VisaLetter,
    reason: str,
    source: str,
    not_allowed: Any,
    action: str,
    template: str,
    fields: Callable[[dt.datetime, str], dict[str, Any]],
) -> VisaLetter:
    """Refuse or revoke: a coordinator's reason (read by the applicant, so it passes the PHI
    guard), a compare-and-set on the status, an audit record and the applicant's email."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    clean = _reason(reason)
    refuse_phi("reason", clean, people=[letter.application.applicant, actor])
    with transaction.atomic():
        updated = VisaLetter.objects.filter(pk=letter.pk, status=source).update(
            **fields(clock.now(), clean)
        )
        if updated != 1:
            raise InvalidTransition(not_allowed)
        letter.refresh_from_db()
        audit_record(
            actor=actor, action=action, target=letter, data={"application": letter.application_id}
        )
        _email_applicant(letter, template, reason=clean)
    return letter


# --- verify -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisaLetterVerification:
    number: str
    valid: bool
    signature_valid: bool
    revoked: bool
    name: str
    start_date: dt.date | None
    end_date: dt.date | None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def visa_letter_verify(letter: VisaLetter) -> VisaLetterVerification:
    """The signature over the stored public facts, and those facts agree with the row."""
    facts = dict(letter.payload or {})
    signature_ok = bool(letter.signature) and signing.verify_facts(
        facts, letter.signature, kid=letter.key_id
    )
    consistent = facts.get("number") == letter.number and facts.get("name") == (
        letter.passport_name
    )
    signature_valid = signature_ok and consistent
    revoked = letter.status == VisaLetterStatus.REVOKED
    return VisaLetterVerification(
        number=letter.number or "",
        valid=signature_valid and not revoked,
        signature_valid=signature_valid,
        revoked=revoked,
        name=str(facts.get("name", "")),
        start_date=_date(facts.get("start_date")),
        end_date=_date(facts.get("end_date")),
    )
