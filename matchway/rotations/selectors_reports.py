"""The provider's reports: revenue, what is still owed, refunds, fill rate, funnel.

One function, `provider_report(year=…)`, returns everything the page and the CSV show, with a
constant number of queries whatever the number of applications (pinned by a test; measured
by bench/reports.py). Money is integer cents; months are the provider's calendar months.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from matchway.core import clock

from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Payment,
    Refund,
    RotationSession,
    SessionStatus,
)

S = ApplicationStatus
OWING_STATUSES = (S.ACCEPTED, S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED)
OUTSTANDING_LIMIT = 50
SESSIONS_LIMIT = 40
REFUNDS_LIMIT = 20


@dataclass(frozen=True)
class Owed:
    application_id: int
    applicant: str
    rotation: str
    start_date: dt.date
    part: str  # deposit | balance
    amount_cents: int
    due: dt.date | dt.datetime | None


@dataclass(frozen=True)
class Fill:
    session_id: int
    rotation: str
    start_date: dt.date
    capacity: int
    used: int

    @property
    def percent(self) -> float:
        return round(100 * self.used / self.capacity, 1) if self.capacity else 0.0


@dataclass
class ProviderReport:
    year: int
    months: list[tuple[dt.date, int, int]] = field(default_factory=list)  # month, paid, refunded
    by_rotation: list[tuple[str, int, int]] = field(default_factory=list)
    owed: list[Owed] = field(default_factory=list)
    owed_count: int = 0
    deposits_owed_cents: int = 0
    balances_owed_cents: int = 0
    refunds: list[Refund] = field(default_factory=list)
    refunds_total_cents: int = 0
    refunds_count: int = 0
    fill: list[Fill] = field(default_factory=list)
    funnel: list[tuple[str, int]] = field(default_factory=list)

    @property
    def revenue_cents(self) -> int:
        return sum(paid for _m, paid, _r in self.months)

    @property
    def net_cents(self) -> int:
        return self.revenue_cents - sum(refunded for _m, _p, refunded in self.months)


def _sum_subquery(model: type[Payment] | type[Refund]) -> Coalesce:
    rows = (
        model.objects.filter(application_id=OuterRef("pk"))
        .order_by()
        .values("application_id")
        .annotate(total=Sum("amount_cents"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def provider_report(*, year: int) -> ProviderReport:
    report = ProviderReport(year=year)
    zone = clock.zone(settings.TIME_ZONE)
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    end = dt.datetime(year + 1, 1, 1, tzinfo=zone)

    # 1–2. Revenue and refunds by month (the provider's months).
    paid: defaultdict[dt.date, int] = defaultdict(int)
    refunded: defaultdict[dt.date, int] = defaultdict(int)
    for row in (
        Payment.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .annotate(month=TruncMonth("recorded_at", tzinfo=zone))
        .values("month")
        .annotate(total=Sum("amount_cents"))
    ):
        paid[row["month"].date()] += row["total"] or 0
    for row in (
        Refund.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .annotate(month=TruncMonth("recorded_at", tzinfo=zone))
        .values("month")
        .annotate(total=Sum("amount_cents"))
    ):
        refunded[row["month"].date()] += row["total"] or 0
    report.months = [
        (month, paid[month], refunded[month])
        for month in (dt.date(year, m, 1) for m in range(1, 13))
    ]

    # 3–4. Revenue and refunds by rotation, in the year.
    by_rotation: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in (
        Payment.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .values("application__session__rotation__title")
        .annotate(total=Sum("amount_cents"))
    ):
        by_rotation[row["application__session__rotation__title"]][0] += row["total"] or 0
    for row in (
        Refund.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .values("application__session__rotation__title")
        .annotate(total=Sum("amount_cents"))
    ):
        by_rotation[row["application__session__rotation__title"]][1] += row["total"] or 0
    report.by_rotation = sorted(
        ((title, p, r) for title, (p, r) in by_rotation.items()), key=lambda t: (-t[1], t[0])
    )

    # 5. What is still owed (any year): live or completed applications, paid vs price.
    owed: list[Owed] = []
    rows = (
        Application.objects.filter(status__in=OWING_STATUSES)
        .annotate(paid=_sum_subquery(Payment), refunded=_sum_subquery(Refund))
        .values(
            "pk",
            "status",
            "hold_expires_at",
            "paid",
            "refunded",
            "applicant__full_name",
            "session__start_date",
            "session__rotation__title",
            "session__rotation__price_cents",
            "session__rotation__deposit_cents",
            "session__rotation__balance_due_days",
        )
    )
    for row in rows:
        net = (row["paid"] or 0) - (row["refunded"] or 0)
        price = row["session__rotation__price_cents"]
        deposit = row["session__rotation__deposit_cents"]
        start_date = row["session__start_date"]
        common = {
            "application_id": row["pk"],
            "applicant": row["applicant__full_name"],
            "rotation": row["session__rotation__title"],
            "start_date": start_date,
        }
        if net < deposit and row["status"] == S.ACCEPTED:
            owed.append(
                Owed(
                    part="deposit", amount_cents=deposit - net, due=row["hold_expires_at"], **common
                )
            )
            report.deposits_owed_cents += deposit - net
        balance_due = price - max(net, deposit)
        if balance_due > 0:
            due = start_date - dt.timedelta(days=row["session__rotation__balance_due_days"])
            owed.append(Owed(part="balance", amount_cents=balance_due, due=due, **common))
            report.balances_owed_cents += balance_due

    def due_key(item: Owed) -> tuple[dt.date, int]:
        due = item.due
        day = due.date() if isinstance(due, dt.datetime) else due
        return (day or dt.date.max, item.application_id)

    owed.sort(key=due_key)
    report.owed_count = len(owed)
    report.owed = owed[:OUTSTANDING_LIMIT]

    # 6–7. Refunds in the year: totals and the latest ones.
    refunds = Refund.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    totals = refunds.aggregate(total=Sum("amount_cents"), count=Count("pk"))
    report.refunds_total_cents = totals["total"] or 0
    report.refunds_count = totals["count"] or 0
    report.refunds = list(
        refunds.select_related("application__applicant", "application__session__rotation").order_by(
            "-recorded_at", "-pk"
        )[:REFUNDS_LIMIT]
    )

    # 8. Fill rate of the year's sessions (seats used / capacity).
    seat_q = Q(applications__status__in=(S.CONFIRMED, S.IN_PROGRESS, S.COMPLETED)) | Q(
        applications__status=S.ACCEPTED, applications__hold_expires_at__gt=clock.now()
    )
    sessions = (
        RotationSession.objects.filter(start_date__year=year)
        .exclude(status=SessionStatus.CANCELLED)
        .annotate(used=Count("applications", filter=seat_q))
        .values("pk", "rotation__title", "start_date", "capacity", "used")
        .order_by("start_date", "pk")[:SESSIONS_LIMIT]
    )
    report.fill = [
        Fill(s["pk"], s["rotation__title"], s["start_date"], s["capacity"], s["used"])
        for s in sessions
    ]

    # 9. Funnel of the year's applications (by submission).
    funnel = Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        applied=Count("pk"),
        # Ever held a seat: its history has an `accepted` step (a withdrawn or lapsed hold
        # counts), or it is past that step now.
        accepted=Count(
            "pk",
            filter=Q(
                Exists(
                    ApplicationEvent.objects.filter(
                        application=OuterRef("pk"), to_status=S.ACCEPTED
                    )
                )
            )
            | Q(status__in=[*OWING_STATUSES, S.EXPIRED])
            | Q(confirmed_at__isnull=False),
        ),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        completed=Count("pk", filter=Q(status=S.COMPLETED)),
    )
    report.funnel = [
        ("Applied", funnel["applied"] or 0),
        ("Accepted", funnel["accepted"] or 0),
        ("Confirmed", funnel["confirmed"] or 0),
        ("Completed", funnel["completed"] or 0),
    ]
    return report
