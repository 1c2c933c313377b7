"""documents views

The code lives in `documents`; this package re-exports what other modules import.
"""

from .documents import (
    download,
    history,
    reject,
    review,
    upload,
    vault,
    verify,
    verify_bulk,
)

__all__ = [
    "download",
    "history",
    "reject",
    "review",
    "upload",
    "vault",
    "verify",
    "verify_bulk",
]
