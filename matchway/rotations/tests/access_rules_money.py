"""Authorization matrix rows for money pages (issue #16, part B): receipts and invoices are
the owner's or any coordinator's (others 404); refunds, refund schedules and reports are
coordinators' (others 403 from `role_required`)."""

from __future__ import annotations

from tests.access import Rule

_NUMBER = {"number": "R-2000-999999"}
_PK = {"pk": 999999}

URL_RULES = {
    "rotations:invoice": Rule.signed_in(kwargs=_NUMBER),
    "rotations:invoice-pdf": Rule.signed_in(kwargs=_NUMBER),
    "rotations:review-refund": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-rotation-refunds": Rule.only("coordinator", kwargs=_PK),
    "rotations:manage-reports": Rule.only("coordinator"),
    "rotations:manage-reports-csv": Rule.only("coordinator"),
}
