"""A small HTML reader for the page tests (stdlib only): outcome rows and chart ids."""

from __future__ import annotations

from html.parser import HTMLParser


class PageReader(HTMLParser):
    """Collects, per `<tr data-outcome=pk>`, the text of each `data-field` cell and the
    source link; the ids of `<svg role="img">` charts; the ids of tables."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[int, dict[str, str]]] = []
        self.charts: list[dict[str, str]] = []
        self.tables: set[str] = set()
        self._row: dict[str, str] | None = None
        self._field: str | None = None
        self._svg: dict[str, str] | None = None
        self._svg_part: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "tr" and "data-outcome" in a:
            self._row = {}
            self.rows.append((int(a["data-outcome"]), self._row))
        elif self._row is not None and "data-field" in a:
            self._field = a["data-field"]
            self._row[self._field] = ""
            if tag == "a":
                self._row["source_url"] = a.get("href", "")
        elif tag == "table" and a.get("id"):
            self.tables.add(a["id"])
        elif tag == "svg" and a.get("role") == "img":
            self._svg = {"id": a.get("id", ""), "labelledby": a.get("aria-labelledby", "")}
            self.charts.append(self._svg)
        elif self._svg is not None and tag in ("title", "desc"):
            self._svg_part = tag
            self._svg[tag + "_id"] = a.get("id", "")
            self._svg[tag] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self._row = None
        if self._field and tag in ("td", "a"):
            self._field = None
        if tag == "svg":
            self._svg = None
        if tag in ("title", "desc"):
            self._svg_part = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._field:
            self._row[self._field] += data
        if self._svg is not None and self._svg_part:
            self._svg[self._svg_part] += data


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader
