"""The visa invitation letter PDF: a pure function from the letter's content to bytes (fpdf2).

No database, no settings. Portrait US Letter on the provider's letterhead; empty letterhead
fields are left out. The letter number is in the text and in the PDF metadata. Like the
certificate PDF (experience/pdf.py, which rotations may not import) DejaVu Sans is embedded
when the system has it, else text is folded to Latin-1 for the core font.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
)
logging.getLogger("fontTools").setLevel(logging.WARNING)

ACCENT = (29, 111, 95)
MUTED = (82, 96, 109)
INK = (31, 41, 51)


@lru_cache(maxsize=1)
def _font_paths() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class _Letter(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        paths = _font_paths()
        self.family = "DejaVu" if paths else "Helvetica"
        self.unicode = paths is not None
        if paths:
            self.add_font(self.family, "", str(paths[0]))
            self.add_font(self.family, "B", str(paths[1]))
        self.set_creator("Matchway")
        self.set_producer("Matchway (fpdf2)")

    def font(self, size: float, *, bold: bool = False) -> None:
        self.set_font(self.family, "B" if bold else "", size)

    def clean(self, text: object) -> str:
        value = str(text if text is not None else "")
        if self.unicode:
            return value
        for src, dst in {"–": "-", "—": "-", "’": "'", "“": '"', "”": '"', "•": "*"}.items():
            value = value.replace(src, dst)
        folded = unicodedata.normalize("NFKD", value)
        return "".join(ch for ch in folded if ord(ch) < 256 and not unicodedata.combining(ch))

    def para(self, text: str, *, size: float = 11, bold: bool = False, gap: float = 3) -> None:
        self.font(size, bold=bold)
        self.multi_cell(0, 5.6, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(gap)


def long_date(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


def visa_letter_paragraphs(c: Mapping[str, Any]) -> list[str]:
    """The body, in order (also used by tests and the coordinator's preview)."""
    name = c["passport_name"]
    org = c["organization_legal_name"] or c["organization_name"]
    dates = f"{long_date(c['start_date'])} to {long_date(c['end_date'])}"
    site = ", ".join(p for p in (c["site_name"], c["site_address"]) if p)
    contact = "; ".join(p for p in (c["organization_email"], c["organization_phone"]) if p)
    return [
        f"{org} invites {name}, passport number {c['passport_number']}, to take part in "
        f"\u201c{c['rotation_title']}\u201d ({c['specialty']}) at {site}, from {dates}.",
        c["kind_statement"],
        f"This rotation is not employment. {name} will receive no salary, stipend or other "
        f"payment from {org} or from the site; the rotation is unpaid.",
        f"The costs of the rotation, travel, housing and living expenses are paid by: "
        f"{c['paid_by']}.",
        (
            f"For questions about this letter, contact {org}: {contact}."
            if contact
            else f"For questions about this letter, contact {org}."
        ),
        f"This letter is signed digitally. Check its number, the name and the dates, and "
        f"whether it is still valid, at {c['verify_url']}",
    ]


def visa_letter_pdf(content: Mapping[str, Any]) -> bytes:
    pdf = _Letter()
    number = str(content["number"])
    pdf.set_title(f"Visa invitation letter {number}")
    pdf.set_subject(f"Invitation letter {number}; verify at {content['verify_url']}")
    pdf.set_keywords(f"visa-letter-number:{number} matchway")
    pdf.set_author(pdf.clean(content["organization_name"]))
    pdf.set_lang("en-US")
    pdf.set_creation_date(dt.datetime.fromisoformat(f"{content['issued_on']}T12:00:00+00:00"))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    # Letterhead: whatever the provider filled in, nothing invented.
    pdf.set_text_color(*ACCENT)
    pdf.font(16, bold=True)
    pdf.multi_cell(
        0, 8, pdf.clean(content["organization_name"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_text_color(*MUTED)
    pdf.font(9)
    legal = content["organization_legal_name"]
    lines = [legal if legal and legal != content["organization_name"] else ""]
    lines += [line.strip() for line in str(content["organization_address"]).splitlines()]
    lines.append(
        " · ".join(
            p
            for p in (
                content["organization_email"],
                content["organization_phone"],
                content["organization_website"],
            )
            if p
        )
    )
    for line in (line for line in lines if line):
        pdf.multi_cell(0, 4.6, pdf.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.ln(2)
    pdf.line(22, pdf.get_y(), pdf.w - 22, pdf.get_y())
    pdf.ln(6)

    pdf.set_text_color(*INK)
    pdf.para(long_date(str(content["issued_on"])), gap=1)
    pdf.para(f"Letter number {number}", bold=True, gap=6)
    pdf.para("To the consular officer:", gap=4)
    pdf.para(
        f"Re: {content['passport_name']}, passport number {content['passport_number']}",
        bold=True,
        gap=4,
    )
    for paragraph in visa_letter_paragraphs(content):
        pdf.para(paragraph)
    pdf.ln(4)
    pdf.para("Sincerely,", gap=8)
    pdf.para(str(content["issuer_name"]), bold=True, gap=0)
    pdf.para(f"Coordinator, {content['organization_name']}", gap=6)

    pdf.set_text_color(*MUTED)
    pdf.font(8)
    pdf.multi_cell(
        0,
        4,
        pdf.clean(f"Letter {number}. Signed with Ed25519; public key: {content['public_key_url']}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
