"""Patient identifiers in patient stories, via the shared PHI detector ``matchway.phi``.

Imported at module top on purpose: if the detector cannot be imported, the analyser must
fail loudly rather than skip the privacy check.
"""

from __future__ import annotations

from matchway.phi.guard import phi_scan_fields

from .types import ERROR, Finding

_LABELS = {
    "name": "a patient name",
    "date": "a specific date",
    "age": "an age over 89",
    "phone": "a phone number",
    "fax": "a fax number",
    "email": "an email address",
    "ssn": "a social security number",
    "mrn": "a medical record number",
    "account": "an account number",
    "id": "an ID number",
    "address": "a street address",
    "zip": "a ZIP code",
    "url": "a web address",
    "ip": "an IP address",
    "device": "a device identifier",
    "plate": "a licence plate",
}


def phi_findings(text: str) -> list[Finding]:
    """Possible patient identifiers. A clinician named with a physician's title ("Dr. Chen",
    "Prof. Ito") is a teacher or colleague, not a patient, so the guard's `physicians`
    option lets those through; "Mrs. Doe", "patient X", dates and numbers still count."""
    findings = []
    for hit in phi_scan_fields({"text": text}, physicians=True).get("text", []):
        what = _LABELS.get(str(hit.kind), f"an identifier ({hit.kind})")
        findings.append(
            Finding(
                "phi",
                ERROR,
                int(hit.start),
                int(hit.end),
                # The matched text is not repeated: findings are stored and logged.
                f"This looks like {what}; patient stories must not identify the patient.",
                str(hit.suggestion)
                or "Remove it or replace it with a general description ('a man in his 50s').",
            )
        )
    return findings
