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


def test_parties_and_known_values_are_not_findings() -> None:
    text = (
        "Dear Dr. Maria Rivera, thank you for the rotation (March 3 to March 28, 2027); "
        "the letter is due by April 20, 2027. Email rivera@example.org.\nKind regards,\n"
        "Amina Okafor"
    )
    assert {f.kind for f in phi_scan_fields({"m": text})["m"]} >= {"name", "date", "email"}
    clean = phi_scan_fields(
        {"m": text},
        parties=["Dr. Maria Rivera", "Amina Okafor"],
        known=["March 3", "March 28, 2027", "April 20, 2027", "rivera@example.org"],
    )
    assert clean == {}


def test_parties_do_not_hide_a_patient() -> None:
    text = "Dear Dr. Rivera, Mrs. Canary Jane Doe (MRN 88442211, DOB 03/04/1950) was seen."
    findings = phi_scan_fields(
        {"m": text}, parties=["Dr. Maria Rivera", "Jane Doe"], known=["April 20, 2027"]
    )
    found = {f.text for f in findings["m"]}
    assert "Dr. Rivera" not in found
    assert {"88442211", "03/04/1950"} <= found
    assert any("Canary" in t for t in found)


def test_physicians_option_lets_titled_clinicians_through_but_not_patients() -> None:
    text = "Dr. Chen suggested I ask you. Mrs. Canary Doe was admitted."
    assert {f.text for f in phi_scan_fields({"m": text})["m"]} >= {"Dr. Chen"}
    found = {f.text for f in phi_scan_fields({"m": text}, physicians=True)["m"]}
    assert "Dr. Chen" not in found
    assert any("Canary" in t for t in found)
