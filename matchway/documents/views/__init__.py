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
)

__all__ = [
    "download",
    "history",
    "reject",
    "review",
    "upload",
    "vault",
    "verify",
]
