"""Demo documents for the demo applicant (seed_demo), in every review state.

Idempotent: a type that already has a current version is left alone. Files are small
valid PDFs (fpdf2) and a PNG (Pillow) built in memory and stored through the real upload
service, so they pass the same checks as a real upload.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from fpdf import FPDF
from PIL import Image, ImageDraw

from matchway.accounts.models import User
from matchway.core import clock

from .models import DocumentType
from .selectors import document_current_for
from .services import document_reject, document_upload, document_verify


def demo_pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", "B", size=16)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.ln(4)
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.cell(text="DEMO DOCUMENT - NOT A REAL RECORD", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def demo_png(label: str) -> bytes:
    image = Image.new("RGB", (360, 240), "#e8f3f0")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 351, 231), outline="#1d6f5f", width=4)
    draw.text((24, 100), label, fill="#1d6f5f")
    draw.text((24, 200), "DEMO - NOT A REAL RECORD", fill="#52606d")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed(context: dict[str, Any]) -> None:
    users: dict[str, User] = context.get("users", {})
    applicant = users.get("applicant")
    coordinator = users.get("coordinator")
    if applicant is None or coordinator is None:
        return
    today = clock.provider_today()
    name = applicant.full_name
    # (type code, file name, bytes, issued_on, expires_on, outcome, reason)
    plan: list[tuple[str, str, bytes, Any, Any, str, str]] = [
        (
            "passport",
            "passport-photo-page.pdf",
            demo_pdf("Passport (photo page)", [f"Holder: {name}", "Nationality: Nigeria"]),
            today - timedelta(days=900),
            today + timedelta(days=2400),
            "verify",
            "",
        ),
        (
            "cv",
            "Curriculum vitae.pdf",
            demo_pdf("Curriculum vitae", [name, "MBBS, University of Lagos, 2023"]),
            None,
            None,
            "verify",
            "",
        ),
        (
            "usmle_step1",
            "usmle-step1-score-report.pdf",
            demo_pdf("USMLE Step 1 score report", [f"Examinee: {name}", "Outcome: Pass"]),
            today - timedelta(days=400),
            None,
            "",
            "",
        ),
        (
            "tb_test",
            "tb-igra-result.pdf",
            demo_pdf("Tuberculosis test (IGRA)", [f"Patient: {name}", "Result: negative"]),
            today - timedelta(days=200),
            None,
            "reject",
            "The result page is missing the lab's name and the date the sample was taken. "
            "Please upload the full lab report.",
        ),
        (
            "bls_acls",
            "bls-card.png",
            demo_png(f"BLS Provider - {name}"),
            today - timedelta(days=710),
            today + timedelta(days=20),
            "verify",
            "",
        ),
    ]
    existing = document_current_for(applicant, [code for code, *_rest in plan])
    known = set(
        DocumentType.objects.filter(code__in=[p[0] for p in plan]).values_list("code", flat=True)
    )
    created = 0
    for code, filename, content, issued_on, expires_on, outcome, reason in plan:
        if code in existing or code not in known:
            continue
        document = document_upload(
            actor=applicant,
            owner=applicant,
            type_code=code,
            file=io.BytesIO(content),
            original_name=filename,
            issued_on=issued_on,
            expires_on=expires_on,
        )
        if outcome == "verify":
            document_verify(actor=coordinator, document=document)
        elif outcome == "reject":
            document_reject(actor=coordinator, document=document, reason=reason)
        created += 1
    context["stdout"].write(f"  documents: {created} new")
