"""Tests for the pure-Python PHI detector (no database, no Django)."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from matchway.phi import KINDS, Finding, find_phi
from matchway.phi.metrics import CORPUS_PATH, load_corpus, score

REPO_ROOT = Path(__file__).resolve().parents[3]


def _kinds_and_texts(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_phi(text)]


# --- API shape ----------------------------------------------------------------------------


def test_kinds_are_the_published_tuple() -> None:
    assert KINDS == (
        "name", "date", "age", "phone", "fax", "email", "ssn", "mrn",
        "account", "id", "address", "zip", "url", "ip", "device", "plate",
    )  # fmt: skip


def test_finding_is_frozen_and_slotted() -> None:
    finding = Finding("mrn", 4, 11, "1234567", "[MRN]")
    assert not hasattr(finding, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "id"  # type: ignore[misc]


def test_empty_and_blank_text() -> None:
    assert find_phi("") == []
    assert find_phi("   \n\t ") == []


# --- one case per kind --------------------------------------------------------------------

KIND_CASES = [
    ("I presented Mrs. Gomez to the attending.", "name", "Mrs. Gomez"),
    ("Mrs Gomez asked about her results.", "name", "Mrs Gomez"),
    ("The patient John Whitaker was admitted.", "name", "John Whitaker"),
    ("Saw pt Maria Lopez today.", "name", "Maria Lopez"),
    ("A man named Viktor Haldane was admitted.", "name", "Viktor Haldane"),
    ("Her husband Carlos stayed overnight.", "name", "Carlos"),
    ("Rounds with Dr. Rebecca Thornton began.", "name", "Dr. Rebecca Thornton"),
    ("She was admitted on 03/14/2024.", "date", "03/14/2024"),
    ("Discharged on March 14, 2024 with a walker.", "date", "March 14, 2024"),
    ("The biopsy was done on 14 March 2024.", "date", "14 March 2024"),
    ("Admission date: 2024-03-14.", "date", "2024-03-14"),
    ("DOB 7/2/1948.", "date", "7/2/1948"),
    ("A 92-year-old woman fell.", "age", "A 92-year-old woman"),
    ("The patient, aged 95, lives alone.", "age", "aged 95"),
    ("Nursing home resident, age 101.", "age", "age 101"),
    ("93 yo M with CHF.", "age", "93 yo M"),
    ("Call the daughter at (415) 555-2671.", "phone", "(415) 555-2671"),
    ("Contact number: +1 212 555 0123.", "phone", "+1 212 555 0123"),
    ("Fax: 415.555.0172", "fax", "415.555.0172"),
    ("F: 212-555-0190", "fax", "212-555-0190"),
    ("Her son emailed me at d.kim@example.com today.", "email", "d.kim@example.com"),
    ("SSN 123-45-6789 was on the face sheet.", "ssn", "123-45-6789"),
    ("SSN 123456789 was written down.", "ssn", "123456789"),
    ("MRN 1234567, admitted to 7 West.", "mrn", "1234567"),
    ("medical record number: A123456", "mrn", "A123456"),
    ("MR# 99812 was on the label.", "mrn", "99812"),
    ("Billing flagged account 123456.", "account", "123456"),
    ("Acct # 88123945 has a balance.", "account", "88123945"),
    ("ID: XK-99812", "id", "XK-99812"),
    ("Member ID ZXP8812340 was denied.", "id", "ZXP8812340"),
    ("He lives at 123 Main Street with his sister.", "address", "123 Main Street"),
    ("Home address is 45 Oak Ave Apt 3.", "address", "45 Oak Ave Apt 3"),
    ("She moved to Boston, MA 02115 last year.", "zip", "02115"),
    ("Her zip code 10027 is in range.", "zip", "10027"),
    ("Photos at https://www.facebook.com/someone.9921.", "url", "https://www.facebook.com/someone.9921"),
    ("Login from 192.168.10.45 was blocked.", "ip", "192.168.10.45"),
    ("Trace shows 2001:db8::8a2e:370:7334 in the log.", "ip", "2001:db8::8a2e:370:7334"),
    ("The pacemaker serial SN 4471-XZ was checked.", "device", "4471-XZ"),
    ("Serial number PJN882211H was recalled.", "device", "PJN882211H"),
    ("Security noted license plate 7ABC123.", "plate", "7ABC123"),
    ("The report listed plate number ABC-1234.", "plate", "ABC-1234"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind", "expected"), KIND_CASES)
def test_detects_each_kind(text: str, kind: str, expected: str) -> None:
    assert (kind, expected) in _kinds_and_texts(text)


def test_every_kind_has_a_case() -> None:
    assert {kind for _, kind, _ in KIND_CASES} == set(KINDS)


# --- harmless clinical text ---------------------------------------------------------------

HARMLESS = [
    "BP 120/80", "day 3 of antibiotics", "Dr. on call", "HR 88", "troponin 0.04",
    "2 L NS bolus", "PGY-2 resident presented", "ICU bed 4", "Follow-up in 2 weeks",
    "Step 2 CK", "ACGME", "the attending", "a woman in her 60s", "T 38.2 C", "K 5.9", "q6h",
    "10 mg IV", "ECG at 14:30", "grade 3 murmur", "1 in 4 patients",
    "in 2023 I rotated through surgery", "Parkinson disease", "Glasgow Coma Scale 15",
    "Foley catheter", "Murphy sign was positive", "On Monday we rounded early",
    "In March we started the project", "Take 1/2 tablet twice daily", "platelets 15000",
    "A 45-year-old man with chest pain", "An 89-year-old woman was admitted",
    "The ID consult recommended cefazolin", "Serial troponins were flat",
    "Smoking accounts for most COPD", "The growth plate fracture healed",
    "CPT 99214 was billed", "Pain 7/10", "Strength 5/5", "She takes St. John's wort",
    "A Jackson-Pratt drain was placed", "Pt Denies chest pain", "Version 2.1.4 crashed",
    "ED arrival at 23:45", "Our clinic serves 12,000 patients", "Medicare Part D",
]  # fmt: skip


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_text_is_not_flagged(text: str) -> None:
    assert find_phi(text) == []


@pytest.mark.parametrize("age", ["a 45-year-old", "aged 65", "age 89", "an 89 yo", "age 30"])
def test_ages_of_89_and_under_are_not_phi(age: str) -> None:
    assert find_phi(f"Saw {age} patient today.") == []


# --- overlap resolution, offsets and suggestions -------------------------------------------


def test_labelled_identifier_wins_over_phone_shape() -> None:
    assert _kinds_and_texts("MRN 2125550147 was on the wristband.") == [("mrn", "2125550147")]


def test_url_wins_over_ip_inside_it() -> None:
    assert _kinds_and_texts("Viewer at http://192.168.1.20/pacs loaded.") == [
        ("url", "http://192.168.1.20/pacs")
    ]


def test_idaho_abbreviation_is_a_zip_context_not_an_id_label() -> None:
    assert _kinds_and_texts("She lives in Boise, ID 83702 now.") == [("zip", "83702")]


def test_phone_and_fax_on_one_line() -> None:
    assert _kinds_and_texts("Tel 713-555-0120, Fax 713-555-0121.") == [
        ("phone", "713-555-0120"),
        ("fax", "713-555-0121"),
    ]


def test_findings_are_sorted_and_do_not_overlap() -> None:
    text = (
        "Mrs. Gomez (MRN 5521903), a 91-year-old from 14 Juniper Way, Springfield, IL 62704, "
        "was admitted on 03/02/2024; call (612) 555-0119 or write gloria.n@example.org."
    )
    findings = find_phi(text)
    assert [f.kind for f in findings] == [
        "name", "mrn", "age", "address", "zip", "date", "phone", "email",
    ]  # fmt: skip
    for before, after in itertools.pairwise(findings):
        assert before.end <= after.start


def test_offsets_survive_unicode_before_the_match() -> None:
    text = "🙂 Über-müde heute. Mrs. Nguyễn, MRN 1234567."
    findings = find_phi(text)
    assert [(f.kind, f.text) for f in findings] == [("name", "Mrs. Nguyễn"), ("mrn", "1234567")]
    for f in findings:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("MRN 1234567", "[MRN]"),
        ("call 617-253-1000 now", "[phone]"),
        ("seen on 03/14/2024", "[date]"),
        ("A 92-year-old man", "a patient over 89"),
        ("Mrs. Gomez is better", "the patient"),
        ("Dr. Patel taught me", "the physician"),
    ],
)
def test_suggestions(text: str, suggestion: str) -> None:
    (finding,) = find_phi(text)
    assert finding.suggestion == suggestion


def test_every_corpus_finding_is_well_formed() -> None:
    for example in load_corpus():
        findings = find_phi(example.text)
        assert findings == sorted(findings, key=lambda f: f.start)
        for f in findings:
            assert f.kind in KINDS
            assert 0 <= f.start < f.end <= len(example.text)
            assert example.text[f.start : f.end] == f.text
            assert f.suggestion
        for before, after in itertools.pairwise(findings):
            assert before.end <= after.start


# --- robustness -----------------------------------------------------------------------------

ADVERSARIAL = [
    "a" * 100_000,
    "1" * 100_000,
    "a@" * 50_000,
    "a." * 50_000,
    "1." * 50_000,
    "1-" * 50_000,
    "1:" * 50_000,
    "1/" * 50_000,
    "ab:" * 33_334,
    "Dr. " * 25_000,
    "Aaaa " * 20_000,
    "MRN " * 25_000,
    "http://" * 14_286,
    ("x" * 60 + "@") * 1_640,
    "(111) " * 16_667,
    "+1 " * 33_334,
    "İ" * 100_000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:8]))
def test_adversarial_long_inputs_finish(text: str) -> None:
    # No timing assertion (it would flake); a catastrophic backtrack would hang this test.
    findings = find_phi(text)
    assert len(text) >= 100_000 - 10
    for f in findings:
        assert text[f.start : f.end] == f.text


def test_long_realistic_input() -> None:
    journal = " ".join(example.text for example in load_corpus())
    journal = (journal * 3)[:100_000]
    findings = find_phi(journal)
    assert len(findings) > 300
    assert all(journal[f.start : f.end] == f.text for f in findings)


# --- corpus and metrics ---------------------------------------------------------------------


def test_corpus_is_large_balanced_and_covers_every_kind() -> None:
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    assert len(records) >= 320
    with_phi = sum(1 for r in records if r["spans"])
    assert 0.35 <= with_phi / len(records) <= 0.65
    kinds = {span["kind"] for r in records for span in r["spans"]}
    assert kinds == set(KINDS)
    for r in records:
        for span in r["spans"]:
            assert span["text"] in r["text"]


def test_corpus_metrics_meet_targets() -> None:
    report = score(load_corpus())
    assert report.overall.recall >= 0.95
    assert report.overall.precision >= 0.90
    for kind in KINDS:
        assert report.per_kind[kind].recall >= 0.85, kind


def test_bench_script_runs_without_django() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "phi_metrics.py")],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert "overall" in result.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, matchway.phi; "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))",
        ],
        cwd=REPO_ROOT,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0
