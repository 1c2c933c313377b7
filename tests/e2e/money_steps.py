"""Steps the money journeys share (test_payments_journey, test_refund_journey): the applicant
opens and downloads a receipt, and withdraws after reading the refund the policy gives."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from playwright.sync_api import expect

from matchway.rotations.models import Application, Invoice
from tests.e2e.pdf_steps import pdf_download_text


def _nothing(_moment: str) -> None:
    return None


def receipt_download(
    page: Any,
    base: str,
    application: Application,
    receipt: Invoice,
    *,
    on_page: Iterable[str] = (),
    in_pdf: Iterable[str] = (),
    check: Callable[[str], None] = _nothing,
) -> str:
    """From the application page, open the receipt (its `on_page` texts visible), download the
    PDF and find `in_pdf` (and the number) in it. Calls `check("receipt")` on the receipt page
    (overflow, screenshot). Returns the PDF's text."""
    page.goto(f"{base}/rotations/applications/{application.pk}/")
    expect(page.get_by_role("heading", name="Receipts and invoices")).to_be_visible()
    page.get_by_role("link", name=f"Receipt {receipt.number}").click()
    expect(page.get_by_role("heading", name=f"Receipt {receipt.number}")).to_be_visible()
    for text in on_page:
        expect(page.get_by_text(text).first).to_be_visible()
    check("receipt")
    return pdf_download_text(page, "Download PDF", expected=(receipt.number, *in_pdf))


def withdraw_seeing_refund(
    page: Any,
    base: str,
    application: Application,
    *,
    refund: str,
    policy: str = "",
    check: Callable[[str], None] = _nothing,
) -> None:
    """Start to withdraw, read the refund quote (`refund`, e.g. "$450") and the policy
    sentence starting with `policy`, then confirm. Calls `check("withdraw-quote")` before
    confirming."""
    page.goto(f"{base}/rotations/applications/{application.pk}/withdraw/")
    expect(page.get_by_test_id("refund-quote")).to_have_text(refund)
    if policy:
        expect(page.get_by_text(re.compile(re.escape(policy)))).to_be_visible()
    check("withdraw-quote")
    page.get_by_role("button", name="Yes, withdraw").click()
    expect(page.get_by_text("You withdrew your application.")).to_be_visible()
