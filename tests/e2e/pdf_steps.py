"""Steps the journeys share around PDFs (money_steps.receipt_download, the visa-letter
journey) and the Lakeside provider their PDFs print."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pypdf

from matchway.organization.models import Organization
from matchway.reference.loader import load_all
from matchway.reference.models import State
from matchway.rotations.models import Site, SiteKind


def pdf_download_text(page: Any, button: str, *, expected: Iterable[str] = ()) -> str:
    """Click the `button` that downloads a PDF, check each `expected` text is in it and
    return its text (whitespace collapsed to single spaces)."""
    with page.expect_download() as download_info:
        page.get_by_role("button", name=button).click()
    reader = pypdf.PdfReader(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    for item in expected:
        assert item in text, item
    return text


def lakeside_site(*, organization_address: str, organization_phone: str = "") -> Site:
    """Load the reference data and create the provider (Lakeside Rotations, the name on its
    PDFs) and its Chicago hospital site."""
    load_all()
    Organization.objects.create(
        name="Lakeside Rotations",
        legal_name="Lakeside Rotations LLC",
        address=organization_address,
        contact_email="office@lakeside.example",
        phone=organization_phone,
    )
    return Site.objects.create(
        name="Lakeside Community Hospital",
        kind=SiteKind.HOSPITAL,
        address="2400 N Lakeview Ave",
        city="Chicago",
        state=State.objects.get(code="IL"),
        timezone="America/Chicago",
    )
