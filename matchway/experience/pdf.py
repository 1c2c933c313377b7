"""PDF rendering: pure functions from data to bytes (fpdf2). No database, no settings.

`certificate_pdf` draws a US Letter certificate with a QR code to the public verify page; the
certificate number is in the text and in the document metadata (title, subject, keywords) so
`manage.py verify_certificate <pdf>` can find it. `journal_pdf` prints an applicant's journal.

A Unicode TTF (DejaVu) is embedded when the system has one, so names such as "Nguyễn" print
as written; otherwise the core Helvetica font is used and text is folded to Latin-1.
"""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from qrcode.constants import ERROR_CORRECT_M

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
# fontTools logs every glyph subset at INFO; one certificate is not worth 80 log lines.
logging.getLogger("fontTools").setLevel(logging.WARNING)

ACCENT = (29, 111, 95)
MUTED = (82, 96, 109)
INK = (31, 41, 51)


@dataclass(frozen=True)
class FontSet:
    family: str
    regular: Path | None
    bold: Path | None

    @property
    def unicode(self) -> bool:
        return self.regular is not None


@lru_cache(maxsize=1)
def _fonts() -> FontSet:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return FontSet("DejaVu", regular, bold)
    return FontSet("Helvetica", None, None)


class _Document(FPDF):
    def __init__(self, *, orientation: str) -> None:
        super().__init__(orientation=orientation, unit="mm", format="Letter")
        self.fontset = _fonts()
        if self.fontset.unicode:
            self.add_font(self.fontset.family, "", str(self.fontset.regular))
            self.add_font(self.fontset.family, "B", str(self.fontset.bold))
        self.set_creator("Matchway")
        self.set_producer("Matchway (fpdf2)")

    def font(self, size: float, *, bold: bool = False) -> None:
        self.set_font(self.fontset.family, "B" if bold else "", size)

    def clean(self, text: object) -> str:
        """Text the current font can draw: Latin-1 folding only for the core font."""
        value = str(text if text is not None else "")
        if self.fontset.unicode:
            return value
        replacements = {"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."}
        for src, dst in replacements.items():
            value = value.replace(src, dst)
        folded = unicodedata.normalize("NFKD", value)
        return "".join(ch for ch in folded if ord(ch) < 256 and not unicodedata.combining(ch))


def _date_label(value: str) -> str:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{day:%B} {day.day}, {day.year}"


def _qr_image(url: str) -> Any:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=2)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image()


def certificate_title(facts: Mapping[str, Any]) -> str:
    return f"Matchway certificate {facts['number']}"


def certificate_pdf(facts: Mapping[str, Any], *, verify_url: str, public_key_url: str) -> bytes:
    """Render the signed `facts` (exactly what was signed, nothing more) as a PDF."""
    pdf = _Document(orientation="landscape")
    number = str(facts["number"])
    pdf.set_title(certificate_title(facts))
    pdf.set_subject(f"Certificate of completion {number}; verify at {verify_url}")
    pdf.set_keywords(f"certificate-number:{number} matchway certificate")
    pdf.set_author(pdf.clean(facts.get("issuer_organization", "Matchway")))
    pdf.set_lang("en-US")
    issued = facts.get("issued_on", "")
    try:
        created = dt.datetime.fromisoformat(f"{issued}T12:00:00+00:00")
    except ValueError:
        created = None
    if created is not None:
        # Same facts, same bytes: a re-render never changes the document's metadata.
        pdf.set_creation_date(created)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    width, height = pdf.w, pdf.h

    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, width - 20, height - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, width - 26, height - 26)

    content_w = width - 60
    pdf.set_xy(30, 21)
    pdf.set_text_color(*ACCENT)
    pdf.font(12, bold=True)
    pdf.cell(content_w, 7, pdf.clean(str(facts.get("issuer_organization", "")).upper()), align="C")
    pdf.set_xy(30, 29)
    pdf.set_text_color(*INK)
    pdf.font(28, bold=True)
    pdf.cell(content_w, 14, "Certificate of Completion", align="C")

    pdf.set_xy(30, 46)
    pdf.font(12)
    pdf.set_text_color(*MUTED)
    pdf.cell(content_w, 7, "This certifies that", align="C")
    pdf.set_xy(30, 53)
    pdf.set_text_color(*INK)
    pdf.font(24, bold=True)
    pdf.cell(content_w, 12, pdf.clean(facts.get("applicant_name", "")), align="C")
    pdf.set_xy(30, 66)
    pdf.font(12)
    pdf.set_text_color(*MUTED)
    pdf.cell(content_w, 7, "completed the rotation", align="C")
    pdf.set_xy(30, 73)
    pdf.set_text_color(*INK)
    pdf.font(16, bold=True)
    pdf.multi_cell(content_w, 8, pdf.clean(facts.get("rotation_title", "")), align="C")
    pdf.set_x(30)
    pdf.font(12, bold=True)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(content_w, 7, pdf.clean(facts.get("kind_statement", "")), align="C")

    rows = [
        ("Specialty", facts.get("specialty", "")),
        (
            "Site",
            ", ".join(p for p in (facts.get("site", ""), facts.get("site_location", "")) if p),
        ),
        (
            "Preceptors" if len(facts.get("preceptors", [])) > 1 else "Preceptor",
            "; ".join(facts.get("preceptors", [])) or "—",
        ),
        (
            "Dates",
            f"{_date_label(str(facts.get('start_date', '')))} – "
            f"{_date_label(str(facts.get('end_date', '')))}",
        ),
        ("Length", f"{facts.get('weeks', '')} weeks"),
        ("Confirmed hours", f"{facts.get('confirmed_hours', '')} hours (confirmed by the site)"),
    ]
    y = pdf.get_y() + 3
    label_w, value_w = 45.0, 140.0
    left = (width - label_w - value_w) / 2
    for label, value in rows:
        pdf.set_xy(left, y)
        pdf.font(10, bold=True)
        pdf.set_text_color(*MUTED)
        pdf.cell(label_w, 6, pdf.clean(label))
        pdf.font(11)
        pdf.set_text_color(*INK)
        pdf.multi_cell(value_w, 6, pdf.clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y()

    pdf.set_xy(left, y + 2)
    pdf.font(10)
    pdf.set_text_color(*MUTED)
    issuer = pdf.clean(facts.get("issuer", ""))
    organization = pdf.clean(facts.get("issuer_organization", ""))
    pdf.multi_cell(
        label_w + value_w,
        5.5,
        f"Issued on {_date_label(str(issued))} by {issuer}, {organization}.",
        align="L",
    )

    qr_size = 28.0
    qr_x, qr_y = 22.0, height - 22 - qr_size - 2
    pdf.image(_qr_image(verify_url), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_xy(qr_x - 2, qr_y + qr_size + 0.5)
    pdf.font(7)
    pdf.set_text_color(*MUTED)
    pdf.cell(qr_size + 4, 4, "Scan to verify", align="C")

    pdf.set_xy(qr_x + qr_size + 6, qr_y + 8)
    pdf.font(8.5)
    pdf.multi_cell(
        125,
        4.4,
        pdf.clean(
            f"Verify this certificate at {verify_url}\n"
            f"The facts above are signed (Ed25519); public key: {public_key_url}"
        ),
        align="L",
    )

    pdf.set_xy(width - 22 - 90, qr_y + 10)
    pdf.font(9)
    pdf.set_text_color(*MUTED)
    pdf.cell(90, 5, "Certificate number", align="R", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(width - 22 - 90)
    pdf.font(15, bold=True)
    pdf.set_text_color(*INK)
    pdf.cell(90, 8, number, align="R")
    return bytes(pdf.output())


@dataclass(frozen=True)
class JournalPdfEntry:
    heading: str
    lines: Sequence[tuple[str, str]]


def journal_pdf(
    *,
    title: str,
    subtitle: str,
    summary: Sequence[tuple[str, str]],
    entries: Sequence[JournalPdfEntry],
    generated_on: dt.date,
) -> bytes:
    """A plain, printable journal export (portrait US Letter)."""
    pdf = _Document(orientation="portrait")
    pdf.set_title(pdf.clean(title))
    pdf.set_subject("Rotation journal export")
    pdf.set_creation_date(dt.datetime.combine(generated_on, dt.time(12), tzinfo=dt.UTC))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    usable = pdf.w - 36
    pdf.font(18, bold=True)
    pdf.set_text_color(*INK)
    pdf.multi_cell(usable, 9, pdf.clean(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.font(10)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        usable,
        5,
        pdf.clean(
            f"{subtitle} · exported {generated_on:%B} {generated_on.day}, {generated_on.year}"
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(3)
    for label, value in summary:
        pdf.font(10, bold=True)
        pdf.set_text_color(*INK)
        pdf.cell(55, 6, pdf.clean(label))
        pdf.font(10)
        pdf.multi_cell(usable - 55, 6, pdf.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for entry in entries:
        pdf.ln(4)
        pdf.set_draw_color(*ACCENT)
        pdf.set_line_width(0.4)
        pdf.line(18, pdf.get_y(), pdf.w - 18, pdf.get_y())
        pdf.ln(2)
        pdf.font(12, bold=True)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(usable, 7, pdf.clean(entry.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for label, value in entry.lines:
            if not value:
                continue
            pdf.font(9, bold=True)
            pdf.set_text_color(*MUTED)
            pdf.multi_cell(usable, 5, pdf.clean(label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.font(10)
            pdf.set_text_color(*INK)
            pdf.multi_cell(usable, 5.2, pdf.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
    return bytes(pdf.output())
