"""guides views

The code lives in `articles`; this package re-exports what other modules import.
"""

from .articles import (
    create,
    detail,
    edit,
    index,
    manage,
    preview,
    tag,
)

__all__ = [
    "create",
    "detail",
    "edit",
    "index",
    "manage",
    "preview",
    "tag",
]
