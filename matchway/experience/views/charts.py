"""Geometry for the server-rendered SVG comparison chart (no JavaScript).

Horizontal bars, one pair per competency: the applicant's self-assessment and the
preceptor rating (the mean when several preceptors evaluated). The template draws it; a
table with the same numbers sits beside it for screen readers and printing.
"""

from __future__ import annotations

from dataclasses import dataclass

from matchway.experience.services.evaluations import CompetencyInfo

LABEL_WIDTH = 200
UNIT = 80  # pixels per rating point
ROW_HEIGHT = 46
BAR_HEIGHT = 14
TOP = 24
LEGEND_HEIGHT = 36


@dataclass(frozen=True)
class Bar:
    value: float | None
    x: int
    y: int
    width: int
    label_x: int

    @property
    def observed(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        if self.value is None:
            return "not observed"
        return f"{self.value:g}"


@dataclass(frozen=True)
class ChartRow:
    name: str
    label_y: int
    own: Bar
    theirs: Bar


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rows: list[ChartRow]
    gridlines: list[tuple[int, int]]  # (x, rating)
    axis_bottom: int
    legend_y: int


def _bar(value: float | None, y: int) -> Bar:
    width = round(value * UNIT) if value is not None else 0
    return Bar(value=value, x=LABEL_WIDTH, y=y, width=width, label_x=LABEL_WIDTH + width + 6)


def comparison_chart(
    infos: list[CompetencyInfo],
    own: dict[str, int | None],
    theirs: dict[str, float | None],
) -> Chart:
    rows: list[ChartRow] = []
    for index, info in enumerate(infos):
        top = TOP + index * ROW_HEIGHT
        rows.append(
            ChartRow(
                name=info.short_name,
                label_y=top + BAR_HEIGHT + 4,
                own=_bar(own.get(info.code), top),
                theirs=_bar(theirs.get(info.code), top + BAR_HEIGHT + 4),
            )
        )
    axis_bottom = TOP + len(infos) * ROW_HEIGHT
    return Chart(
        width=LABEL_WIDTH + 5 * UNIT + 110,
        height=axis_bottom + LEGEND_HEIGHT + 16,
        rows=rows,
        gridlines=[(LABEL_WIDTH + n * UNIT, n) for n in range(1, 6)],
        axis_bottom=axis_bottom,
        legend_y=axis_bottom + 24,
    )
