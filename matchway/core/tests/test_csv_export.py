"""One CSV export for every download: formula-injection guard, BOM, safe headers."""

from __future__ import annotations

import csv
import io

import pytest

from matchway.core.csv_export import csv_lines, csv_response, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1 555", "'+1 555"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_lines_neutralise_every_cell() -> None:
    body = "".join(csv_lines(["=h"], [["=a", "ok"]]))
    assert body.startswith("\ufeff'=h")
    assert "'=a,ok" in body


def test_csv_response_is_a_private_nosniff_attachment() -> None:
    response = csv_response(filename="x.csv", header=["name"], rows=iter([["@evil"], ["ok"]]))
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
    assert list(csv.reader(io.StringIO(body))) == [["name"], ["'@evil"], ["ok"]]
