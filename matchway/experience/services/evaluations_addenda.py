"""Addenda: a submitted evaluation is never edited; a correction is a new, linked version."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    PhiDetected,
    ValidationFailed,
)
from matchway.core.links import absolute_url
from matchway.experience.models import Evaluation, EvaluationKind
from matchway.phi.guard import phi_scan_fields

from .evaluations import MSG_NOT_SUBMITTED, EvaluationInput, _evaluator_name, _validate


def _notify_applicant(evaluation: Evaluation, *, addendum: bool) -> None:
    application = evaluation.application
    email_send(
        to=[application.applicant.email],
        template="evaluation_submitted",
        context={
            "applicant_name": application.applicant.full_name,
            "evaluator_name": _evaluator_name(evaluation),
            "rotation_title": application.session.rotation.title,
            "addendum": addendum,
            "link": absolute_url("experience:evaluations", application.pk),
        },
    )


def evaluation_addendum(
    *, actor: User, original: Evaluation, values: EvaluationInput, reason: str
) -> Evaluation:
    """Correct a submitted evaluation by adding a complete, submitted addendum.

    The original is never changed. Addenda always point at the first evaluation, and the
    newest one is what the applicant, the composite and certificates use. Audited; the
    applicant is emailed for preceptor evaluations.
    """
    root = original.addendum_to or original
    if root.evaluator_id is None or root.evaluator_id != actor.pk:
        raise AccessDenied()
    if root.submitted_at is None:
        raise InvalidTransition(MSG_NOT_SUBMITTED)
    clean_reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not clean_reason:
        errors["addendum_reason"] = [str(_("Say what this addendum corrects."))]
    try:
        _validate(root, values, complete=True)
    except ValidationFailed as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors=errors)
    # An addendum is permanent (and mostly shown to the applicant): refuse PHI before storing.
    PhiDetected.raise_if(phi_scan_fields({**values.narratives(), "addendum_reason": clean_reason}))
    with transaction.atomic():
        addendum = Evaluation.objects.create(
            application=root.application,
            kind=root.kind,
            phase=root.phase,
            evaluator=root.evaluator,
            evaluator_name=root.evaluator_name,
            evaluator_email=root.evaluator_email,
            ratings=dict(values.ratings),
            strengths=values.strengths.strip(),
            areas_to_grow=values.areas_to_grow.strip(),
            would_write_letter=values.would_write_letter,
            recommendation=values.recommendation,
            confidential_comments=values.confidential_comments.strip(),
            submitted_at=clock.now(),
            addendum_to=root,
            addendum_reason=clean_reason[:4000],
            due_on=root.due_on,
        )
        audit_record(
            actor=actor,
            action="evaluation.addendum",
            target=root,
            data={"addendum": addendum.pk},
        )
        if root.kind == EvaluationKind.PRECEPTOR:
            _notify_applicant(addendum, addendum=True)
    return addendum
