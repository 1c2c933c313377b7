"""Hub pages, dashboard panels (with pinned query counts), periodic jobs and demo data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management.base import OutputWrapper
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.discovery import periodic_jobs
from matchway.experience.models import Certificate, ErasExperienceDraft, Evaluation, JournalEntry
from matchway.experience.tests.factories import (
    EvaluationFactory,
    JournalEntryFactory,
    completed_application,
    confirm_days,
)
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db


def test_index_lists_only_what_each_person_may_open(
    running: Application,
    applicant_client: Client,
    outsider_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
) -> None:
    url = reverse("experience:index")
    title = running.session.rotation.title.encode()
    assert title in applicant_client.get(url).content
    assert title in preceptor_client.get(url).content
    assert title in coordinator_client.get(url).content
    assert title not in outsider_client.get(url).content


def test_overview_per_role(
    running: Application,
    applicant_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
    outsider_client: Client,
) -> None:
    url = reverse("experience:overview", args=[running.pk])
    assert b"Open the journal" in applicant_client.get(url).content
    assert b"ERAS" in applicant_client.get(url).content
    assert b"Shared journal" in preceptor_client.get(url).content
    coordinator_page = coordinator_client.get(url).content
    assert b"private to the applicant" in coordinator_page
    assert b"Open the journal" not in coordinator_page
    assert outsider_client.get(url).status_code == 404


def test_experience_panels_join_the_rotation_panels(
    completed: Application,
    preceptor: Any,
    applicant_client: Client,
    preceptor_client: Client,
    coordinator_client: Client,
) -> None:
    confirm_days(completed, preceptor)
    EvaluationFactory(application=completed, evaluator=preceptor)
    JournalEntryFactory(application=completed, shared_with_preceptor=True)
    applicant_page = applicant_client.get(reverse("dashboard")).content
    assert b"Your rotations: journal, evaluations, certificates" in applicant_page
    preceptor_page = preceptor_client.get(reverse("dashboard")).content
    assert b"Evaluate Alice Adeyemi" in preceptor_page
    assert b"Recently shared with you" in preceptor_page
    coordinator_page = coordinator_client.get(reverse("dashboard")).content
    assert b"1 evaluation waiting" in coordinator_page


@pytest.mark.postgres  # query counts must hold on both databases
@pytest.mark.parametrize("role", ["applicant", "preceptor", "coordinator"])
def test_panel_queries_do_not_grow_with_data(
    role: str, persona_clients: dict[str, Client], applicant: Any, preceptor: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from matchway.experience.dashboard import panels

    user = {"applicant": applicant, "preceptor": preceptor}.get(role) or UserFactory(role=role)

    class Request:
        pass

    request: Any = Request()
    request.user = user

    def add() -> None:
        application = completed_application(applicant=applicant, preceptors=[preceptor])
        EvaluationFactory(application=application, evaluator=preceptor)
        JournalEntryFactory(application=application, shared_with_preceptor=True)

    add()
    with CaptureQueriesContext(connection) as one:
        panels(request)
    for _ in range(4):
        add()
    with CaptureQueriesContext(connection) as many:
        panels(request)
    assert len(many.captured_queries) == len(one.captured_queries)


def test_periodic_jobs_are_registered() -> None:
    names = [name for name, _job in periodic_jobs()]
    for expected in (
        "experience.evaluations_request",
        "experience.evaluations_remind",
        "experience.certificates_render_retry",
    ):
        assert expected in names


def test_demo_seed_is_complete_and_idempotent(reference_data: None, settings: Any) -> None:
    from matchway.accounts import demo as accounts_demo
    from matchway.experience.demo import seed

    context: dict[str, Any] = {"password": "demo-pass-123", "stdout": OutputWrapper(io.StringIO())}
    accounts_demo.seed(context)
    seed(context)
    seed(context)
    applicant = context["users"]["applicant"]
    certificate = Certificate.objects.get(application__applicant=applicant)
    application = certificate.application
    assert application.status == "completed"
    assert certificate.render_state in ("done", "pending")
    assert JournalEntry.objects.filter(application=application).count() == 5
    assert JournalEntry.objects.filter(application=application, shared_with_preceptor=True).exists()
    submitted = Evaluation.objects.filter(application=application, submitted_at__isnull=False)
    assert submitted.count() == 2
    assert ErasExperienceDraft.objects.filter(application=application).exists()
