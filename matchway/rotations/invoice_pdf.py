"""Receipt and invoice PDFs: a pure function from an `Invoice`'s snapshot to bytes (fpdf2).

Same approach and letterhead as the visa letter (visa_pdf.py): DejaVu Sans when the system
has it, else Latin-1 folding; the number in the text and in the PDF metadata.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from fpdf.enums import XPos, YPos

from .visa_pdf import ACCENT, INK, MUTED, _Letter, long_date


def money(cents: object) -> str:
    try:
        value = int(cents)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return ""
    return f"${value / 100:,.2f}"


def document_rows(kind: str, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The label/value rows the document states (also used by the HTML page and tests)."""
    rotation = data.get("rotation", {})
    rows = [
        ("Rotation", str(rotation.get("title", ""))),
        ("Site", ", ".join(p for p in (rotation.get("site"), rotation.get("site_place")) if p)),
        (
            "Dates",
            f"{long_date(str(rotation.get('start_date', '')))} to "
            f"{long_date(str(rotation.get('end_date', '')))}",
        ),
        ("Application", f"#{data.get('application_id', '')}"),
    ]
    if kind == "receipt":
        payment = data.get("payment", {})
        received = str(payment.get("received_at", ""))[:10]
        rows += [
            ("Amount received", money(payment.get("amount_cents"))),
            ("For", str(payment.get("kind", ""))),
            ("Method", str(payment.get("method", ""))),
            ("Reference", str(payment.get("reference", "")) or "—"),
            ("Received on", long_date(received)),
        ]
    else:
        rows += [
            ("Price", money(data.get("price_cents"))),
            ("Deposit", money(data.get("deposit_cents"))),
        ]
        for item in data.get("payments", []):
            rows.append(
                (
                    f"Paid {long_date(str(item.get('received_at', ''))[:10])}",
                    f"{money(item.get('amount_cents'))} · {item.get('method', '')}"
                    + (f" · {item['reference']}" if item.get("reference") else ""),
                )
            )
    rows += [
        ("Paid to date", money(data.get("paid_to_date_cents"))),
        ("Refunded to date", money(data.get("refunded_to_date_cents"))),
        ("Still due", money(data.get("outstanding_cents"))),
    ]
    return rows


def invoice_pdf(
    *, number: str, kind: str, issued_at: dt.datetime, data: Mapping[str, Any]
) -> bytes:
    pdf = _Letter()
    title = "Receipt" if kind == "receipt" else "Invoice"
    provider = data.get("provider", {})
    applicant = data.get("applicant", {})
    pdf.set_title(f"{title} {number}")
    pdf.set_subject(f"{title} {number}")
    pdf.set_keywords(f"invoice-number:{number} matchway")
    pdf.set_author(pdf.clean(provider.get("name", "")))
    pdf.set_lang("en-US")
    pdf.set_creation_date(issued_at)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    pdf.set_text_color(*ACCENT)
    pdf.font(16, bold=True)
    pdf.multi_cell(0, 8, pdf.clean(provider.get("name", "")), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    pdf.font(9)
    legal = provider.get("legal_name", "")
    lines = [legal if legal and legal != provider.get("name") else ""]
    lines += [line.strip() for line in str(provider.get("address", "")).splitlines()]
    lines.append(" · ".join(p for p in (provider.get("email"), provider.get("phone")) if p))
    for line in (line for line in lines if line):
        pdf.multi_cell(0, 4.6, pdf.clean(line), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.ln(2)
    pdf.line(22, pdf.get_y(), pdf.w - 22, pdf.get_y())
    pdf.ln(6)

    pdf.set_text_color(*INK)
    pdf.para(f"{title} {number}", size=14, bold=True, gap=1)
    pdf.para(f"Issued {long_date(issued_at.date().isoformat())}", gap=5)
    pdf.para("Billed to", bold=True, gap=0)
    for line in (
        applicant.get("name"),
        applicant.get("email"),
        ", ".join(p for p in (applicant.get("school"), applicant.get("country")) if p),
    ):
        if line:
            pdf.para(str(line), gap=0)
    pdf.ln(5)
    for label, value in document_rows(kind, data):
        pdf.font(10, bold=True)
        pdf.cell(55, 6.5, pdf.clean(label))
        pdf.font(10)
        pdf.multi_cell(0, 6.5, pdf.clean(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_text_color(*MUTED)
    pdf.font(8)
    pdf.multi_cell(
        0,
        4,
        pdf.clean(f"All amounts in US dollars. {title} {number}."),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    return bytes(pdf.output())
