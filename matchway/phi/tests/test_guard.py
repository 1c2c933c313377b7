"""The one PHI guard for free text that leaves its author (pure, no database)."""

from __future__ import annotations

import pytest

from matchway.phi.guard import PhiFound, phi_guard, phi_scan_fields


def test_scan_reports_findings_per_field_only_where_found() -> None:
    findings = phi_scan_fields(
        {"a": "Mrs. Canary Testperson, MRN 99887766", "b": "Fine.", "c": None}
    )
    assert set(findings) == {"a"}
    assert {"name", "mrn"} <= {f.kind for f in findings["a"]}


def test_guard_raises_without_the_text_in_its_message() -> None:
    with pytest.raises(PhiFound) as found:
        phi_guard({"body": "SSN 123-45-6789"})
    assert "ssn" in {f.kind for f in found.value.findings["body"]}
    assert "123-45-6789" not in str(found.value)
    phi_guard({"body": "Lead with the plan."})  # clean text passes
