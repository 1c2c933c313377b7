"""The provider's reports page and its CSV twin (coordinators)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matchway.accounts.models import Role
from matchway.core import clock
from matchway.core.charts import bar_chart
from matchway.core.csv_export import csv_response
from matchway.core.decorators import role_required

from ..selectors_reports import ProviderReport, provider_report
from .common import ViewDecorator

MIN_YEAR = 2000


def _year(request: HttpRequest) -> int:
    this_year = clock.provider_today().year
    raw = request.GET.get("year", "")
    if raw.isdigit() and MIN_YEAR <= int(raw) <= this_year + 2:
        return int(raw)
    return this_year


def _dollars(cents: int) -> int:
    return round(cents / 100)


def _charts(report: ProviderReport) -> dict[str, Any]:
    return {
        "months_chart": bar_chart(
            "revenue-by-month",
            f"Money received by month, {report.year} (US dollars)",
            "Payments received each month, before refunds; the table below has the figures.",
            [(f"{m:%B}", _dollars(paid)) for m, paid, _r in report.months],
        ),
        "rotation_chart": bar_chart(
            "revenue-by-rotation",
            f"Money received by rotation, {report.year} (US dollars)",
            "Payments received per rotation, before refunds.",
            [(title, _dollars(paid)) for title, paid, _r in report.by_rotation[:12]],
        ),
        "fill_chart": bar_chart(
            "fill-rate",
            f"Seats used per session, {report.year} (percent of capacity)",
            "Confirmed, started or completed seats and live holds, as a share of capacity.",
            [(f"{f.rotation} · {f.start_date:%b %-d}", f.percent) for f in report.fill[:15]],
            unit=" %",
            max_value=100,
        ),
        "funnel_chart": bar_chart(
            "funnel",
            f"Applications of {report.year}: applied, accepted, confirmed, completed",
            "How many applications reached each step.",
            list(report.funnel),
        ),
    }


@role_required(Role.COORDINATOR)
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    report = provider_report(year=_year(request))
    this_year = clock.provider_today().year
    return render(
        request,
        "rotations/money/reports.html",
        {
            "report": report,
            "years": list(range(this_year + 1, this_year - 5, -1)),
            **_charts(report),
        },
    )


def _csv_rows(report: ProviderReport) -> Iterator[list[Any]]:
    money = lambda cents: f"{cents / 100:.2f}"  # noqa: E731
    for month, paid, refunded in report.months:
        yield ["revenue_by_month", f"{month:%Y-%m}", money(paid), money(refunded), ""]
    for title, paid, refunded in report.by_rotation:
        yield ["revenue_by_rotation", title, money(paid), money(refunded), ""]
    for item in report.owed:
        due = item.due.isoformat() if item.due else ""
        yield [
            f"outstanding_{item.part}",
            f"{item.applicant} · {item.rotation}",
            money(item.amount_cents),
            "",
            due,
        ]
    for refund in report.refunds:
        application = refund.application
        yield [
            "refund",
            f"{application.applicant.full_name} · {application.session.rotation.title}",
            "",
            money(refund.amount_cents),
            refund.recorded_at.date().isoformat(),
        ]
    for fill in report.fill:
        yield [
            "fill_rate",
            f"{fill.rotation} {fill.start_date.isoformat()}",
            f"{fill.used}/{fill.capacity}",
            "",
            f"{fill.percent}",
        ]
    for label, count in report.funnel:
        yield ["funnel", label, str(count), "", ""]


@cast(ViewDecorator, role_required(Role.COORDINATOR))
@require_GET
def reports_csv(request: HttpRequest) -> StreamingHttpResponse:
    report = provider_report(year=_year(request))
    return csv_response(
        filename=f"matchway-report-{report.year}.csv",
        header=["section", "item", "amount_usd_or_count", "refunded_usd", "date_or_detail"],
        rows=_csv_rows(report),
    )
