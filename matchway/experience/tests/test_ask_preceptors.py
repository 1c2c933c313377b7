"""Issue #17: from the coordinator's application page, ask the rotation's assigned
preceptor(s) to evaluate now (no need to type their email as an outside evaluator)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from matchway.accounts.tests.factories import UserFactory
from matchway.core.models import AuditEvent
from matchway.experience.models import Evaluation, EvaluationPhase
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db


def _ask(client: Client, application: Application, **extra: Any) -> Any:
    return client.post(
        reverse("experience:evaluation-request-preceptors", args=[application.pk]),
        {"next": reverse("rotations:review", args=[application.pk]), **extra},
        follow=True,
    )


def test_review_page_offers_the_button_for_a_completed_rotation(
    coordinator_client: Client, completed: Application
) -> None:
    html = coordinator_client.get(reverse("rotations:review", args=[completed.pk])).content
    url = reverse("experience:evaluation-request-preceptors", args=[completed.pk])
    assert url.encode() in html
    assert b"Ask the rotation's preceptor to evaluate" in html


def test_ask_sends_the_request_email_to_the_assigned_preceptors(
    coordinator_client: Client,
    coordinator: Any,
    completed: Application,
    preceptor: Any,
    mailoutbox: list[Any],
) -> None:
    second = UserFactory(role="preceptor", full_name="Dr. Second Whitfield")
    completed.session.rotation.preceptors.add(second)
    response = _ask(coordinator_client, completed)
    assert response.redirect_chain[-1][0] == reverse("rotations:review", args=[completed.pk])
    html = response.content.decode()
    assert "Evaluation request emailed to" in html
    evaluations = Evaluation.objects.filter(application=completed, phase=EvaluationPhase.FINAL)
    assert {e.evaluator_id for e in evaluations} == {preceptor.pk, second.pk}
    assert sorted(m.to[0] for m in mailoutbox) == sorted([preceptor.email, second.email])
    link = reverse("experience:evaluation-edit", args=[evaluations.get(evaluator=preceptor).pk])
    assert link in next(m.body for m in mailoutbox if m.to == [preceptor.email])
    event = AuditEvent.objects.get(action="evaluation.request_preceptors")
    assert event.actor == coordinator
    assert sorted(event.data["evaluations"]) == sorted(e.pk for e in evaluations)


def test_asking_twice_says_so_and_sends_nothing_more(
    coordinator_client: Client, completed: Application, mailoutbox: list[Any]
) -> None:
    _ask(coordinator_client, completed)
    sent = len(mailoutbox)
    html = _ask(coordinator_client, completed).content.decode()
    assert "already asked" in html
    assert len(mailoutbox) == sent
    assert Evaluation.objects.filter(application=completed).count() == 1


def test_running_rotation_asks_for_the_midpoint(
    coordinator_client: Client, running: Application
) -> None:
    _ask(coordinator_client, running)
    assert Evaluation.objects.get(application=running).phase == EvaluationPhase.MIDPOINT


def test_no_preceptor_assigned_is_a_clear_message(
    coordinator_client: Client, completed: Application, mailoutbox: list[Any]
) -> None:
    completed.session.rotation.preceptors.clear()
    html = _ask(coordinator_client, completed).content.decode()
    assert "No preceptor is assigned to this rotation." in html
    assert not Evaluation.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("who", ["applicant_client", "preceptor_client"])
def test_only_coordinators_may_ask(
    who: str, request: pytest.FixtureRequest, completed: Application
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.post(reverse("experience:evaluation-request-preceptors", args=[completed.pk]))
    assert response.status_code == 403
    assert not Evaluation.objects.exists()


def test_unknown_application_is_404(coordinator_client: Client, completed: Application) -> None:
    url = reverse("experience:evaluation-request-preceptors", args=[completed.pk + 999])
    assert coordinator_client.post(url).status_code == 404


def test_offsite_next_is_ignored(coordinator_client: Client, completed: Application) -> None:
    response = coordinator_client.post(
        reverse("experience:evaluation-request-preceptors", args=[completed.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("experience:evaluations", args=[completed.pk])
