"""What the public specialty pages show, built from the reference selectors: the outcome rows
with their figures and sources, the charts and the signal facts. No requests, no templates."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from matchway.core.charts import Chart, bar_chart
from matchway.reference import selectors as ref
from matchway.reference.models import MatchOutcome, Specialty


@dataclass(frozen=True)
class SpecialtyPage:
    specialty: Specialty
    service: str
    service_unconfirmed: bool
    signals: ref.SignalFacts | None
    outcomes: list[MatchOutcome]
    positions_chart: Chart | None
    types_chart: Chart | None

    @property
    def latest(self) -> MatchOutcome | None:
        """The newest row with positions offered (the figure the compare page leads with)."""
        rows = [o for o in self.outcomes if o.positions_offered is not None]
        return max(rows, key=lambda o: (o.year, o.scope == ""), default=None)

    @property
    def any_applicant_types(self) -> bool:
        return any(
            v is not None
            for o in self.outcomes
            for v in (o.filled_us_md, o.filled_us_do, o.filled_us_img, o.filled_non_us_img)
        )


def row_label(outcome: MatchOutcome) -> str:
    return f"{outcome.year} {outcome.scope}".strip()


def positions_chart(chart_id: str, name: str, outcomes: list[MatchOutcome]) -> Chart | None:
    if not outcomes:
        return None
    items: list[tuple[str, float | None]] = []
    for o in outcomes:
        label = row_label(o)
        items += [
            (_("%(row)s offered") % {"row": label}, o.positions_offered),
            (_("%(row)s filled") % {"row": label}, o.filled_total),
            (_("%(row)s unfilled") % {"row": label}, o.unfilled),
        ]
    return bar_chart(
        chart_id,
        _("%(name)s: positions offered, filled and unfilled by year") % {"name": name},
        _(
            "Bar chart of NRMP Main Match positions by year; bars marked not available have "
            "no figure in our sources. The table beside it lists the same figures with sources."
        ),
        items,
        missing=_("not available"),
    )


def types_chart(chart_id: str, title: str, outcomes: list[MatchOutcome]) -> Chart | None:
    if not outcomes:
        return None
    items: list[tuple[str, float | None]] = []
    for o in outcomes:
        label = row_label(o)
        items += [
            (_("%(row)s US MD") % {"row": label}, o.filled_us_md),
            (_("%(row)s US DO") % {"row": label}, o.filled_us_do),
            (_("%(row)s US IMG") % {"row": label}, o.filled_us_img),
            (_("%(row)s non-US IMG") % {"row": label}, o.filled_non_us_img),
        ]
    return bar_chart(
        chart_id,
        title,
        _(
            "Bar chart of positions filled by US MD seniors, US DO seniors, US citizen IMGs and "
            "non-US citizen IMGs; the table beside it lists the same figures with sources."
        ),
        items,
        missing=_("not available"),
    )


def specialty_page(specialty: Specialty, *, chart_prefix: str = "") -> SpecialtyPage:
    outcomes = ref.outcomes_for(specialty)
    prefix = chart_prefix or f"s{specialty.code}"
    has_types = any(
        v is not None
        for o in outcomes
        for v in (o.filled_us_md, o.filled_us_do, o.filled_us_img, o.filled_non_us_img)
    )
    return SpecialtyPage(
        specialty=specialty,
        service=ref.application_service(specialty),
        service_unconfirmed=ref.application_service_unconfirmed(specialty),
        signals=ref.signal_facts(specialty),
        outcomes=outcomes,
        positions_chart=positions_chart(f"{prefix}-positions", specialty.name, outcomes),
        types_chart=types_chart(
            f"{prefix}-types",
            _("%(name)s: positions filled by applicant type") % {"name": specialty.name},
            [
                o
                for o in outcomes
                if any(
                    v is not None
                    for v in (o.filled_us_md, o.filled_us_do, o.filled_us_img, o.filled_non_us_img)
                )
            ],
        )
        if has_types
        else None,
    )


def whole_match_chart(outcomes: list[MatchOutcome]) -> Chart | None:
    rows = [o for o in outcomes if o.label == "ALL PGY-1"]
    return types_chart(
        "all-pgy1-types",
        _("All specialties, PGY-1: positions filled by applicant type"),
        rows,
    )


def compare_chart(pages: list[SpecialtyPage]) -> Chart:
    items: list[tuple[str, float | None]] = []
    for page in pages:
        latest = page.latest
        items.append((page.specialty.name, latest.fill_rate if latest else None))
    return bar_chart(
        "compare-fill-rate",
        _("Fill rate in the newest year with data, by specialty"),
        _(
            "Bar chart of the share of positions filled (filled divided by offered) for each "
            "specialty compared, from its newest year with both figures. The table beside it "
            "gives the year and source of each figure."
        ),
        items,
        unit="%",
        max_value=100,
        missing=_("not available"),
    )
