"""Server-rendered bar charts: data in, SVG geometry out. Pure Python, no Django.

The template draws the SVG (with `<title>`, `<desc>`, role="img") and, beside it, a table of
the same rows. A missing value is drawn as the words "not available", never as a zero bar.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 360
LABEL_WIDTH = 140
VALUE_SPACE = 60
ROW_HEIGHT = 26
BAR_HEIGHT = 16
TOP = 6
MAX_LABEL = 21


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    text: str  # the value as shown (already formatted), or "not available"
    y: float
    width: float

    @property
    def short_label(self) -> str:
        """Fits the label column; the table twin carries the full text."""
        return self.label if len(self.label) <= MAX_LABEL else self.label[: MAX_LABEL - 1] + "…"

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT - 3

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    bars: tuple[Bar, ...]

    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return TOP * 2 + ROW_HEIGHT * len(self.bars)

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"

    @property
    def table_id(self) -> str:
        return f"{self.id}-table"


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    # Floats (rates) keep one decimal, as the table twin prints them; counts have none.
    number = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return f"{number}{unit}"


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    items: list[tuple[str, float | None]],
    *,
    unit: str = "",
    missing: str = "not available",
    max_value: float | None = None,
) -> Chart:
    """Horizontal bars scaled to the largest value (or `max_value`, e.g. 100 for percent)."""
    values = [v for _label, v in items if v is not None]
    top = max_value or (max(values) if values else 0) or 1
    span = WIDTH - LABEL_WIDTH - VALUE_SPACE
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=_format(value, unit) if value is not None else missing,
            y=TOP + index * ROW_HEIGHT,
            width=round(span * value / top, 1) if value is not None else 0,
        )
        for index, (label, value) in enumerate(items)
    )
    return Chart(id=chart_id, title=title, desc=desc, bars=bars)
