"""JSON API for the rotation experience: the PHI check and public certificate verification.

Mounted under /api/v1/ by core.discovery like every app's `router`; operation ids keep their
`rotations_` names (public interface).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from matchway.api.schemas import ErrorOut, ValidationErrorOut
from matchway.core.exceptions import NotFound
from matchway.experience.selectors_pages import certificate_get_public
from matchway.experience.services.certificates import certificate_verify
from matchway.phi import find_phi

router = Router(tags=["experience"])

# Generous (a whole personal statement fits) but bounded: the detector is linear, yet an
# unbounded body would still let one request pin a worker.
PHI_CHECK_MAX_CHARS = 100_000


class PhiCheckIn(Schema):
    text: str = Field(..., max_length=PHI_CHECK_MAX_CHARS)


class PhiFindingOut(Schema):
    kind: str = Field(..., description="name, date, age, phone, fax, email, ssn, mrn, …")
    start: int = Field(..., description="Python string index of the first character")
    end: int = Field(..., description="index one past the last character")
    text: str
    suggestion: str = Field(..., description="A neutral replacement, e.g. [MRN]")


class PhiCheckOut(Schema):
    findings: list[PhiFindingOut]


@router.post(
    "/phi-check",
    response={200: PhiCheckOut, 401: ErrorOut, 422: ValidationErrorOut},
    operation_id="rotations_phi_check",
    summary="Find protected health information in a text (nothing is stored or logged)",
)
def phi_check(request: HttpRequest, payload: PhiCheckIn) -> Any:
    # Deliberately no audit event and no logging: the text may itself be PHI.
    return {
        "findings": [
            {
                "kind": f.kind,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "suggestion": f.suggestion,
            }
            for f in find_phi(payload.text)
        ]
    }


class CertificateFactsOut(Schema):
    """Exactly the signed facts. Defaults only keep a damaged row from breaking the reply
    (its signature then fails anyway)."""

    format: str = ""
    number: str = ""
    applicant_name: str = ""
    rotation_title: str = ""
    specialty: str = ""
    kind: str = ""
    kind_statement: str = ""
    hands_on: bool = False
    site: str = ""
    site_location: str = ""
    preceptors: list[str] = Field(default_factory=list)
    start_date: str = ""
    end_date: str = ""
    weeks: int = 0
    confirmed_hours: str = ""
    issued_on: str = ""
    issuer: str = ""
    issuer_organization: str = ""


class CertificateOut(Schema):
    number: str
    valid: bool
    signature_valid: bool
    revoked: bool
    revoked_reason: str
    signature: str = Field(..., description="Ed25519 signature, base64url, over the facts")
    key_id: str
    facts: CertificateFactsOut


@router.get(
    "/certificates/{number}",
    response={200: CertificateOut, 404: ErrorOut},
    auth=None,
    operation_id="rotations_certificate_get",
    summary="Verify a certificate: its signed facts and whether the signature holds",
)
def certificate_get(request: HttpRequest, number: str) -> Any:
    certificate = certificate_get_public(number)
    if certificate is None:
        raise NotFound()
    result = certificate_verify(certificate)
    return {
        "number": result.number,
        "valid": result.valid,
        "signature_valid": result.signature_valid,
        "revoked": result.revoked,
        "revoked_reason": result.revoked_reason,
        "signature": certificate.signature,
        "key_id": certificate.key_id,
        "facts": result.facts,
    }
