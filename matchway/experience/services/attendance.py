"""Attendance: a preceptor or coordinator confirms the hours attended, day by day.

Certificates and ERAS drafts use these confirmed hours only, never the hours an applicant
wrote in their journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.experience.models import AttendanceRecord
from matchway.rotations.models import Application, ApplicationStatus

ATTENDANCE_STATUSES = (ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED)
MSG_NOT_STARTED = _("Attendance can be confirmed once the rotation has started.")
MSG_HOURS = _("Enter hours from 0 to 24, in steps of half an hour.")
MSG_FUTURE = _("Days in the future cannot be confirmed yet.")


def can_confirm_attendance(user: User, application: Application) -> bool:
    if user.role == Role.COORDINATOR:
        return True
    return (
        user.role == Role.PRECEPTOR
        and application.session.rotation.preceptors.filter(pk=user.pk).exists()
    )


def rotation_days(application: Application) -> list[dt.date]:
    start, end = application.session.start_date, application.session.end_date
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def parse_hours(raw: object) -> Decimal | None:
    """'' → None (not confirmed); otherwise 0–24 in half hours, or ValueError."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    try:
        hours = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not hours.is_finite() or hours < 0 or hours > 24 or (hours * 2) % 1 != 0:
        raise ValueError(text)
    return hours.quantize(Decimal("0.1"))


def attendance_set(
    *,
    actor: User,
    application: Application,
    hours_by_day: Mapping[dt.date, object],
    today: dt.date | None = None,
) -> dict[str, str | None]:
    """Confirm (or clear) hours for the given days. Returns the changes made, by ISO day.

    Only a coordinator or a preceptor of the rotation may confirm, once the rotation is in
    progress or completed, for days within the session and not in the future. Blank clears
    a day. All days are validated before anything is written (one transaction); audited.
    """
    if not can_confirm_attendance(actor, application):
        raise AccessDenied()
    if application.status not in ATTENDANCE_STATUSES:
        raise InvalidTransition(MSG_NOT_STARTED)
    allowed = set(rotation_days(application))
    current_day = today or clock.site_today(application.session.rotation.site)
    parsed: dict[dt.date, Decimal | None] = {}
    errors: dict[str, list[str]] = {}
    for day, raw in hours_by_day.items():
        key = f"day_{day.isoformat()}"
        if day not in allowed:
            errors[key] = [str(_("This day is outside the rotation."))]
            continue
        try:
            value = parse_hours(raw)
        except ValueError:
            errors[key] = [str(MSG_HOURS)]
            continue
        if value is not None and day > current_day:
            errors[key] = [str(MSG_FUTURE)]
            continue
        parsed[day] = value
    if errors:
        raise ValidationFailed(errors=errors)

    changes: dict[str, str | None] = {}
    with transaction.atomic():
        existing = {r.day: r for r in AttendanceRecord.objects.filter(application=application)}
        for day, value in sorted(parsed.items()):
            record = existing.get(day)
            if value is None:
                if record is not None:
                    record.delete()
                    changes[day.isoformat()] = None
                continue
            if record is None:
                AttendanceRecord.objects.create(
                    application=application, day=day, hours=value, confirmed_by=actor
                )
                changes[day.isoformat()] = str(value)
            elif record.hours != value:
                record.hours = value
                record.confirmed_by = actor
                record.save(update_fields=["hours", "confirmed_by"])
                changes[day.isoformat()] = str(value)
        if changes:
            audit_record(
                actor=actor,
                action="attendance.confirm",
                target=application,
                data={"changes": changes},
            )
    return changes


def attendance_fill_weekdays(
    *, actor: User, application: Application, hours: object, today: dt.date | None = None
) -> dict[str, str | None]:
    """Confirm `hours` on every weekday so far that has no confirmed hours yet."""
    current_day = today or clock.site_today(application.session.rotation.site)
    taken = set(
        AttendanceRecord.objects.filter(application=application).values_list("day", flat=True)
    )
    days = {
        day: hours
        for day in rotation_days(application)
        if day.weekday() < 5 and day <= current_day and day not in taken
    }
    return attendance_set(
        actor=actor, application=application, hours_by_day=days, today=current_day
    )
