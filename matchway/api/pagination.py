"""List endpoints page with django-ninja's own LimitOffsetPagination, our names and limits.

Wire format, kept stable: `?limit=` (default 20, 1–100; out of range → 422
validation_error) and `?offset=` (0–MAX_OFFSET; beyond → 422) in,
`{"items": [...], "count": N}` out. Use it as

    @router.get("/things", response={200: list[ThingOut], 422: ValidationErrorOut})
    @paginate(Pagination)
    def thing_list(request): return Thing.objects.all()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, overload

from django.db.models import QuerySet
from ninja import Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import Field

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: No list is that long; the bound keeps a huge offset from reaching the database (a 500).
MAX_OFFSET = 1_000_000_000


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class Pagination(LimitOffsetPagination):
    """LimitOffsetPagination with Matchway's limits written out (not left to settings)."""

    Input = PageParams  # type: ignore[assignment]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class MappedSequence(Sequence[Any]):
    """Items that need converting after slicing: the paginator counts `source` and slices
    it (a queryset stays a LIMIT/OFFSET query); only the page's items go through `convert`.

    `convert_page` converts a whole page at once instead (one batch query for the window).
    """

    def __init__(
        self,
        source: QuerySet[Any] | Sequence[Any],
        convert: Callable[[Any], Any] | None = None,
        *,
        convert_page: Callable[[list[Any]], list[Any]] | None = None,
    ):
        self.source = source
        self.convert_page = convert_page or (lambda rows: [convert(r) for r in rows])  # type: ignore[misc]

    def __len__(self) -> int:
        source = self.source
        return source.count() if isinstance(source, QuerySet) else len(source)

    @overload
    def __getitem__(self, index: int) -> Any: ...
    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return self.convert_page(list(self.source[index]))
        return self.convert_page([self.source[index]])[0]
