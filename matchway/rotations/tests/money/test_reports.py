"""The provider's reports page: figures, charts with table twins, CSV (formula-guarded),
coordinators only, and a query count that does not grow with the data (pinned)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.models import User
from matchway.accounts.tests.factories import UserFactory
from matchway.rotations.models import ApplicationStatus, Payment, Refund
from matchway.rotations.selectors_reports import provider_report
from matchway.rotations.tests.factories import ApplicationFactory, RotationSessionFactory

S = ApplicationStatus
NOW = dt.datetime(2027, 3, 15, 15, tzinfo=dt.UTC)
QUERIES = 11  # pinned: session + user + the report's 9 queries


@pytest.fixture(autouse=True)
def _now(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)


def _make(count: int, coordinator: User, *, title: str = "=cmd|' /C calc'!A0") -> None:
    session = RotationSessionFactory(
        start_date=dt.date(2027, 5, 3),
        capacity=10,
        rotation__title=title,
        rotation__price_cents=300_000,
        rotation__deposit_cents=50_000,
        rotation__balance_due_days=30,
    )
    for index in range(count):
        status = [S.CONFIRMED, S.ACCEPTED, S.SUBMITTED, S.COMPLETED][index % 4]
        app = ApplicationFactory(
            session=session,
            status=status,
            applicant=UserFactory(role="applicant", full_name=f"Payer {index}"),
            confirmed_at=NOW if status in (S.CONFIRMED, S.COMPLETED) else None,
        )
        if status != S.SUBMITTED:
            Payment.objects.create(
                application=app, amount_cents=50_000, method="cash", recorded_at=NOW
            )
        if index == 0:
            Refund.objects.create(application=app, amount_cents=10_000, recorded_at=NOW)


def test_report_figures(coordinator: User) -> None:
    _make(4, coordinator)
    report = provider_report(year=2027)
    assert report.revenue_cents == 150_000
    assert report.net_cents == 140_000
    march = [paid for month, paid, _r in report.months if month.month == 3]
    assert march == [150_000]
    # Confirmed one refunded 100: owes 2,600 balance and its deposit is short by 100... only
    # accepted rows owe a deposit. Balances: every paying row owes price - max(net, deposit).
    assert report.deposits_owed_cents == 0
    assert report.balances_owed_cents == 250_000 * 3
    balance = next(o for o in report.owed if o.part == "balance")
    assert balance.due == dt.date(2027, 4, 3)
    assert report.funnel == [("Applied", 4), ("Accepted", 3), ("Confirmed", 2), ("Completed", 1)]
    assert report.fill[0].used == 3 and report.fill[0].percent == 30.0
    assert report.refunds_count == 1


def test_page_charts_tables_and_constant_queries(
    coordinator: User, coordinator_client: Client, django_assert_num_queries: Any
) -> None:
    coordinator_client.force_login(coordinator)
    url = reverse("rotations:manage-reports") + "?year=2027"
    _make(4, coordinator, title="Cardiology A")
    coordinator_client.get(url)  # warm caches
    with django_assert_num_queries(QUERIES):
        page = coordinator_client.get(url)
    _make(12, coordinator, title="Cardiology B")
    with django_assert_num_queries(QUERIES):
        page = coordinator_client.get(url)
    html = page.content.decode()
    for chart in ("revenue-by-month", "revenue-by-rotation", "fill-rate", "funnel"):
        assert f'id="{chart}"' in html
        assert f'id="{chart}-table"' in html
    assert 'data-testid="revenue">$6,000<' in html


def _table(html: str, table_id: str) -> str:
    """The table's markup with the template's indentation taken out."""
    start = html.index(f'<table id="{table_id}">')
    table = html[start : html.index("</table>", start)]
    return "".join(line.strip() for line in table.splitlines())


def test_page_tables_carry_the_chart_figures(coordinator: User, coordinator_client: Client) -> None:
    coordinator_client.force_login(coordinator)
    _make(4, coordinator, title="Cardiology A")
    url = reverse("rotations:manage-reports") + "?year=2027"
    html = coordinator_client.get(url).content.decode()
    months = _table(html, "revenue-by-month-table")
    assert '<th scope="col">Month</th><th scope="col">Received</th>' in months
    assert '<th scope="row">March</th><td>$1,500</td><td>$100</td>' in months
    rotations = _table(html, "revenue-by-rotation-table")
    assert '<th scope="row">Cardiology A</th><td>$1,500</td><td>$100</td>' in rotations
    fill = _table(html, "fill-rate-table")
    assert '<th scope="col">Seats used</th>' in fill
    assert '<th scope="row">Cardiology A · May 3, 2027</th><td>3 / 10</td>' in fill
    funnel = _table(html, "funnel-table")
    assert "<thead>" not in funnel
    assert '<th scope="row">Applied</th><td>4</td>' in funnel


def test_empty_year(coordinator: User, coordinator_client: Client) -> None:
    coordinator_client.force_login(coordinator)
    page = coordinator_client.get(reverse("rotations:manage-reports") + "?year=2027")
    assert page.status_code == 200
    assert "No payments this year yet" in page.content.decode()
    odd = coordinator_client.get(reverse("rotations:manage-reports") + "?year=99999999999")
    assert odd.status_code == 200


def test_csv_is_formula_guarded(coordinator: User, coordinator_client: Client) -> None:
    coordinator_client.force_login(coordinator)
    _make(2, coordinator)
    response = coordinator_client.get(reverse("rotations:manage-reports-csv") + "?year=2027")
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Disposition"] == 'attachment; filename="matchway-report-2027.csv"'
    assert "revenue_by_rotation,'=cmd" in body
    assert "\n=cmd" not in body and ",=cmd" not in body
    assert "funnel,Applied,2" in body


@pytest.mark.parametrize("persona", ["applicant", "preceptor", "outsider"])
def test_reports_are_for_coordinators(persona_clients: dict[str, Client], persona: str) -> None:
    assert persona_clients[persona].get(reverse("rotations:manage-reports")).status_code == 403


def test_funnel_counts_a_withdrawn_hold_as_accepted(coordinator: User, applicant: User) -> None:
    from matchway.rotations.services.applications_submit import (
        application_submit,
        application_withdraw,
    )

    session = RotationSessionFactory(start_date=dt.date(2027, 5, 3), capacity=3)
    application = application_submit(actor=applicant, session=session)
    assert application.status == S.ACCEPTED  # instant booking: a hold
    application_withdraw(actor=applicant, application=application)
    assert provider_report(year=2027).funnel[:2] == [("Applied", 1), ("Accepted", 1)]
