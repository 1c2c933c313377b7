"""Dashboard panels for the rotation experience (discovered by core.discovery). Each panel
runs a fixed number of queries whatever the data size (pinned in tests)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.experience.models import (
    Certificate,
    Evaluation,
    EvaluationKind,
    EvaluationPhase,
    JournalEntry,
    RenderState,
)
from matchway.experience.selectors import experience_applications_for_user
from matchway.experience.selectors_pages import (
    applications_ready_for_certificate,
    evaluations_pending_for_user,
)
from matchway.experience.services.evaluations import MAX_REMINDERS
from matchway.rotations.models import ApplicationStatus

PANEL_LIMIT = 5
# A completed rotation keeps asking for the self-assessment this long after its last day.
SELF_ASSESSMENT_GRACE_DAYS = 14


def todos(request: HttpRequest) -> list[dict[str, Any]]:
    """The applicant's final self-assessment, due at the end of the rotation's last day at
    the site (docs/dev/time.md), until submitted. One query."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.APPLICANT:
        return []
    submitted = Evaluation.objects.filter(
        application=OuterRef("pk"),
        kind=EvaluationKind.SELF,
        phase=EvaluationPhase.FINAL,
        submitted_at__isnull=False,
    )
    since = clock.provider_today() - timedelta(days=SELF_ASSESSMENT_GRACE_DAYS + 1)
    applications = (
        experience_applications_for_user(user)
        .filter(session__end_date__gte=since)
        .exclude(Exists(submitted))
        .order_by("session__end_date", "pk")
    )
    items: list[dict[str, Any]] = []
    for application in applications:
        session = application.session
        if clock.site_today(session.rotation.site) > session.end_date + timedelta(
            days=SELF_ASSESSMENT_GRACE_DAYS
        ):
            continue
        items.append(
            {
                "due_at": clock.end_of_day(session.end_date, session.rotation.site.timezone),
                "title": _("Write your self-assessment for %(rotation)s")
                % {"rotation": session.rotation.title},
                "detail": _("Rate yourself on the same competencies as your preceptor."),
                "action_url": reverse("experience:self-assessment", args=[application.pk]),
                "action_label": _("Write it now"),
                "action_method": "post",
                "kind": "self-assessment",
            }
        )
    return items


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.role == Role.APPLICANT:
        return _applicant(user)
    if user.role == Role.PRECEPTOR:
        return _preceptor(user)
    if user.role == Role.COORDINATOR:
        return _coordinator(user)
    return []


def _applicant(user: User) -> list[dict[str, Any]]:
    certified = Certificate.objects.filter(
        application=OuterRef("pk"), revoked_at__isnull=True, render_state=RenderState.DONE
    )
    applications = list(
        experience_applications_for_user(user)
        .annotate(
            entries=Count("journal", filter=Q(journal__is_draft=False), distinct=True),
            submitted_evaluations=Count(
                "evaluations",
                filter=Q(
                    evaluations__kind=EvaluationKind.PRECEPTOR,
                    evaluations__submitted_at__isnull=False,
                    evaluations__addendum_to__isnull=True,
                ),
                distinct=True,
            ),
            has_certificate=Exists(certified),
        )
        .order_by("-session__start_date", "pk")[:PANEL_LIMIT]
    )
    if not applications:
        return []
    return [
        {
            "template": "experience/panels/applicant.html",
            "order": 20,
            "applications": applications,
        }
    ]


def _preceptor(user: User) -> list[dict[str, Any]]:
    pending = list(evaluations_pending_for_user(user)[:PANEL_LIMIT])
    shared = list(
        JournalEntry.objects.filter(
            application__session__rotation__preceptors=user,
            application__status__in=("in_progress", "completed"),
            shared_with_preceptor=True,
            is_draft=False,
        )
        .select_related("application__applicant", "application__session__rotation")
        .order_by("-shared_at", "-pk")[:PANEL_LIMIT]
    )
    running = list(
        experience_applications_for_user(user)
        .filter(status=ApplicationStatus.IN_PROGRESS)
        .order_by("session__end_date", "pk")[:PANEL_LIMIT]
    )
    if not pending and not shared and not running:
        return []
    return [
        {
            "template": "experience/panels/preceptor.html",
            "order": 5,
            "pending": pending,
            "shared": shared,
            "running": running,
        }
    ]


def _coordinator(user: User) -> list[dict[str, Any]]:
    pending = evaluations_pending_for_user(user)
    counts = pending.aggregate(
        total=Count("pk"), exhausted=Count("pk", filter=Q(reminders_sent__gte=MAX_REMINDERS))
    )
    ready = list(applications_ready_for_certificate()[:PANEL_LIMIT])
    failed = Certificate.objects.filter(render_state=RenderState.FAILED).count()
    return [
        {
            "template": "experience/panels/coordinator.html",
            "order": 20,
            "pending_total": counts["total"],
            "pending_exhausted": counts["exhausted"],
            "ready": ready,
            "failed_renders": failed,
        }
    ]
