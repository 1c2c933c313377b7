"""The shared limit/offset paging: wire format, limits, OpenAPI shape."""

from __future__ import annotations

import pytest
from django.test import Client

from matchway.api.api import api
from matchway.api.pagination import MAX_LIMIT, MappedSequence, PageParams, Pagination

LISTS = ("/api/v1/rotations", "/api/v1/guides", "/api/v1/me/applications", "/api/v1/me/documents")


def test_pagination_windows_and_counts() -> None:
    page = Pagination().paginate_queryset(
        list(range(50)),
        pagination=PageParams(limit=10, offset=45),
        request=None,  # type: ignore[arg-type]
    )
    assert page == {"items": [45, 46, 47, 48, 49], "count": 50}


def test_mapped_sequence_converts_only_the_window() -> None:
    seen: list[int] = []

    def convert(n: int) -> str:
        seen.append(n)
        return str(n)

    items = MappedSequence(list(range(30)), convert)
    assert len(items) == 30
    assert items[5:8] == ["5", "6", "7"]
    assert seen == [5, 6, 7]


@pytest.mark.parametrize("query", [{"limit": MAX_LIMIT + 1}, {"limit": 0}, {"offset": -1}])
def test_out_of_range_is_a_422_validation_error(anonymous: Client, query: dict[str, int]) -> None:
    response = anonymous.get("/api/v1/rotations", query)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["errors"][0]["field"] in {"limit", "offset"}


def test_every_list_keeps_limit_offset_items_and_count() -> None:
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for path in LISTS:
        operation = schema["paths"][path]["get"]
        params = {p["name"]: p["schema"] for p in operation["parameters"]}
        assert params["limit"]["default"] == 20 and params["limit"]["maximum"] == MAX_LIMIT
        assert params["offset"]["minimum"] == 0
        ref = operation["responses"][200]["content"]["application/json"]["schema"]["$ref"]
        properties = components[ref.rsplit("/", 1)[-1]]["properties"]
        assert {"items", "count"} <= set(properties)


def test_mapped_sequence_can_convert_a_whole_page_at_once() -> None:
    batches: list[list[int]] = []

    def convert_page(rows: list[int]) -> list[int]:
        batches.append(rows)
        return [r * 10 for r in rows]

    items = MappedSequence(list(range(30)), convert_page=convert_page)
    assert items[2:4] == [20, 30]
    assert batches == [[2, 3]]
