"""Patient identifiers in patient stories, via the shared PHI detector in ``matchway.core``."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from .types import ERROR, Finding

logger = logging.getLogger(__name__)
_warned = False

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


def _load_find_phi() -> Callable[[str], list[Any]] | None:
    # Imported lazily: the detector lives in another package and the analyser must still
    # work (without this check) if that package fails to import.
    global _warned
    try:
        from matchway.core.phi import find_phi
    except ImportError:
        if not _warned:  # once per process, not once per analysis
            logger.warning("matchway.core.phi is unavailable; statement PHI check skipped")
            _warned = True
        return None
    return find_phi  # type: ignore[no-any-return]


def phi_findings(text: str) -> list[Finding]:
    find_phi = _load_find_phi()
    if find_phi is None:
        return []
    findings = []
    for hit in find_phi(text):
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
