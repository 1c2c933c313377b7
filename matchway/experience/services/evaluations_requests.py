"""Evaluation requests: who is asked when (midpoint and final), external evaluators by
emailed link, and self-evaluations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.validators import MSG_SINGLE_LINE, has_control_characters
from matchway.experience.models import Evaluation, EvaluationKind, EvaluationPhase
from matchway.rotations.models import Application, ApplicationStatus

from .evaluations import (
    EVALUATION_STATUSES,
    MSG_ALREADY_REQUESTED,
    MSG_NOT_RUNNING,
    REQUEST_WINDOW,
    _send_request,
)


def midpoint_date(application: Application) -> dt.date:
    start, end = application.session.start_date, application.session.end_date
    return start + (end - start) // 2


def evaluation_request(
    *, application: Application, evaluator: User, phase: str, due_on: dt.date
) -> tuple[Evaluation, bool]:
    """Create the preceptor's evaluation task for one applicant and phase, once.

    Idempotent: the unique constraint makes a second run (or a concurrent one) find the
    existing row instead. Emails the evaluator after commit only when the row is new.
    """
    lookup: dict[str, Any] = {
        "application": application,
        "kind": EvaluationKind.PRECEPTOR,
        "phase": phase,
        "evaluator": evaluator,
        "addendum_to": None,
    }
    existing = Evaluation.objects.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(**lookup, due_on=due_on)
            audit_record(
                actor=None,
                action="evaluation.request",
                target=evaluation,
                data={"phase": phase, "evaluator": evaluator.pk},
            )
            _send_request(evaluation, reminder=False)
    except IntegrityError:
        # race: a concurrent run created it first
        return Evaluation.objects.get(**lookup), False
    return evaluation, True


def evaluations_request_due(*, today: dt.date | None = None) -> int:
    """Create evaluation tasks the session schedule calls for. Returns how many were new.

    Final evaluations from the session's end date; midpoint ones from its middle day when
    the session asks for them (and the end has not come yet). One per preceptor per
    applicant per phase.
    """
    horizon = today or clock.provider_today() + dt.timedelta(days=1)  # a site may be ahead
    candidates = (
        Application.objects.filter(
            status__in=EVALUATION_STATUSES,
            session__end_date__gte=horizon - REQUEST_WINDOW,
            session__start_date__lte=horizon,
        )
        .select_related("session__rotation__site", "applicant")
        .prefetch_related("session__rotation__preceptors")
        .order_by("pk")
    )
    created = 0
    for application in candidates:
        session = application.session
        current = today or clock.site_today(session.rotation.site)
        phases: list[tuple[str, dt.date]] = []
        if session.end_date <= current:
            phases.append((EvaluationPhase.FINAL, session.end_date))
        elif session.midpoint_evaluation and midpoint_date(application) <= current:
            phases.append((EvaluationPhase.MIDPOINT, midpoint_date(application)))
        for phase, due_on in phases:
            for preceptor in session.rotation.preceptors.all():
                _evaluation, new = evaluation_request(
                    application=application, evaluator=preceptor, phase=phase, due_on=due_on
                )
                created += int(new)
    return created


def evaluation_request_external(
    *, actor: User, application: Application, name: str, email: str, phase: str
) -> Evaluation:
    """A coordinator asks someone without an account to evaluate, through a secret link.

    If the email belongs to a preceptor account, the request goes to that account instead
    (they sign in). Emails the link after commit; audited.
    """
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)
    errors: dict[str, list[str]] = {}
    clean_name = (name or "").strip()[:150]
    clean_email = (email or "").strip().lower()
    if not clean_name:
        errors["name"] = [str(_("Enter the evaluator's name."))]
    elif has_control_characters(clean_name):
        errors["name"] = [str(MSG_SINGLE_LINE)]
    try:
        validate_email(clean_email)
    except ValidationError:
        errors["email"] = [str(_("Enter a valid email address."))]
    if phase not in EvaluationPhase.values:
        errors["phase"] = [str(_("Choose midpoint or final."))]
    if errors:
        raise ValidationFailed(errors=errors)
    account = User.objects.filter(email__iexact=clean_email, role=Role.PRECEPTOR).first()
    if account is not None:
        evaluation, created = evaluation_request(
            application=application,
            evaluator=account,
            phase=phase,
            due_on=clock.site_today(application.session.rotation.site),
        )
        if not created:
            raise ValidationFailed(
                MSG_ALREADY_REQUESTED, errors={"email": [str(MSG_ALREADY_REQUESTED)]}
            )
        return evaluation
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                application=application,
                kind=EvaluationKind.PRECEPTOR,
                phase=phase,
                evaluator=None,
                evaluator_name=clean_name,
                evaluator_email=clean_email,
                due_on=clock.site_today(application.session.rotation.site),
            )
    except IntegrityError as exc:
        raise ValidationFailed(
            MSG_ALREADY_REQUESTED, errors={"email": [str(MSG_ALREADY_REQUESTED)]}
        ) from exc
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="evaluation.request_external",
            target=evaluation,
            data={"phase": phase},
        )
        _send_request(evaluation, reminder=False)
    return evaluation


def evaluation_self_start(
    *, actor: User, application: Application, phase: str = EvaluationPhase.FINAL
) -> Evaluation:
    """The applicant's self-assessment for a phase (created on first use)."""
    if application.applicant_id != actor.pk:
        raise AccessDenied()
    if phase not in EvaluationPhase.values:
        raise ValidationFailed(errors={"phase": [str(_("Choose midpoint or final."))]})
    if application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)
    lookup: dict[str, Any] = {
        "application": application,
        "kind": EvaluationKind.SELF,
        "phase": phase,
        "evaluator": actor,
        "addendum_to": None,
    }
    try:
        with transaction.atomic():
            evaluation, _created = Evaluation.objects.get_or_create(**lookup)
    except IntegrityError:
        evaluation = Evaluation.objects.get(**lookup)  # race: created concurrently
    return evaluation


MSG_NO_PRECEPTOR = _(
    "No preceptor is assigned to this rotation. Assign one on the rotation's page, or ask "
    "someone without an account."
)
MSG_PRECEPTORS_ALREADY_ASKED = _(
    "The rotation's preceptors were already asked for this evaluation. Send a reminder from "
    "the evaluations page instead."
)


def evaluation_request_preceptors(*, actor: User, application: Application) -> list[Evaluation]:
    """A coordinator asks the rotation's assigned preceptor(s) to evaluate, now (issue #17).

    The final evaluation once the session has ended (or the application is completed), the
    midpoint one before that. Reuses `evaluation_request`, so a preceptor already asked for
    that phase is not asked twice. Audited; the request emails go after commit. Returns the
    new requests; raises when nobody could be asked.
    """
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)
    session = application.session
    today = clock.site_today(session.rotation.site)
    ended = application.status == ApplicationStatus.COMPLETED or session.end_date <= today
    phase = EvaluationPhase.FINAL if ended else EvaluationPhase.MIDPOINT
    preceptors = list(session.rotation.preceptors.filter(is_active=True).order_by("pk"))
    if not preceptors:
        raise ValidationFailed(MSG_NO_PRECEPTOR)
    created: list[Evaluation] = []
    with transaction.atomic():
        for preceptor in preceptors:
            evaluation, new = evaluation_request(
                application=application, evaluator=preceptor, phase=phase, due_on=today
            )
            if new:
                created.append(evaluation)
        if not created:
            raise InvalidTransition(MSG_PRECEPTORS_ALREADY_ASKED)
        audit_record(
            actor=actor,
            action="evaluation.request_preceptors",
            target=application,
            data={"phase": phase, "evaluations": [e.pk for e in created]},
        )
    return created
