"""Drill mode: a simulated clock over last season, a fictitious list, scripted offers, and
no contact with the real week."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.core.exceptions import ValidationFailed
from matchway.soap import drill, samples, selectors, services
from matchway.soap.models import SoapApplication, SoapOffer, SoapWeek, UnfilledProgram, WeekKind

pytestmark = [pytest.mark.django_db]
DECEMBER = dt.datetime(2026, 12, 3, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def december(at: Any) -> dt.datetime:
    return at(DECEMBER)


def test_drill_clock_runs_last_season_at_speed(
    december: Any, applicant: Any, time_machine: Any
) -> None:
    week = drill.drill_start(actor=applicant, speed=60)
    assert week.season == "2026"
    start = selectors.week_now(week)
    assert start == dt.datetime(2026, 3, 16, 13, 55, tzinfo=dt.UTC)  # 09:55 EDT
    time_machine.move_to(DECEMBER + dt.timedelta(minutes=10), tick=False)
    assert selectors.week_now(week) - start == dt.timedelta(hours=10)
    with pytest.raises(ValidationFailed):
        drill.drill_start(actor=applicant, speed=7)


def test_drill_never_touches_the_real_week(december: Any, applicant: Any) -> None:
    real = services.week_get_or_create(applicant)
    services.list_import(actor=applicant, week=real, text=samples.sample_csv(3))
    services.applications_add(actor=applicant, week=real, codes=["9900140C0"])
    real_rows = set(
        UnfilledProgram.objects.filter(list_import__week=real).values_list("pk", flat=True)
    )

    week = drill.drill_start(actor=applicant, speed=60)
    assert week.imports.get().fictitious
    codes = list(
        week.imports.get()
        .rows.filter(soap_participating=True)
        .values_list("program_code", flat=True)
    )
    # Skip to applications open, send 45, then on to round 1 and round 2.
    while drill.next_event(week) and drill.next_event(week).key != "applications_open":  # type: ignore[union-attr]
        drill.drill_advance(actor=applicant, week=week)
    drill.drill_advance(actor=applicant, week=week)
    services.applications_add(actor=applicant, week=week, codes=codes[:45], sent=True)
    while selectors.match_week(week.season).round_at(selectors.week_now(week)) is None:
        drill.drill_advance(actor=applicant, week=week)
    scripted = list(week.offers.filter(round=1))
    assert scripted and all(o.scripted for o in scripted)
    assert {o.program_code for o in scripted} <= set(codes[:45])
    services.offer_decline(actor=applicant, offer=scripted[0])
    while selectors.match_week(week.season).round_at(selectors.week_now(week)) in (
        None,
        selectors.match_week(week.season).rounds[0],
    ):
        drill.drill_advance(actor=applicant, week=week)
    second = list(week.offers.filter(round=2))
    assert second and not {o.program_code for o in second} & {o.program_code for o in scripted}
    assert week.imports.filter(round=1).exists()  # the refreshed list after round 1
    services.offer_accept(actor=applicant, offer=second[0])
    drill.drill_finish(actor=applicant, week=week)

    # The real week is exactly as it was.
    assert (
        set(UnfilledProgram.objects.filter(list_import__week=real).values_list("pk", flat=True))
        == real_rows
    )
    assert list(
        SoapApplication.objects.filter(week=real).values_list("program_code", flat=True)
    ) == ["9900140C0"]
    assert not SoapOffer.objects.filter(week=real).exists()
    assert SoapWeek.objects.filter(applicant=applicant, kind=WeekKind.DRILL).count() == 1


def test_drill_pages(december: Any, applicant: Any, applicant_client: Client) -> None:
    applicant_client.force_login(applicant)
    assert applicant_client.get(reverse("soap:drill-list")).status_code == 302
    applicant_client.post(reverse("soap:drill-start"), {"speed": "60"})
    html = applicant_client.get(reverse("soap:drill-list")).content.decode()
    assert "Fictitious sample list." in html and "Drill (practice)" in html
    html = applicant_client.get(reverse("soap:drill")).content.decode()
    assert "Skip to:" in html
    applicant_client.post(reverse("soap:drill-advance"))
    for name in ("soap:drill-applications", "soap:drill-offers"):
        assert applicant_client.get(reverse(name)).status_code == 200
    applicant_client.post(reverse("soap:drill-finish"))
    assert SoapWeek.objects.get(kind=WeekKind.DRILL).drill_finished_at is not None
    # The real cockpit stays empty.
    html = applicant_client.get(reverse("soap:list")).content.decode()
    assert "No list imported yet." in html
