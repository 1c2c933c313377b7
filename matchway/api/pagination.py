from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

T = TypeVar("T")

MAX_LIMIT = 100


class PageParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def paginate(items: QuerySet[Any] | list[Any], params: PageParams) -> dict[str, Any]:
    """`{"items": [...], "count": N}` — the list shape every endpoint uses."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    window = items[params.offset : params.offset + params.limit]
    return {"items": list(window), "count": count}
