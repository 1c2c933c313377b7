"""A clean US Letter PDF of a statement for offline review (fpdf2). Pure: data → bytes.

Font strategy: the text is first made plain-text safe with the analyser's
`normalize_plain_text` (curly quotes, dashes, odd spaces, emoji), exactly as it would go
into ERAS. A Unicode TTF (DejaVu Sans) is embedded when the system has one, so accented
names ("Nguyễn", "Müller") print as written; otherwise the core Helvetica font is used and
whatever Latin-1 cannot draw is folded to its ASCII base letter.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .analysis import normalize_plain_text

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)
INK = (31, 41, 51)
MUTED = (82, 96, 109)
ACCENT = (29, 111, 95)


@dataclass(frozen=True)
class StatementPdfData:
    """Everything printed. `title` is the applicant's private title (their own copy)."""

    title: str
    applicant: str
    specialty: str
    version: int
    saved_at: datetime
    body: str
    characters: int
    max_chars: int
    footer: str


@dataclass(frozen=True)
class _Fonts:
    family: str
    regular: Path | None
    bold: Path | None


@lru_cache(maxsize=1)
def _fonts() -> _Fonts:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return _Fonts("DejaVu", regular, bold)
    return _Fonts("Helvetica", None, None)


def _latin1(text: str) -> str:
    out = []
    for ch in text:
        if ord(ch) < 256:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(base or "?")
    return "".join(out)


class _Document(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="pt", format="Letter")
        self.fontset = _fonts()
        self.footer_text = footer_text
        if self.fontset.regular is not None and self.fontset.bold is not None:
            self.add_font(self.fontset.family, "", str(self.fontset.regular))
            self.add_font(self.fontset.family, "B", str(self.fontset.bold))
        self.set_creator("Matchway")
        self.set_producer("Matchway (fpdf2)")
        self.set_margins(72, 72, 72)
        self.set_auto_page_break(auto=True, margin=72)

    def clean(self, text: str) -> str:
        return text if self.fontset.regular is not None else _latin1(text)

    def font(self, size: float, *, bold: bool = False) -> None:
        self.set_font(self.fontset.family, "B" if bold else "", size)

    def footer(self) -> None:
        self.set_y(-48)
        self.font(8)
        self.set_text_color(*MUTED)
        left = self.clean(self.footer_text)
        self.cell(0, 12, left, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 12, f"{self.page_no()} / {{nb}}", align="R")


def statement_pdf(data: StatementPdfData) -> bytes:
    """Render the statement: a small header block, then the text in readable paragraphs."""
    body, _changes = normalize_plain_text(data.body)
    pdf = _Document(data.footer)
    pdf.alias_nb_pages()
    pdf.set_title(pdf.clean(data.title))
    pdf.set_author(pdf.clean(data.applicant))
    pdf.set_subject(pdf.clean(f"Personal statement, version {data.version}"))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_text_color(*ACCENT)
    pdf.font(16, bold=True)
    pdf.multi_cell(width, 20, pdf.clean(data.title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    pdf.font(9)
    meta = [data.applicant]
    if data.specialty:
        meta.append(data.specialty)
    saved = data.saved_at
    meta.append(f"Version {data.version}, saved {saved:%B} {saved.day}, {saved:%Y}")
    meta.append(f"{data.characters:,} of {data.max_chars:,} characters")
    pdf.multi_cell(width, 13, pdf.clean("  ·  ".join(meta)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(14)

    pdf.set_text_color(*INK)
    pdf.font(11)
    paragraphs = [p.strip() for p in body.replace("\r\n", "\n").split("\n\n")]
    for paragraph in (p for p in paragraphs if p):
        # Single line breaks inside a paragraph are kept (lists, addresses of a poem...).
        pdf.multi_cell(width, 16, pdf.clean(paragraph), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(8)
    return bytes(pdf.output())
