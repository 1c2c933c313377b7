"""Account erasure hook: applications stay (seat and money history) without personal text;
calendar feeds go."""

from __future__ import annotations

from matchway.accounts.models import User

from .models import Application, ApplicationEvent, CalendarFeed


def erase(user: User) -> dict[str, int]:
    applications = Application.objects.filter(applicant=user)
    detached = applications.update(
        motivation="", referral_source="", status_reason="", confirm_override_reason=""
    )
    ApplicationEvent.objects.filter(application__applicant=user).update(reason="")
    feeds, _ = CalendarFeed.objects.filter(user=user).delete()
    return {"applications_detached": detached, "calendar_feeds": feeds}
