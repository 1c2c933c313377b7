"""PDF rendering is a pure function: parse what it produces and check the text."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdf
import pytest

from matchway.experience import pdf
from matchway.experience.services.certificates import kind_statement

VERIFY = "https://matchway.example.org/certificates/verify/MW-ABCDEFGH23/"
KEY = "https://matchway.example.org/certificates/public-key/"


def _facts(**overrides: Any) -> dict[str, Any]:
    statement, hands_on = kind_statement("observership", True)
    facts = {
        "format": "matchway-certificate/1",
        "number": "MW-ABCDEFGH23",
        "applicant_name": "Nguyễn Thị Hương",
        "rotation_title": "Internal Medicine Inpatient Observership",
        "specialty": "Internal Medicine",
        "kind": "observership",
        "kind_statement": statement,
        "hands_on": hands_on,
        "site": "Lakeside Community Hospital",
        "site_location": "Chicago, IL",
        "preceptors": ["Dr. Daniel Reyes"],
        "start_date": "2026-01-05",
        "end_date": "2026-01-30",
        "weeks": 4,
        "confirmed_hours": "152.0",
        "issued_on": "2026-02-03",
        "issuer": "Grace Lin",
        "issuer_organization": "Matchway",
    }
    facts.update(overrides)
    return facts


def _read(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())


def test_certificate_pdf_states_the_facts() -> None:
    reader, text = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))
    assert len(reader.pages) == 1
    for expected in (
        "Certificate of Completion",
        "Nguyễn Thị Hương",
        "MW-ABCDEFGH23",
        "Internal Medicine Inpatient Observership",
        "Observership — observation only; no hands-on patient care",
        "Lakeside Community Hospital, Chicago, IL",
        "Dr. Daniel Reyes",
        "January 5, 2026 – January 30, 2026",
        "4 weeks",
        "152.0 hours",
        "February 3, 2026 by Grace Lin",
        VERIFY,
    ):
        assert expected in text, expected
    assert "hands-on patient care under supervision" not in text


def test_certificate_pdf_is_us_letter_with_the_number_in_metadata() -> None:
    reader, _text = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))
    box = reader.pages[0].mediabox
    assert sorted((round(float(box.width)), round(float(box.height)))) == [612, 792]
    metadata = reader.metadata
    assert metadata is not None
    assert "MW-ABCDEFGH23" in str(metadata.title)
    assert "certificate-number:MW-ABCDEFGH23" in str(metadata.get("/Keywords"))


def test_certificate_pdf_embeds_a_qr_image() -> None:
    reader, _text = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))
    assert len(reader.pages[0].images) == 1


def test_same_facts_same_text() -> None:
    one = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))[1]
    two = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))[1]
    assert one == two


def test_core_font_fallback_folds_to_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    pdf._fonts.cache_clear()
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    try:
        _reader, text = _read(pdf.certificate_pdf(_facts(), verify_url=VERIFY, public_key_url=KEY))
    finally:
        pdf._fonts.cache_clear()
    assert "Nguyen Thi Huong" in text
    assert "MW-ABCDEFGH23" in text


@pytest.mark.parametrize(
    ("kind", "hands_on", "expected", "hands_on_out"),
    [
        ("observership", True, "observation only; no hands-on", False),
        ("observership", False, "observation only; no hands-on", False),
        ("research", True, "no patient care", False),
        ("telehealth", True, "remote", False),
        ("clerkship", True, "hands-on patient care under supervision", True),
        ("externship", False, "no hands-on patient care", False),
    ],
)
def test_kind_statement_never_calls_an_observership_hands_on(
    kind: str, hands_on: bool, expected: str, hands_on_out: bool
) -> None:
    statement, flag = kind_statement(kind, hands_on)
    assert expected in statement
    assert flag is hands_on_out


def test_journal_pdf_prints_entries() -> None:
    data = pdf.journal_pdf(
        title="Rotation journal: Internal Medicine",
        subtitle="Amina Okafor",
        summary=[("Entries", "2")],
        entries=[
            pdf.JournalPdfEntry(
                heading="Reflection · Monday, January 5, 2026",
                lines=[("What I saw and did", "A family meeting."), ("Empty", "")],
            )
        ],
        generated_on=dt.date(2026, 2, 1),
    )
    _reader, text = _read(data)
    assert "Rotation journal: Internal Medicine" in text
    assert "A family meeting." in text
    assert "Empty" not in text
