"""The applicant's record of a week: CSV (formula-injection safe) and a PDF (fpdf2, like the
statements PDF). Pure functions of the week's rows."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from matchway.core import clock
from matchway.core.csv_export import csv_lines

from .models import SoapWeek

HEADER = ("kind", "program_code", "program", "round", "status", "at", "detail")


def week_rows(week: SoapWeek, zone: str) -> list[tuple[str, ...]]:
    tz = clock.zone(zone)

    def when(instant: object) -> str:
        return instant.astimezone(tz).isoformat() if instant is not None else ""  # type: ignore[attr-defined]

    rows: list[tuple[str, ...]] = []
    for list_import in week.imports.order_by("round"):
        rows.append(
            (
                "list",
                "",
                "Fictitious sample list" if list_import.fictitious else "Imported list",
                str(list_import.round),
                f"{list_import.rows.count()} programs",
                when(list_import.imported_at),
                "",
            )
        )
    for a in week.applications.order_by("created_at", "pk"):
        rows.append(
            (
                "application",
                a.program_code,
                a.program_name,
                "",
                "sent" if a.sent_at else "picked",
                when(a.sent_at or a.created_at),
                "",
            )
        )
    for o in week.offers.order_by("round", "received_at"):
        rows.append(
            (
                "offer",
                o.program_code,
                o.program_name,
                str(o.round),
                o.status,
                when(o.received_at),
                f"answer by {when(o.expires_at)}; decided {when(o.decided_at)}",
            )
        )
    return rows


def week_csv(week: SoapWeek, zone: str) -> Iterator[str]:
    return csv_lines(HEADER, week_rows(week, zone))


def _latin(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if ord(c) < 256 and not unicodedata.combining(c))


def week_pdf(week: SoapWeek, zone: str, *, applicant: str) -> bytes:
    pdf = FPDF(format="letter")
    pdf.set_title(_latin(f"Match Week record {week.season}"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    title = f"Match Week {week.season}" + (" - drill (practice)" if week.is_drill else "")
    pdf.cell(0, 10, _latin(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin(f"{applicant} - times in {zone}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for row in week_rows(week, zone):
        kind, code, program, round_, status, at, detail = row
        line = f"{at[:16].replace('T', ' ')}  {kind}  {code}  {program}"
        if round_:
            line += f"  round {round_}"
        line += f"  {status}"
        pdf.multi_cell(0, 5, _latin(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if detail:
            pdf.set_text_color(82, 96, 109)
            pdf.multi_cell(0, 5, _latin("    " + detail), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
    return bytes(pdf.output())
