"""Drill mode: a simulated clock over last season, a fictitious list, scripted offers, and
no contact with the real week."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from matchway.core.exceptions import InvalidTransition, ValidationFailed
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


def test_drill_sends_only_from_the_opening_on_its_own_clock(december: Any, applicant: Any) -> None:
    week = drill.drill_start(actor=applicant, speed=60)
    opens = selectors.match_week(week.season).event("applications_open").starts_at
    assert selectors.week_now(week) < opens  # Monday 09:55 ET of 2026, simulated
    a, b = (
        week.imports.get()
        .rows.filter(soap_participating=True)
        .values_list("program_code", flat=True)[:2]
    )
    [picked] = services.applications_add(actor=applicant, week=week, codes=[a])
    # The real clock (December) is long after the 2026 SOAP; the drill's is before it opens.
    with pytest.raises(InvalidTransition, match="open in ERAS") as info:
        services.applications_mark_sent(actor=applicant, week=week, applications=[picked])
    assert "Mon 16 Mar, 11:00 EDT" in info.value.message
    assert "skip ahead" in info.value.message
    with pytest.raises(InvalidTransition, match="open in ERAS"):
        services.applications_add(actor=applicant, week=week, codes=[b], sent=True)

    while selectors.week_now(week) < opens:
        drill.drill_advance(actor=applicant, week=week)
    assert selectors.week_now(week) == opens
    assert services.applications_mark_sent(actor=applicant, week=week, applications=[picked]) == 1
    services.applications_add(actor=applicant, week=week, codes=[b], sent=True)

    ends = selectors.match_week(week.season).event("soap_ends").starts_at
    while selectors.week_now(week) < ends:
        drill.drill_advance(actor=applicant, week=week)
    [c] = (
        week.imports.get(round=0)
        .rows.filter(soap_participating=True)
        .values_list("program_code", flat=True)[2:3]
    )
    with pytest.raises(InvalidTransition, match="SOAP is over"):
        services.applications_add(actor=applicant, week=week, codes=[c], sent=True)


def test_a_drill_list_pasted_by_the_applicant_is_fictitious(
    december: Any, applicant: Any, applicant_client: Client
) -> None:
    applicant_client.force_login(applicant)
    applicant_client.post(reverse("soap:drill-start"), {"speed": "60"})
    pasted = "1000140C0,Alpha Internal Medicine,Internal Medicine,C,NY,2,yes,ERAS\n"
    for name in ("soap:drill-list-import", "soap:list-import"):
        response = applicant_client.post(reverse(name), {"text": pasted, "round": "0"})
        assert response.status_code == 302

    drill_import = SoapWeek.objects.get(kind=WeekKind.DRILL).imports.get()
    real_import = SoapWeek.objects.get(kind=WeekKind.REAL).imports.get()
    assert [r.name for r in drill_import.rows.all()] == ["Alpha Internal Medicine"]
    assert drill_import.fictitious  # the paste replaced the sample and is practice data too
    assert not real_import.fictitious
    html = applicant_client.get(reverse("soap:drill-list")).content.decode()
    assert "Alpha Internal Medicine" in html and "Fictitious sample list." in html
    html = applicant_client.get(reverse("soap:list")).content.decode()
    assert "Alpha Internal Medicine" in html and "Fictitious sample list." not in html
    # A round imported later from a file (the upload path) is marked the same way.
    upload = SimpleUploadedFile("lup.csv", pasted.encode(), content_type="text/csv")
    applicant_client.post(reverse("soap:drill-list-import"), {"file": upload, "round": "1"})
    week = SoapWeek.objects.get(kind=WeekKind.DRILL)
    assert week.imports.get(round=1).fictitious
