"""Attendance grid: preceptors and coordinators confirm hours; the applicant reads them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from matchway.core import clock
from matchway.core.exceptions import AccessDenied, ApplicationError
from matchway.core.forms import form_add_errors
from matchway.experience.forms import AttendanceForm, FillWeekdaysForm
from matchway.experience.selectors import viewer_role
from matchway.experience.selectors_pages import attendance_total, attendance_weeks
from matchway.experience.services.attendance import (
    ATTENDANCE_STATUSES,
    attendance_fill_weekdays,
    attendance_set,
    can_confirm_attendance,
)
from matchway.experience.views.common import application_for, viewer


@login_required
def attendance(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "attendance")
    can_edit = can_confirm_attendance(user, application) and (
        application.status in ATTENDANCE_STATUSES
    )
    weeks = attendance_weeks(application, today=clock.site_today(application.session.rotation.site))
    days = [d for week in weeks for d in week if d is not None]
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "fill":
                fill = FillWeekdaysForm(request.POST)
                if not fill.is_valid():
                    messages.error(request, _("Enter hours from 0.5 to 24."))
                    return redirect("experience:attendance", application_id=application.pk)
                changes = attendance_fill_weekdays(
                    actor=user, application=application, hours=fill.cleaned_data["hours"]
                )
            else:
                form = AttendanceForm(request.POST, days=days)
                changes = attendance_set(
                    actor=user, application=application, hours_by_day=form.hours_by_day()
                )
        except AccessDenied:
            raise PermissionDenied from None
        except ApplicationError as exc:
            form = AttendanceForm(request.POST, days=days)
            form.is_valid()
            form_add_errors(form, exc)
            status = 422
        else:
            messages.success(
                request,
                _("Attendance saved (%(n)s days changed).") % {"n": len(changes)}
                if changes
                else _("Nothing changed."),
            )
            return redirect("experience:attendance", application_id=application.pk)
    else:
        form = AttendanceForm(days=days)
    grid = [
        [(day, form[day.field_name] if (day and can_edit) else None) for day in week]
        for week in weeks
    ]
    return render(
        request,
        "experience/attendance.html",
        {
            "application": application,
            "role": viewer_role(user, application),
            "grid": grid,
            "form": form,
            "fill_form": FillWeekdaysForm(),
            "can_edit": can_edit,
            "total": attendance_total(application),
            "weekday_names": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        },
        status=status,
    )
