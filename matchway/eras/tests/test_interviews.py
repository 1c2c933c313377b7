"""Interviews: two zones across a daylight-saving change, clashes, .ics, the calendar feed,
and another applicant's interviews are 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from matchway.core.exceptions import ValidationFailed
from matchway.eras.models import Interview
from matchway.eras.services.interviews import (
    InterviewData,
    interview_create,
    interview_view,
    interview_views,
    local_to_instant,
)

from .factories_season import InterviewFactory, ProgramTargetFactory

NOW = dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.usefixtures("reference_data")


def _data(day: dt.date, hour: int, zone: str = "America/New_York", **kw: Any) -> InterviewData:
    return InterviewData(day=day, time=dt.time(hour, 0), timezone=zone, **kw)


@time_machine.travel(NOW, tick=False)
def test_same_wall_clock_time_either_side_of_the_dst_change(kolkata_applicant: Any) -> None:
    # US clocks go back on Sunday 1 November 2026; India has no DST.
    target = ProgramTargetFactory(applicant=kolkata_applicant)
    before = interview_create(
        actor=kolkata_applicant, target=target, data=_data(dt.date(2026, 10, 30), 9)
    )
    after = interview_create(
        actor=kolkata_applicant, target=target, data=_data(dt.date(2026, 11, 2), 9)
    )
    assert before.starts_at == dt.datetime(2026, 10, 30, 13, 0, tzinfo=dt.UTC)  # EDT
    assert after.starts_at == dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)  # EST
    v1 = interview_view(before, viewer_zone="Asia/Kolkata", others=[])
    v2 = interview_view(after, viewer_zone="Asia/Kolkata", others=[])
    assert v1.program_start.hour == v2.program_start.hour == 9
    assert (v1.applicant_start.hour, v1.applicant_start.minute) == (18, 30)
    assert (v2.applicant_start.hour, v2.applicant_start.minute) == (19, 30)
    assert "EDT" in v1.program_when and "EST" in v2.program_when
    assert "IST" in v2.applicant_when


def test_a_time_the_clocks_skip_is_refused() -> None:
    # 2:30 a.m. on 8 March 2026 does not exist in New York.
    with pytest.raises(ValidationFailed) as caught:
        local_to_instant(dt.date(2026, 3, 8), dt.time(2, 30), "America/New_York")
    assert "does not exist" in caught.value.errors["time"][0]
    # the repeated hour in November takes the first one (still daylight time)
    first = local_to_instant(dt.date(2026, 11, 1), dt.time(1, 30), "America/New_York")
    assert first == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationFailed):
        local_to_instant(dt.date(2026, 11, 1), dt.time(1, 30), "Mars/Olympus")


def test_overlapping_interviews_clash_in_both_directions(applicant: Any) -> None:
    target = ProgramTargetFactory(applicant=applicant)
    start = dt.datetime(2026, 11, 10, 14, 0, tzinfo=dt.UTC)
    a = InterviewFactory(target=target, starts_at=start, duration_minutes=240)
    b = InterviewFactory(target=target, starts_at=start + dt.timedelta(hours=3))
    c = InterviewFactory(target=target, starts_at=start + dt.timedelta(hours=6))  # a has ended
    d = InterviewFactory(target=target, starts_at=start + dt.timedelta(days=1))
    views = {v.interview.pk: v for v in interview_views([d, c, b, a], viewer_zone="UTC")}
    assert [i.pk for i in views[a.pk].clashes] == [b.pk]
    assert [i.pk for i in views[b.pk].clashes] == [a.pk, c.pk]  # b runs 3h-7h
    assert [i.pk for i in views[c.pk].clashes] == [b.pk]
    assert views[d.pk].clashes == []


def test_interview_pages_and_ics(applicant_client: Any, applicant: Any) -> None:
    target = ProgramTargetFactory(applicant=applicant)
    response = applicant_client.post(
        reverse("eras:interview_create"),
        {
            "target": target.pk,
            "day": "2026-11-02",
            "time": "09:00",
            "timezone": "America/Chicago",
            "duration_minutes": 180,
            "format": "virtual",
            "link": "https://meet.example.org/abc",
            "thank_you_due_on": "2026-11-04",
            "notes": "",
        },
    )
    assert response.status_code == 302
    interview = Interview.objects.get(target=target)
    assert interview.starts_at == dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    page = applicant_client.get(reverse("eras:interview_list")).content.decode()
    assert target.program.name in page and "CST (America/Chicago)" in page
    assert "EST (America/New_York)" in page  # Alice's own zone
    ics = applicant_client.get(reverse("eras:interview_ics", args=[interview.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 1
    assert events[0].decoded("dtstart") == dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
    assert events[0].decoded("dtend") == dt.datetime(2026, 11, 2, 18, 0, tzinfo=dt.UTC)
    assert "Thank-you note due 2026-11-04" in str(events[0]["description"])
    all_ics = applicant_client.get(reverse("eras:interviews_ics"))
    assert len(Calendar.from_ical(all_ics.content).walk("VEVENT")) == 1


def test_form_shows_skipped_hour_error(applicant_client: Any, applicant: Any) -> None:
    target = ProgramTargetFactory(applicant=applicant)
    response = applicant_client.post(
        reverse("eras:interview_create"),
        {
            "target": target.pk,
            "day": "2026-03-08",
            "time": "02:30",
            "timezone": "America/New_York",
            "duration_minutes": 60,
            "format": "in_person",
        },
    )
    assert response.status_code == 200
    assert "does not exist" in response.content.decode()
    assert not Interview.objects.exists()


def test_someone_elses_interview_is_404(
    applicant_client: Any, outsider: Any, anonymous: Any
) -> None:
    theirs = InterviewFactory(target=ProgramTargetFactory(applicant=outsider))
    for name in ("eras:interview_edit", "eras:interview_ics"):
        assert applicant_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    for name in ("eras:interview_delete", "eras:interview_thank_you"):
        assert applicant_client.post(reverse(name, args=[theirs.pk])).status_code == 404
    api = applicant_client.get(f"/api/v1/me/eras/interviews/{theirs.pk}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"
    assert applicant_client.get("/api/v1/me/eras/interviews").json() == []
    # the form does not offer someone else's target either
    response = applicant_client.post(
        reverse("eras:interview_create"),
        {"target": theirs.target.pk, "day": "2026-11-02", "time": "09:00",
         "timezone": "UTC", "duration_minutes": 60, "format": "virtual"},
    )
    assert response.status_code == 200 and Interview.objects.count() == 1


def test_thank_you_and_delete(applicant_client: Any, applicant: Any) -> None:
    interview = InterviewFactory(target=ProgramTargetFactory(applicant=applicant))
    applicant_client.post(reverse("eras:interview_thank_you", args=[interview.pk]), {"sent": "1"})
    interview.refresh_from_db()
    assert interview.thank_you_sent_at is not None
    applicant_client.post(reverse("eras:interview_delete", args=[interview.pk]))
    assert not Interview.objects.exists()


def test_interviews_join_the_private_calendar_feed(applicant: Any, anonymous: Any) -> None:
    from matchway.rotations.services.calendar import calendar_feed_create

    interview = InterviewFactory(target=ProgramTargetFactory(applicant=applicant))
    raw, _feed = calendar_feed_create(actor=applicant)
    response = anonymous.get(reverse("calendar:feed", args=[raw]))
    assert response.status_code == 200
    uids = [str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert any(uid.startswith(f"eras-interview-{interview.pk}@") for uid in uids)


def test_list_query_count_is_constant(
    applicant_client: Any, applicant: Any, django_assert_num_queries: Any
) -> None:
    target = ProgramTargetFactory(applicant=applicant)
    for hour in range(3):
        InterviewFactory(
            target=target, starts_at=dt.datetime(2026, 11, 10 + hour, 14, tzinfo=dt.UTC)
        )
    applicant_client.get(reverse("eras:interview_list"))  # warm session/caches
    # session + user, then the interviews with target, program and specialty in one query
    with django_assert_num_queries(3):
        applicant_client.get(reverse("eras:interview_list"))
    for hour in range(10):
        InterviewFactory(
            target=ProgramTargetFactory(applicant=applicant),
            starts_at=dt.datetime(2026, 12, 1 + hour, 14, tzinfo=dt.UTC),
        )
    with django_assert_num_queries(3):
        applicant_client.get(reverse("eras:interview_list"))
