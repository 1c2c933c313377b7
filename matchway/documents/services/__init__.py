"""Writes of the document vault: upload a version, review it, expire it, remind about it,
erase identity documents under the retention rule.

The code lives in `documents`; this package re-exports what other modules import.
"""

from .documents import (
    MSG_ALREADY_EXPIRED,
    MSG_ISSUED_IN_FUTURE,
    MSG_UPLOAD_OWN,
    REASON_MAX_LENGTH,
    document_reject,
    document_upload,
    document_verify,
    documents_mark_expired,
    documents_send_expiry_reminders,
)
from .retention import documents_apply_retention

__all__ = [
    "MSG_ALREADY_EXPIRED",
    "MSG_ISSUED_IN_FUTURE",
    "MSG_UPLOAD_OWN",
    "REASON_MAX_LENGTH",
    "document_reject",
    "document_upload",
    "document_verify",
    "documents_apply_retention",
    "documents_mark_expired",
    "documents_send_expiry_reminders",
]
