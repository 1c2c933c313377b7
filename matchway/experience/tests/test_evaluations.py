"""Evaluations: scheduled requests, ratings, immutability, addenda, secret links for
evaluators without an account, the composite, reminders, and what each person sees."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from matchway.accounts.tests.factories import UserFactory
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.core.models import AuditEvent, OneTimeToken
from matchway.experience.models import Evaluation, EvaluationKind
from matchway.experience.services import evaluations as svc
from matchway.experience.services import evaluations_addenda as addenda_svc
from matchway.experience.services import evaluations_reminders as reminder_svc
from matchway.experience.services import evaluations_requests as request_svc
from matchway.experience.services import evaluations_submit as submit_svc
from matchway.experience.tests.factories import (
    FULL_RATINGS,
    EvaluationFactory,
    completed_application,
    running_application,
)
from matchway.rotations.models import Application

pytestmark = pytest.mark.django_db


def _values(**overrides: Any) -> svc.EvaluationInput:
    data: dict[str, Any] = {
        "ratings": dict(FULL_RATINGS),
        "strengths": "Always prepared before rounds.",
        "areas_to_grow": "Commit to a plan.",
        "recommendation": "recommend",
        "would_write_letter": True,
    }
    data.update(overrides)
    return svc.EvaluationInput(**data)


def _submitted(application: Application, evaluator: Any, **overrides: Any) -> Evaluation:
    evaluation = EvaluationFactory(application=application, evaluator=evaluator)
    return submit_svc.evaluation_save(
        actor=evaluator, evaluation=evaluation, values=_values(**overrides), submit=True
    )


def _link(message: Any) -> str:
    match = re.search(r"http://\S+/experience/evaluate/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


# --- Requests from the schedule -------------------------------------------------------


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_final_requests_go_out_once_per_preceptor(
    completed: Application, preceptor: Any, committed: Any, mailoutbox: list[Any]
) -> None:
    second = UserFactory(role="preceptor")
    completed.session.rotation.preceptors.add(second)
    with committed():
        assert request_svc.evaluations_request_due() == 2
        assert request_svc.evaluations_request_due() == 0  # idempotent
    evaluations = Evaluation.objects.filter(application=completed, kind=EvaluationKind.PRECEPTOR)
    assert {e.evaluator_id for e in evaluations} == {preceptor.pk, second.pk}
    assert {e.phase for e in evaluations} == {"final"}
    assert all(e.due_on == completed.session.end_date for e in evaluations)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([preceptor.email, second.email])
    assert "/experience/evaluations/" in mailoutbox[0].body


def test_midpoint_request_only_when_the_session_asks(applicant: Any, preceptor: Any) -> None:
    application = running_application(
        applicant=applicant, preceptors=[preceptor], started_days_ago=15, length_days=27
    )
    assert request_svc.evaluations_request_due() == 0
    application.session.midpoint_evaluation = True
    application.session.save()
    assert request_svc.evaluations_request_due() == 1
    assert Evaluation.objects.get(application=application).phase == "midpoint"


def test_no_request_for_rotations_not_running(applicant: Any, preceptor: Any) -> None:
    application = completed_application(applicant=applicant, preceptors=[preceptor])
    application.status = "cancelled"
    application.save()
    old = completed_application(preceptors=[preceptor], ended_days_ago=120)
    assert request_svc.evaluations_request_due() == 0
    assert not Evaluation.objects.filter(application__in=[application, old]).exists()


# --- Submitting -----------------------------------------------------------------------


def test_a_draft_can_be_partial_a_submission_cannot(completed: Application, preceptor: Any) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    submit_svc.evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=svc.EvaluationInput(ratings={"PC": 3}),
        submit=False,
    )
    with pytest.raises(ValidationFailed) as refused:
        submit_svc.evaluation_save(
            actor=preceptor,
            evaluation=evaluation,
            values=svc.EvaluationInput(ratings={"PC": 3}),
            submit=True,
        )
    assert {"rating_MK", "strengths", "recommendation", "would_write_letter"} <= set(
        refused.value.errors
    )


def test_not_observed_is_a_valid_answer(completed: Application, preceptor: Any) -> None:
    evaluation = _submitted(completed, preceptor, ratings={**FULL_RATINGS, "PC": None})
    assert evaluation.ratings["PC"] is None and evaluation.submitted_at is not None


def test_submitted_evaluations_are_immutable(
    completed: Application, preceptor: Any, applicant: Any
) -> None:
    evaluation = _submitted(completed, preceptor)
    with pytest.raises(InvalidTransition):
        submit_svc.evaluation_save(
            actor=preceptor, evaluation=evaluation, values=_values(strengths="x"), submit=False
        )
    evaluation.refresh_from_db()
    assert evaluation.strengths == "Always prepared before rounds."
    assert AuditEvent.objects.filter(action="evaluation.submit").count() == 1


def test_only_the_evaluator_fills_it_in(
    completed: Application, preceptor: Any, coordinator: Any, applicant: Any
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    for actor in (coordinator, applicant, UserFactory(role="preceptor")):
        with pytest.raises(AccessDenied):
            submit_svc.evaluation_save(
                actor=actor, evaluation=evaluation, values=_values(), submit=True
            )


def test_an_addendum_corrects_without_changing_the_original(
    completed: Application, preceptor: Any, committed: Any, mailoutbox: list[Any]
) -> None:
    original = _submitted(completed, preceptor)
    with pytest.raises(ValidationFailed):
        addenda_svc.evaluation_addendum(
            actor=preceptor, original=original, values=_values(), reason=""
        )
    with committed():
        addendum = addenda_svc.evaluation_addendum(
            actor=preceptor,
            original=original,
            values=_values(ratings={**FULL_RATINGS, "MK": 2}),
            reason="Rated the wrong applicant's knowledge",
        )
    original.refresh_from_db()
    assert original.ratings["MK"] == FULL_RATINGS["MK"]
    assert addendum.addendum_to == original and addendum.submitted_at is not None
    assert svc.effective_evaluation(original, [addendum]).ratings["MK"] == 2
    second = addenda_svc.evaluation_addendum(
        actor=preceptor, original=addendum, values=_values(), reason="Back again"
    )
    assert second.addendum_to == original  # addenda always hang off the original
    assert "addendum" in mailoutbox[-1].subject


def test_self_assessment_uses_the_same_scale(completed: Application, applicant: Any) -> None:
    with pytest.raises(ValidationFailed):
        request_svc.evaluation_self_start(actor=applicant, application=completed, phase="whenever")
    own = request_svc.evaluation_self_start(actor=applicant, application=completed)
    assert own.kind == EvaluationKind.SELF and own.evaluator == applicant
    assert request_svc.evaluation_self_start(actor=applicant, application=completed) == own
    submit_svc.evaluation_save(
        actor=applicant,
        evaluation=own,
        values=svc.EvaluationInput(ratings=dict(FULL_RATINGS)),
        submit=True,
    )
    own.refresh_from_db()
    assert own.submitted_at is not None


# --- Evaluators without an account ----------------------------------------------------


@pytest.fixture
def external(completed: Application, coordinator: Any, committed: Any, mailoutbox: list[Any]):
    with committed():
        evaluation = request_svc.evaluation_request_external(
            actor=coordinator,
            application=completed,
            name="Dr. Ada Lovelace",
            email="ada@hospital.example",
            phase="final",
        )
    return evaluation, _link(mailoutbox[-1])


def _external_form() -> dict[str, str]:
    data = {f"rating_{code}": str(value) for code, value in FULL_RATINGS.items()}
    data.update(
        {
            "strengths": "Kind with patients.",
            "areas_to_grow": "Speed.",
            "recommendation": "recommend",
            "would_write_letter": "yes",
        }
    )
    return data


def test_the_secret_link_evaluates_once(external: Any, anonymous: Client) -> None:
    evaluation, token = external
    url = reverse("experience:evaluation-external", args=[token])
    page = anonymous.get(url)
    assert page.status_code == 200
    assert b"Evaluate Alice Adeyemi" in page.content
    assert OneTimeToken.objects.filter(purpose="evaluation").count() == 1
    assert token not in OneTimeToken.objects.get(purpose="evaluation").digest
    asked = anonymous.post(url, {**_external_form(), "action": "submit"})
    assert asked.status_code == 200 and b"Yes, submit now" in asked.content
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None  # the link stores nothing before the confirmation
    done = anonymous.post(url, {**_external_form(), "action": "confirm"})
    assert done.status_code == 200 and b"submitted" in done.content
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is not None and evaluation.evaluator is None
    reused = anonymous.get(url)
    assert reused.status_code == 404
    assert anonymous.post(url, {**_external_form(), "action": "confirm"}).status_code == 404


def test_expired_and_tampered_links_are_refused(external: Any, anonymous: Client) -> None:
    _evaluation, token = external
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    response = anonymous.get(reverse("experience:evaluation-external", args=[tampered]))
    assert response.status_code == 404
    assert b"This link is not valid" in response.content
    OneTimeToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    expired = anonymous.get(reverse("experience:evaluation-external", args=[token]))
    assert expired.status_code == 404


def test_a_reminder_sends_a_fresh_link_and_kills_the_old_one(
    external: Any, coordinator: Any, anonymous: Client, committed: Any, mailoutbox: list[Any]
) -> None:
    evaluation, old = external
    with committed():
        reminder_svc.evaluation_remind(actor=coordinator, evaluation=evaluation)
    new = _link(mailoutbox[-1])
    assert new != old
    assert anonymous.get(reverse("experience:evaluation-external", args=[old])).status_code == 404
    assert anonymous.get(reverse("experience:evaluation-external", args=[new])).status_code == 200


def test_an_email_of_a_preceptor_account_goes_to_the_account(
    completed: Application, coordinator: Any, preceptor: Any
) -> None:
    completed.session.rotation.preceptors.clear()
    evaluation = request_svc.evaluation_request_external(
        actor=coordinator,
        application=completed,
        name="Bob",
        email=preceptor.email.upper(),
        phase="final",
    )
    assert evaluation.evaluator == preceptor
    with pytest.raises(ValidationFailed):
        request_svc.evaluation_request_external(
            actor=coordinator,
            application=completed,
            name="Bob",
            email=preceptor.email,
            phase="final",
        )


def test_external_request_validation(completed: Application, coordinator: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        request_svc.evaluation_request_external(
            actor=coordinator, application=completed, name="", email="nope", phase="later"
        )
    assert {"name", "email", "phase"} <= set(refused.value.errors)


# --- Composite ------------------------------------------------------------------------


def test_composite_mean_range_and_spread() -> None:
    infos = [svc.CompetencyInfo(code, code, code, {}) for code in ("PC", "MK", "SA")]
    rows = svc.composite_ratings(
        [
            {"PC": 4, "MK": 2, "SA": None},
            {"PC": 5, "MK": 5, "SA": None},
            {"PC": 3, "MK": 5},
        ],
        infos,
    )
    pc, mk, sa = rows
    assert pc.mean == 4.0 and (pc.minimum, pc.maximum) == (3, 5) and pc.spread == 2
    assert pc.stdev == 0.82 and pc.raters == 3 and pc.not_observed == 0
    assert mk.mean == 4.0 and mk.spread == 3 and mk.stdev == 1.41
    assert sa.mean is None and sa.spread is None and sa.raters == 0 and sa.not_observed == 2


def test_applicant_sees_the_composite_of_several_preceptors(
    completed: Application, preceptor: Any, applicant_client: Client
) -> None:
    other = UserFactory(role="preceptor", full_name="Dr. Other")
    completed.session.rotation.preceptors.add(other)
    _submitted(completed, preceptor, ratings={**FULL_RATINGS, "MK": 3})
    _submitted(completed, other, ratings={**FULL_RATINGS, "MK": 5})
    page = applicant_client.get(reverse("experience:evaluations", args=[completed.pk]))
    body = page.content.decode()
    assert "Composite of all preceptors" in body
    assert "3–5" in body and ">4<" in body.replace(" ", "").replace("\n", "")


# --- What each person sees ------------------------------------------------------------


def test_the_applicant_sees_nothing_before_submission_then_the_comparison(
    completed: Application, preceptor: Any, applicant: Any, applicant_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    submit_svc.evaluation_save(
        actor=preceptor,
        evaluation=evaluation,
        values=_values(strengths="Secret draft words"),
        submit=False,
    )
    url = reverse("experience:evaluations", args=[completed.pk])
    assert b"Secret draft words" not in applicant_client.get(url).content
    own = request_svc.evaluation_self_start(actor=applicant, application=completed)
    submit_svc.evaluation_save(
        actor=applicant,
        evaluation=own,
        values=svc.EvaluationInput(ratings={**FULL_RATINGS, "SA": 2}),
        submit=True,
    )
    submit_svc.evaluation_save(
        actor=preceptor, evaluation=evaluation, values=_values(), submit=True
    )
    body = applicant_client.get(url).content.decode()
    assert "<svg" in body and '<title id="chart-title">' in body and "<desc" in body
    assert "side by side" in body
    assert "Always prepared before rounds." in body


def test_coordinator_and_preceptor_do_not_see_the_self_assessment(
    completed: Application,
    applicant: Any,
    preceptor: Any,
    coordinator_client: Client,
    preceptor_client: Client,
) -> None:
    own = request_svc.evaluation_self_start(actor=applicant, application=completed)
    submit_svc.evaluation_save(
        actor=applicant,
        evaluation=own,
        values=svc.EvaluationInput(ratings=dict(FULL_RATINGS), strengths="My private view"),
        submit=True,
    )
    url = reverse("experience:evaluations", args=[completed.pk])
    for client in (coordinator_client, preceptor_client):
        assert b"My private view" not in client.get(url).content
    assert (
        preceptor_client.get(reverse("experience:evaluation-edit", args=[own.pk])).status_code
        == 404
    )


def test_preceptor_fills_the_form_and_submits(
    completed: Application, preceptor: Any, preceptor_client: Client, mailoutbox: list[Any]
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    page = preceptor_client.get(url).content.decode()
    assert "Situational Awareness" in page and "Not observed" in page
    assert escape(str(svc.ANCHORS["SA"][5])) in page
    missing = preceptor_client.post(url, {"action": "submit", "rating_PC": "3"})
    assert missing.status_code == 422
    assert b"Choose a rating, or not observed." in missing.content
    asked = preceptor_client.post(url, {**_external_form(), "action": "submit"})
    assert asked.status_code == 200 and b"Yes, submit now" in asked.content
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None and evaluation.strengths  # saved as a draft
    response = preceptor_client.post(url, {**_external_form(), "action": "confirm"})
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is not None and evaluation.would_write_letter is True
    assert any(m.to == [completed.applicant.email] for m in mailoutbox)
    detail = preceptor_client.get(url).content.decode()
    assert "Add an addendum" in detail


def test_addendum_page(completed: Application, preceptor: Any, preceptor_client: Client) -> None:
    evaluation = _submitted(completed, preceptor)
    url = reverse("experience:evaluation-addendum", args=[evaluation.pk])
    assert preceptor_client.get(url).status_code == 200
    response = preceptor_client.post(
        url, {**_external_form(), "rating_MK": "2", "addendum_reason": "Corrected MK"}
    )
    assert response.status_code == 302
    detail = preceptor_client.get(reverse("experience:evaluation-edit", args=[evaluation.pk]))
    assert b"Corrected MK" in detail.content and b"Current" in detail.content


# --- Reminders ------------------------------------------------------------------------


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_reminders_follow_the_schedule_and_are_sent_once(
    completed: Application, preceptor: Any, committed: Any, mailoutbox: list[Any]
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    created = evaluation.created_at
    assert reminder_svc.evaluations_remind_due(now=created + dt.timedelta(days=2)) == 0
    with committed():
        assert reminder_svc.evaluations_remind_due(now=created + dt.timedelta(days=3, hours=1)) == 1
        assert reminder_svc.evaluations_remind_due(now=created + dt.timedelta(days=3, hours=2)) == 0
    assert [m.subject for m in mailoutbox if "Reminder" in m.subject]
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == 1
    later = created + dt.timedelta(days=3, hours=1)
    for step in range(1, 10):
        reminder_svc.evaluations_remind_due(now=later + dt.timedelta(days=4 * step))
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == svc.MAX_REMINDERS


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_a_lost_race_sends_no_second_reminder(
    completed: Application,
    preceptor: Any,
    committed: Any,
    mailoutbox: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    real_due = reminder_svc._due_for_reminder

    def due_but_another_worker_wins(row: Evaluation, now: dt.datetime) -> bool:
        # Between our read and our conditional UPDATE, another run claims the reminder.
        Evaluation.objects.filter(pk=row.pk).update(reminders_sent=1, last_reminded_at=now)
        return real_due(row, now)

    monkeypatch.setattr(reminder_svc, "_due_for_reminder", due_but_another_worker_wins)
    with committed():
        sent = reminder_svc.evaluations_remind_due(
            now=evaluation.created_at + dt.timedelta(days=3, hours=1)
        )
    assert sent == 0
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == 1
    assert not mailoutbox


def test_no_reminder_after_submission(completed: Application, preceptor: Any) -> None:
    evaluation = _submitted(completed, preceptor)
    assert (
        reminder_svc.evaluations_remind_due(now=evaluation.created_at + dt.timedelta(days=30)) == 0
    )


@pytest.mark.postgres  # compare-and-set / constraints: prove it on both databases
def test_coordinator_reminds_at_most_hourly(
    completed: Application, preceptor: Any, coordinator: Any, coordinator_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-remind", args=[evaluation.pk])
    coordinator_client.post(url)
    coordinator_client.post(url)
    evaluation.refresh_from_db()
    assert evaluation.reminders_sent == 1
    with pytest.raises(InvalidTransition):
        reminder_svc.evaluation_remind(actor=coordinator, evaluation=evaluation)


def test_pending_list_for_coordinator_and_preceptor(
    completed: Application,
    preceptor: Any,
    coordinator_client: Client,
    preceptor_client: Client,
    applicant_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    EvaluationFactory(application=completed, evaluator=preceptor)
    other = completed_application()
    EvaluationFactory(application=other, evaluator=UserFactory(role="preceptor"))
    url = reverse("experience:evaluations-pending")
    with django_assert_max_num_queries(8):
        coordinator_page = coordinator_client.get(url)
    assert coordinator_page.content.count(b"Remind</button>") == 2
    for _ in range(4):
        EvaluationFactory(application=completed_application(), evaluator=preceptor)
    with django_assert_max_num_queries(8):
        coordinator_client.get(url)
    preceptor_page = preceptor_client.get(url)
    assert preceptor_page.content.count(b">Evaluate</a>") == 5
    assert applicant_client.get(url).status_code == 403


# --- PHI guard ------------------------------------------------------------------------

PHI_COMMENT = "Great with Mr. John Smith (MRN 12345678)."


def test_an_evaluation_with_phi_is_refused_and_nothing_is_stored(
    completed: Application, preceptor: Any, mailoutbox: list[Any]
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    for submit in (False, True):
        with pytest.raises(PhiDetected) as refused:
            submit_svc.evaluation_save(
                actor=preceptor,
                evaluation=evaluation,
                values=_values(strengths=PHI_COMMENT),
                submit=submit,
            )
        assert refused.value.code == "phi_detected" and "strengths" in refused.value.errors
        findings = refused.value.extra["findings"]
        assert {"name", "mrn"} <= {f["kind"] for f in findings}  # type: ignore[union-attr]
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None and "12345678" not in evaluation.strengths
    assert mailoutbox == []


def test_an_addendum_with_phi_is_refused(completed: Application, preceptor: Any) -> None:
    original = _submitted(completed, preceptor)
    for values, reason in ((_values(areas_to_grow=PHI_COMMENT), "fix"), (_values(), PHI_COMMENT)):
        with pytest.raises(PhiDetected):
            addenda_svc.evaluation_addendum(
                actor=preceptor, original=original, values=values, reason=reason
            )
    assert not Evaluation.objects.filter(addendum_to=original).exists()


def test_the_evaluation_form_shows_findings_beside_the_field_and_keeps_the_text(
    completed: Application, preceptor: Any, preceptor_client: Client
) -> None:
    evaluation = EvaluationFactory(application=completed, evaluator=preceptor)
    url = reverse("experience:evaluation-edit", args=[evaluation.pk])
    response = preceptor_client.post(
        url, {**_external_form(), "strengths": PHI_COMMENT, "action": "submit"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "Possible patient identifiers" in page and "the patient" in page
    assert escape(PHI_COMMENT) in page  # what was typed stays in the form
    evaluation.refresh_from_db()
    assert evaluation.submitted_at is None


def test_external_request_rejects_a_name_with_a_line_break(
    completed: Application, coordinator: Any
) -> None:
    from matchway.core.validators import MSG_SINGLE_LINE

    with pytest.raises(ValidationFailed) as refused:
        request_svc.evaluation_request_external(
            actor=coordinator,
            application=completed,
            name="Dr. Eve\r\nBcc: x@example.com",
            email="eve@example.org",
            phase="final",
        )
    assert refused.value.errors["name"] == [str(MSG_SINGLE_LINE)]
