"""The experience hub: my rotations, and one rotation's overview for the person asking."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from matchway.experience.models import Evaluation, EvaluationKind, JournalEntry
from matchway.experience.selectors import experience_applications_for_user, viewer_role
from matchway.experience.selectors_pages import (
    attendance_total,
    certificates_for_application,
    journal_entries_for_user,
)
from matchway.experience.services.certificates import certificate_eligibility
from matchway.experience.services.journal import journal_is_editable
from matchway.experience.views.common import application_for, viewer
from matchway.rotations.models import ApplicationStatus


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    page = Paginator(experience_applications_for_user(user), 25).get_page(request.GET.get("page"))
    return render(request, "experience/index.html", {"page": page})


@login_required
def overview(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "overview")
    role = viewer_role(user, application)
    context: dict[str, object] = {
        "application": application,
        "session": application.session,
        "rotation": application.session.rotation,
        "role": role,
        "hours_confirmed": attendance_total(application),
        "completed": application.status == ApplicationStatus.COMPLETED,
    }
    if role in ("owner", "preceptor"):
        entries = journal_entries_for_user(user=user, application=application)
        context["journal_count"] = entries.filter(is_draft=False).count()
        context["journal_drafts"] = (
            JournalEntry.objects.filter(application=application, is_draft=True).count()
            if role == "owner"
            else 0
        )
        context["journal_editable"] = role == "owner" and journal_is_editable(application)
    evaluations = Evaluation.objects.filter(
        application=application, kind=EvaluationKind.PRECEPTOR, addendum_to__isnull=True
    )
    if role == "preceptor":
        evaluations = evaluations.filter(evaluator=user)
    context["evaluations_total"] = evaluations.count()
    context["evaluations_submitted"] = evaluations.filter(submitted_at__isnull=False).count()
    if role in ("owner", "coordinator"):
        context["certificates"] = certificates_for_application(application)
    if role == "coordinator":
        context["certificate_blockers"] = certificate_eligibility(application)
    return render(request, "experience/overview.html", context)
