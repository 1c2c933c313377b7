"""Evaluations: requests from the session schedule, preceptor ratings, self-assessment,
addenda, reminders, secure links for evaluators without an account, and the composite.

Ratings are 1–5 or `None` ("not observed") on the six ACGME core competencies plus
situational awareness. A submitted evaluation never changes: a correction is an addendum
(a new, submitted Evaluation pointing at the original), and the newest addendum is what
counts. Every claim (submit, remind) is a compare-and-set on the row.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import AccessDenied, InvalidTransition, ValidationFailed
from matchway.core.models import OneTimeToken
from matchway.core.tokens import token_consume, token_issue, token_revoke_for
from matchway.reference.models import Competency

from ..models import Application, ApplicationStatus, Evaluation, EvaluationKind
from ..models.experience import EvaluationPhase

TOKEN_PURPOSE = "evaluation"  # noqa: S105 - a token purpose label, not a secret
TOKEN_STATE = "pending"  # noqa: S105 - a token state label, not a secret
TOKEN_TTL = dt.timedelta(days=30)
REMINDER_AFTER = dt.timedelta(days=3)
REMINDER_EVERY = dt.timedelta(days=4)
MAX_REMINDERS = 3
MANUAL_REMINDER_COOLDOWN = dt.timedelta(hours=1)
# Requests are created for sessions that ended at most this long ago (no surprise emails
# about rotations from last year when the feature is switched on).
REQUEST_WINDOW = dt.timedelta(days=60)
EVALUATION_STATUSES = (ApplicationStatus.IN_PROGRESS, ApplicationStatus.COMPLETED)

MSG_IMMUTABLE = _("This evaluation was submitted and cannot change. Add an addendum instead.")
MSG_NOT_SUBMITTED = _("Only a submitted evaluation can get an addendum.")
MSG_REMINDED = _("A reminder went out less than an hour ago.")
MSG_ALREADY_REQUESTED = _("An evaluation was already requested from this person.")
MSG_NOT_RUNNING = _("Evaluations start once the rotation is in progress.")

RATING_CHOICES = (1, 2, 3, 4, 5)
NOT_OBSERVED = "na"


class Recommend:
    YES = "yes"
    YES_RESERVATIONS = "yes_with_reservations"
    NO = "no"
    CHOICES = (
        (YES, _("Yes")),
        (YES_RESERVATIONS, _("Yes, with reservations")),
        (NO, _("No")),
    )


COMPETENCY_CODES: tuple[str, ...] = ("PC", "MK", "PBLI", "ICS", "PROF", "SBP", "SA")
FALLBACK_NAMES = {
    "PC": "Patient Care and Procedural Skills",
    "MK": "Medical Knowledge",
    "PBLI": "Practice-based Learning and Improvement",
    "ICS": "Interpersonal and Communication Skills",
    "PROF": "Professionalism",
    "SBP": "Systems-based Practice",
    "SA": "Situational Awareness",
}
SHORT_NAMES = {
    "PC": _("Patient care"),
    "MK": _("Medical knowledge"),
    "PBLI": _("Practice-based learning"),
    "ICS": _("Communication"),
    "PROF": _("Professionalism"),
    "SBP": _("Systems-based practice"),
    "SA": _("Situational awareness"),
}
# Behavioural anchors (our wording) for levels 1, 3 and 5; 2 and 4 lie between them.
ANCHORS: dict[str, dict[int, Any]] = {
    "PC": {
        1: _("Needs step-by-step direction to take a history or examine; misses key findings."),
        3: _(
            "Takes a focused history and exam for common problems and proposes a reasonable "
            "plan with some prompting."
        ),
        5: _(
            "Gathers complete, prioritized information efficiently and proposes safe plans "
            "the team adopts."
        ),
    },
    "MK": {
        1: _("Recalls isolated facts but cannot yet connect them to the patient at hand."),
        3: _(
            "Explains the mechanism and first-line management of the common conditions seen "
            "on the rotation."
        ),
        5: _("Builds a prioritized differential, cites evidence accurately and teaches peers."),
    },
    "PBLI": {
        1: _("Rarely asks for feedback; the same gaps come back."),
        3: _("Asks for feedback and acts on it; looks up answers to clinical questions."),
        5: _(
            "Seeks feedback unprompted, sets learning goals and brings back evidence that "
            "changes the discussion."
        ),
    },
    "ICS": {
        1: _("Presentations are disorganized; talks with patients or staff need close help."),
        3: _(
            "Presents in an organized way and speaks clearly and respectfully with patients "
            "and the team."
        ),
        5: _(
            "Concise, well-built presentations; adapts language to patients and families; "
            "handles hard conversations with care."
        ),
    },
    "PROF": {
        1: _("Sometimes late or unprepared; needs reminders about duties or confidentiality."),
        3: _("Reliable, punctual, honest and respectful; protects patient privacy."),
        5: _("A model of accountability and integrity; anticipates needs and supports colleagues."),
    },
    "SBP": {
        1: _("Unaware of how care is organized or of other professionals' roles."),
        3: _(
            "Understands team roles, handoffs and common barriers such as cost or discharge "
            "planning."
        ),
        5: _(
            "Works with nurses, pharmacists and case managers and spots system issues that "
            "affect safety."
        ),
    },
    "SA": {
        1: _("Often unaware of who is on the team, what is pending or what changed overnight."),
        3: _("Knows the team, the patient list, pending results and overnight events by rounds."),
        5: _(
            "Anticipates problems, raises safety concerns early and keeps the team's picture "
            "current."
        ),
    },
}


@dataclass(frozen=True)
class CompetencyInfo:
    code: str
    name: str
    short_name: str
    anchors: dict[int, Any]


def competencies() -> list[CompetencyInfo]:
    """The seven rated competencies in display order, named from the reference data."""
    rows = Competency.objects.filter(
        Q(framework="ACGME_CORE_COMPETENCY", code__in=COMPETENCY_CODES[:-1])
        | Q(framework="MATCHWAY", code="SA")
    ).only("code", "name")
    names = {row.code: row.name for row in rows}
    return [
        CompetencyInfo(
            code=code,
            name=names.get(code, FALLBACK_NAMES[code]),
            short_name=str(SHORT_NAMES[code]),
            anchors=ANCHORS[code],
        )
        for code in COMPETENCY_CODES
    ]


@dataclass
class EvaluationInput:
    """Parsed form values. `ratings` maps code → 1–5 or None (not observed); a missing
    code means "not answered yet" (allowed in a draft, not in a submission)."""

    ratings: dict[str, int | None] = field(default_factory=dict)
    strengths: str = ""
    areas_to_grow: str = ""
    recommend_for_residency: str = ""
    would_write_letter: bool | None = None


def parse_rating(raw: object) -> int | None:
    """'1'…'5' → int, 'na' → None; anything else → ValueError."""
    text = str(raw if raw is not None else "").strip()
    if text == NOT_OBSERVED:
        return None
    if text.isdigit() and int(text) in RATING_CHOICES:
        return int(text)
    raise ValueError(text)


def _validate(evaluation: Evaluation, values: EvaluationInput, *, complete: bool) -> None:
    errors: dict[str, list[str]] = {}
    for code in values.ratings:
        if code not in COMPETENCY_CODES:
            errors[f"rating_{code}"] = [str(_("Unknown competency."))]
    for code, value in values.ratings.items():
        if value is not None and value not in RATING_CHOICES:
            errors[f"rating_{code}"] = [str(_("Choose 1 to 5, or not observed."))]
    if len(values.strengths) > 4000 or len(values.areas_to_grow) > 4000:
        errors["strengths"] = [str(_("Keep each narrative under 4,000 characters."))]
    if complete:
        for code in COMPETENCY_CODES:
            if code not in values.ratings:
                errors[f"rating_{code}"] = [str(_("Choose a rating, or not observed."))]
        if evaluation.kind == EvaluationKind.PRECEPTOR:
            if not values.strengths.strip():
                errors["strengths"] = [str(_("Describe at least one strength."))]
            if values.recommend_for_residency not in dict(Recommend.CHOICES):
                errors["recommend_for_residency"] = [str(_("Choose an answer."))]
            if values.would_write_letter is None:
                errors["would_write_letter"] = [str(_("Choose an answer."))]
    if errors:
        raise ValidationFailed(errors=errors)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _evaluator_email(evaluation: Evaluation) -> str:
    if evaluation.evaluator is not None:
        return evaluation.evaluator.email
    return evaluation.evaluator_email


def _evaluator_name(evaluation: Evaluation) -> str:
    if evaluation.evaluator is not None:
        return evaluation.evaluator.full_name
    return evaluation.evaluator_name


def _send_request(evaluation: Evaluation, *, reminder: bool) -> None:
    """Email the evaluator a link: their sign-in page, or a fresh secret link.

    A secret link's raw token is never stored, so each reminder issues a new token and
    revokes the previous one (only the newest email's link works).
    """
    if evaluation.evaluator is not None:
        link = _absolute(reverse("experience:evaluation-edit", args=[evaluation.pk]))
    else:
        issued = token_issue(
            purpose=TOKEN_PURPOSE, target=evaluation, ttl=TOKEN_TTL, state=TOKEN_STATE
        )
        link = _absolute(reverse("experience:evaluation-external", args=[issued.raw]))
    application = evaluation.application
    email_send(
        to=[_evaluator_email(evaluation)],
        template="evaluation_reminder" if reminder else "evaluation_request",
        context={
            "evaluator_name": _evaluator_name(evaluation),
            "applicant_name": application.applicant.full_name,
            "rotation_title": application.session.rotation.title,
            "session": application.session,
            "phase": evaluation.get_phase_display(),
            "link": link,
            "external": evaluation.evaluator is None,
            "expires_days": TOKEN_TTL.days,
        },
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


def _require_evaluator(
    actor: User | None, evaluation: Evaluation, token: OneTimeToken | None
) -> None:
    if token is not None:
        if (
            token.purpose != TOKEN_PURPOSE
            or token.target_type != evaluation._meta.label_lower
            or token.target_id != str(evaluation.pk)
        ):
            raise AccessDenied()
        return
    if actor is None or evaluation.evaluator_id != actor.pk:
        raise AccessDenied()


def evaluation_save(
    *,
    actor: User | None,
    evaluation: Evaluation,
    values: EvaluationInput,
    submit: bool,
    token: OneTimeToken | None = None,
) -> Evaluation:
    """Save a draft, or submit (final and immutable). Call OUTSIDE a transaction.

    The evaluator is `actor`, or — for someone without an account — the holder of the
    resolved secret-link `token`, which a submission consumes (single use). Both the token
    and the evaluation are claimed with compare-and-set, so a double submit loses cleanly
    with `InvalidTransition`. On submit the applicant is emailed (preceptor evaluations).
    """
    _require_evaluator(actor, evaluation, token)
    if evaluation.submitted_at is not None:
        raise InvalidTransition(MSG_IMMUTABLE)
    _validate(evaluation, values, complete=submit)
    if submit and evaluation.application.status not in EVALUATION_STATUSES:
        raise InvalidTransition(MSG_NOT_RUNNING)
    now = clock.now()
    with transaction.atomic():
        if submit and token is not None and not token_consume(token):
            raise InvalidTransition(MSG_IMMUTABLE)
        updated = Evaluation.objects.filter(pk=evaluation.pk, submitted_at__isnull=True).update(
            ratings={code: values.ratings[code] for code in values.ratings},
            strengths=values.strengths.strip(),
            areas_to_grow=values.areas_to_grow.strip(),
            recommend_for_residency=values.recommend_for_residency,
            would_write_letter=values.would_write_letter,
            submitted_at=now if submit else None,
            updated_at=now,
        )
        if updated != 1:
            raise InvalidTransition(MSG_IMMUTABLE)
        evaluation.refresh_from_db()
        if submit:
            token_revoke_for(purpose=TOKEN_PURPOSE, target=evaluation)
            audit_record(
                actor=actor,
                action="evaluation.submit",
                target=evaluation,
                data={"kind": evaluation.kind, "phase": evaluation.phase, "via_link": bool(token)},
            )
            if evaluation.kind == EvaluationKind.PRECEPTOR:
                _notify_applicant(evaluation, addendum=False)
    return evaluation


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
            "link": _absolute(reverse("experience:evaluations", args=[application.pk])),
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
            recommend_for_residency=values.recommend_for_residency,
            would_write_letter=values.would_write_letter,
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


def effective_evaluation(root: Evaluation, addenda: Iterable[Evaluation]) -> Evaluation:
    """The version that counts: the newest submitted addendum, else the original."""
    submitted = [a for a in addenda if a.submitted_at is not None]
    if not submitted:
        return root
    return max(submitted, key=lambda a: (a.submitted_at, a.pk))


def _due_for_reminder(evaluation: Evaluation, now: dt.datetime) -> bool:
    if evaluation.reminders_sent >= MAX_REMINDERS:
        return False
    if evaluation.reminders_sent == 0 or evaluation.last_reminded_at is None:
        return evaluation.created_at + REMINDER_AFTER <= now
    return evaluation.last_reminded_at + REMINDER_EVERY <= now


def evaluations_remind_due(*, now: dt.datetime | None = None) -> int:
    """Send the scheduled reminders (3 days after the request, then every 4 days, at
    most 3). Each reminder is claimed with a conditional UPDATE, so overlapping runs send
    it once. Returns how many were sent."""
    current = now or clock.now()
    pending = Evaluation.objects.filter(
        kind=EvaluationKind.PRECEPTOR,
        submitted_at__isnull=True,
        addendum_to__isnull=True,
        reminders_sent__lt=MAX_REMINDERS,
        application__status__in=EVALUATION_STATUSES,
    ).select_related("application__applicant", "application__session__rotation", "evaluator")
    sent = 0
    for evaluation in pending:
        if not _due_for_reminder(evaluation, current):
            continue
        with transaction.atomic():
            claimed = Evaluation.objects.filter(
                pk=evaluation.pk,
                submitted_at__isnull=True,
                reminders_sent=evaluation.reminders_sent,
            ).update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=current)
            if claimed != 1:
                continue  # race: another run reminded (or the evaluator submitted) first
            _send_request(evaluation, reminder=True)
            audit_record(actor=None, action="evaluation.remind", target=evaluation)
        sent += 1
    return sent


def evaluation_remind(
    *, actor: User, evaluation: Evaluation, now: dt.datetime | None = None
) -> Evaluation:
    """A coordinator sends a reminder now (at most one an hour per evaluation)."""
    if actor.role != Role.COORDINATOR:
        raise AccessDenied()
    if evaluation.submitted_at is not None or evaluation.kind != EvaluationKind.PRECEPTOR:
        raise InvalidTransition(MSG_IMMUTABLE)
    current = now or clock.now()
    with transaction.atomic():
        claimed = (
            Evaluation.objects.filter(pk=evaluation.pk, submitted_at__isnull=True)
            .filter(
                Q(last_reminded_at__isnull=True)
                | Q(last_reminded_at__lte=current - MANUAL_REMINDER_COOLDOWN)
            )
            .update(reminders_sent=F("reminders_sent") + 1, last_reminded_at=current)
        )
        if claimed != 1:
            raise InvalidTransition(MSG_REMINDED)
        evaluation.refresh_from_db()
        _send_request(evaluation, reminder=True)
        audit_record(actor=actor, action="evaluation.remind", target=evaluation)
    return evaluation


@dataclass(frozen=True)
class CompositeRow:
    code: str
    name: str
    mean: float | None
    minimum: int | None
    maximum: int | None
    stdev: float | None
    raters: int
    not_observed: int

    @property
    def spread(self) -> int | None:
        if self.minimum is None or self.maximum is None:
            return None
        return self.maximum - self.minimum


def composite_ratings(
    ratings: Iterable[Mapping[str, int | None]], infos: Iterable[CompetencyInfo]
) -> list[CompositeRow]:
    """Per competency: mean, range and population standard deviation of the 1–5 ratings,
    how many raters observed it and how many marked it not observed. Pure."""
    all_ratings = list(ratings)
    rows: list[CompositeRow] = []
    for info in infos:
        values = [r[info.code] for r in all_ratings if isinstance(r.get(info.code), int)]
        values_int = [int(v) for v in values if v is not None]
        not_observed = sum(1 for r in all_ratings if info.code in r and r[info.code] is None)
        rows.append(
            CompositeRow(
                code=info.code,
                name=info.short_name,
                mean=round(statistics.fmean(values_int), 2) if values_int else None,
                minimum=min(values_int) if values_int else None,
                maximum=max(values_int) if values_int else None,
                stdev=round(statistics.pstdev(values_int), 2) if values_int else None,
                raters=len(values_int),
                not_observed=not_observed,
            )
        )
    return rows
