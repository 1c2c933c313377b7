"""Interview pages: the list (both zones, clash warnings), add/change/remove, the
thank-you note, and `.ics` exports (one interview, or all of them)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import ValidationFailed
from matchway.core.links import absolute_url, site_host

from .forms_season import InterviewForm
from .ics import build_interviews_calendar, interview_event
from .selectors_season import interview_get_for_user, interviews_for_user, targets_for_interviews
from .services import season as season_service
from .services.interviews import (
    interview_create,
    interview_delete,
    interview_thank_you_mark,
    interview_update,
    interview_views,
)

PAGE_SIZE = 50


@role_required(Role.APPLICANT)
@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    items = list(interviews_for_user(user=user)[: PAGE_SIZE + 1])
    views = interview_views(items[:PAGE_SIZE], viewer_zone=user.timezone)
    return render(
        request,
        "eras/season/interview_list.html",
        {
            "views": views,
            "more": len(items) > PAGE_SIZE,
            "clashes": sum(1 for v in views if v.clashes),
            "viewer_zone": user.timezone,
        },
    )


def _form_page(request: HttpRequest, form: InterviewForm, interview: object) -> HttpResponse:
    return render(
        request, "eras/season/interview_form.html", {"form": form, "interview": interview}
    )


def _apply_errors(form: InterviewForm, exc: ValidationFailed) -> None:
    for name, problems in exc.errors.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@role_required(Role.APPLICANT)
def interview_create_view(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    targets = targets_for_interviews(user=user, season=season_service.season_current())
    form = InterviewForm(
        request.POST or None,
        targets=targets,
        initial={"timezone": user.timezone, "target": request.GET.get("target")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview_create(
                actor=user, target=form.cleaned_data["target"], data=form.data_object()
            )
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Interview added."))
            return redirect("eras:interview_list")
    return _form_page(request, form, None)


@role_required(Role.APPLICANT)
def interview_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    interview = interview_get_for_user(user=user, pk=pk)
    if interview is None:
        raise Http404
    targets = targets_for_interviews(user=user, season=interview.target.season)
    form = InterviewForm(
        request.POST or None, targets=targets, initial=InterviewForm.initial_for(interview)
    )
    form.fields["target"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            interview_update(actor=user, interview=interview, data=form.data_object())
        except ValidationFailed as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Interview saved."))
            return redirect("eras:interview_list")
    return _form_page(request, form, interview)


@role_required(Role.APPLICANT)
@require_POST
def interview_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    interview = interview_get_for_user(user=user, pk=pk)
    if interview is None:
        raise Http404
    interview_delete(actor=user, interview=interview)
    messages.success(request, _("Interview removed."))
    return redirect("eras:interview_list")


@role_required(Role.APPLICANT)
@require_POST
def interview_thank_you(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    interview = interview_get_for_user(user=user, pk=pk)
    if interview is None:
        raise Http404
    sent = request.POST.get("sent") == "1"
    interview_thank_you_mark(actor=user, interview=interview, sent=sent)
    messages.success(
        request, _("Thank-you note marked as sent.") if sent else _("Thank-you note reopened.")
    )
    return redirect("eras:interview_list")


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.APPLICANT)
@require_GET
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    interview = interview_get_for_user(user=user, pk=pk)
    if interview is None:
        raise Http404
    host = site_host() or "matchway"
    event = interview_event(interview, host=host, url=absolute_url("eras:interview_list"))
    body = build_interviews_calendar([event], name=settings.SITE_NAME)
    return _ics(body, f"interview-{pk}.ics")


@role_required(Role.APPLICANT)
@require_GET
def interviews_ics(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    host = site_host() or "matchway"
    url = absolute_url("eras:interview_list")
    events = [interview_event(i, host=host, url=url) for i in interviews_for_user(user=user)]
    body = build_interviews_calendar(
        events, name=_("%(site)s interviews") % {"site": settings.SITE_NAME}
    )
    return _ics(body, "interviews.ics")
