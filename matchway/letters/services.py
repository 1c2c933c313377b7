"""Letters: every write. Views, the API, periodic jobs and the demo all call these.

Contracts common to all services here:
- Call them outside a transaction or inside one; each opens its own `transaction.atomic()`
  and locks the request row with `lock_for_update` before re-checking its state, so two
  clicks (or a writer and a periodic job) cannot both act on a stale state.
- Emails are rendered now and sent after commit (`core.email.email_send`); nothing is sent
  for a rolled-back change.
- Every change writes an audit event. Audit data never carries a letter's file name, size,
  page count or hash (coordinators read the audit log; see the confidentiality doc).
- An acting writer is a `User` (preceptor account) or a `TokenViewer` (secret link).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchway.accounts.models import Role, User
from matchway.core.audit import audit_record
from matchway.core.email import email_send
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    NotFound,
    RateLimited,
    ValidationFailed,
)
from matchway.core.locking import lock_for_update
from matchway.core.models import OneTimeToken
from matchway.core.storage import PrivateFileSystemStorage
from matchway.core.tokens import token_issue, token_revoke_for
from matchway.documents.models import Document
from matchway.documents.validation import ValidatedFile
from matchway.phi import find_phi
from matchway.reference.eras import UnknownFact, eras_fact
from matchway.reference.models import Specialty
from matchway.rotations.models import Application

from . import conf
from .brag import brag_sheet_build
from .models import (
    GENERAL,
    MAX_SLOTS_PER_PROGRAM,
    WAITING_STATES,
    WITHDRAWABLE_STATES,
    WRITER_STATES,
    Letter,
    LetterAssignment,
    LetterKind,
    LetterReminder,
    LetterRequest,
    LetterStatus,
    ReminderKind,
)
from .selectors import (
    SYSTEM,
    TokenViewer,
    Viewer,
    letter_assignment_count,
    letter_get,
    letter_get_for_assignment,
    letter_source_application_get,
    letter_writer_choices,
    specialty_label,
)

MSG_NOT_APPLICANT = gettext_lazy("Only applicants ask for letters.")
MSG_WRITER_NOT_ELIGIBLE = gettext_lazy(
    "Choose a preceptor from one of your rotations who takes letter requests, "
    "or enter an outside writer's name and email."
)
MSG_WRITER_OPTED_OUT = gettext_lazy(
    "This writer does not take letter requests through Matchway. Ask them in person how "
    "they would like to receive your request."
)
MSG_WRITER_SELF = gettext_lazy("You cannot be the writer of your own letter.")
MSG_WRITER_NAME = gettext_lazy("Enter the writer's name.")
MSG_WRITER_EMAIL = gettext_lazy("Enter the writer's email address.")
MSG_APPLICATION = gettext_lazy("Letters can come from a rotation that is in progress or completed.")
MSG_SPECIALTY = gettext_lazy("Choose a specialty from the list, or “General”.")
MSG_STANDARDIZED_GENERAL = gettext_lazy(
    "A standardized letter is specific to one specialty: choose that specialty."
)
MSG_DUE_PAST = gettext_lazy("The due date cannot be in the past.")
MSG_REMIND_PAST = gettext_lazy("Choose a reminder date from today on.")
MSG_LETTER_ID_CHARS = gettext_lazy(
    "The Letter ID cannot contain line breaks or control characters."
)
MSG_LETTER_ID_TAKEN = gettext_lazy("Another of your letter requests already uses this Letter ID.")
MSG_PHI = gettext_lazy(
    "This text may contain patient identifiers (%(found)s). Writers receive it by email: "
    "please remove or rephrase them."
)
MSG_ATTACHMENT = gettext_lazy("Attach only your current CV or personal statement from your vault.")
MSG_NOT_NARRATIVE = gettext_lazy(
    "Standardized letters are completed inside ERAS or ResidencyCAS, not uploaded here."
)
MSG_NO_FILE = gettext_lazy("Upload the letter before marking it final.")
MSG_NUDGE_WAIT = gettext_lazy(
    "You nudged this writer recently. You can send another nudge on %(date)s."
)
MSG_PROGRAM_FULL = gettext_lazy(
    "%(program)s already has %(limit)s letters, the most ERAS lets a program receive. "
    "Remove one first."
)
MSG_PROGRAM_LABEL = gettext_lazy("Enter the program's name.")
MSG_ALREADY_ASSIGNED = gettext_lazy("This letter is already assigned to that program.")
MSG_UPDATE_LIVE = gettext_lazy(
    "Once a request is sent, only its Letter ID and due date can change."
)


# --- helpers -------------------------------------------------------------------------------


def _site_link(path: str) -> str:
    from django.conf import settings

    return f"{settings.SITE_URL}{path}"


def clean_letter_id(raw: str) -> str:
    """Trim; refuse control characters. No format is invented (ERAS publishes none)."""
    value = (raw or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValidationFailed(errors={"eras_letter_id": [str(MSG_LETTER_ID_CHARS)]})
    if len(value) > 64:
        raise ValidationFailed(errors={"eras_letter_id": [_("Use at most 64 characters.")]})
    return value


def program_key(label: str) -> str:
    return " ".join(label.split()).casefold()


def max_letters_per_program() -> int:
    try:
        value = int(eras_fact("letters_of_recommendation.max_per_program").value)
    except (UnknownFact, TypeError, ValueError):
        value = MAX_SLOTS_PER_PROGRAM
    # The slot column cannot hold more than the database backstop allows.
    return max(1, min(value, MAX_SLOTS_PER_PROGRAM))


def _phi_errors(text: str) -> list[str]:
    findings = find_phi(text)
    if not findings:
        return []
    found = ", ".join(sorted({f"“{f.text}”" for f in findings})[:5])
    return [str(MSG_PHI % {"found": found})]


def _audit(
    actor: Viewer | User | None,
    action: str,
    target: Any,
    data: dict[str, Any] | None = None,
    ip: str | None = None,
) -> None:
    payload = dict(data or {})
    user: User | None = None
    if isinstance(actor, TokenViewer):
        payload["via"] = "writer_link"
        payload["token_id"] = actor.token.pk
    elif isinstance(actor, User):
        user = actor
    audit_record(actor=user, action=action, target=target, data=payload, ip=ip)


def _lock(req: LetterRequest) -> LetterRequest:
    """Re-read the request under a row lock (inside the caller's atomic block)."""
    locked = lock_for_update(LetterRequest, [req.pk]).get(req.pk)
    if locked is None:
        raise NotFound()
    return locked


def _issue_link(req: LetterRequest, *, revoke_previous: bool) -> str:
    """A fresh writer link. Renewing kills earlier links; reminders add one beside them."""
    issued = token_issue(
        purpose=conf.TOKEN_PURPOSE,
        target=req,
        ttl=conf.token_ttl(),
        state="writer",
        revoke_previous=revoke_previous,
    )
    expires = issued.record.expires_at
    if req.writer_link_expires_at is None or expires > req.writer_link_expires_at:
        req.writer_link_expires_at = expires
    return _site_link(reverse("letters:write", args=[issued.raw]))


def _kill_links(req: LetterRequest) -> None:
    token_revoke_for(purpose=conf.TOKEN_PURPOSE, target=req)
    req.writer_link_expires_at = None


def _writer_context(req: LetterRequest, link: str) -> dict[str, Any]:
    return {
        "req": req,
        "applicant_name": req.applicant.get_full_name(),
        "specialty": specialty_label(req.specialty_code),
        "link": link,
        "link_expires_at": req.writer_link_expires_at,
        "account_link": (
            _site_link(reverse("letters:writing-detail", args=[req.pk])) if req.writer_id else ""
        ),
        "rotation": req.application.session if req.application_id and req.application else None,
    }


def _applicant_context(req: LetterRequest) -> dict[str, Any]:
    # Deliberately no letter, file, size or page count: applicant emails carry status only.
    return {
        "req": req,
        "applicant_name": req.applicant.get_full_name(),
        "specialty": specialty_label(req.specialty_code),
        "detail_link": _site_link(reverse("letters:request-detail", args=[req.pk])),
    }


def _check_writer(actor: Viewer, req: LetterRequest) -> None:
    """The actor must be this request's writer, with a live link or the right account."""
    if isinstance(actor, TokenViewer):
        token = OneTimeToken.objects.filter(pk=actor.token.pk).first()
        if (
            token is None
            or actor.request_id != req.pk
            or token.used_at is not None
            or token.revoked_at is not None
            or token.expires_at <= timezone.now()
        ):
            raise NotFound()
        return
    if isinstance(actor, User) and req.writer_id is not None and actor.pk == req.writer_id:
        if req.status == LetterStatus.DRAFT:
            raise NotFound()
        return
    raise NotFound()


def _require_writer_state(req: LetterRequest, states: Sequence[str]) -> None:
    if req.status not in states or req.finalized_at is not None:
        raise InvalidTransition()


# --- composing -----------------------------------------------------------------------------


@dataclass
class RequestInput:
    """What the composer (form or API) collects. Validated by `letter_request_create`."""

    due_date: date
    waived: bool
    kind: str = LetterKind.NARRATIVE
    specialty_code: str = GENERAL
    application_id: int | None = None
    writer_id: int | None = None
    writer_name: str = ""
    writer_email: str = ""
    writer_title: str = ""
    route_to_coordinators: bool = False
    eras_letter_id: str = ""
    message: str = ""
    brag_notes: str = ""
    attachment_ids: Sequence[int] = ()
    remind_applicant_on: date | None = None


@dataclass
class _Resolved:
    application: Application | None
    writer: User | None
    writer_name: str
    writer_email: str
    writer_title: str
    attachments: list[Document]


def _resolve_writer(actor: User, data: RequestInput, errors: dict[str, list[str]]) -> _Resolved:
    application: Application | None = None
    if data.application_id is not None:
        application = letter_source_application_get(viewer=actor, pk=data.application_id)
        if application is None:
            errors.setdefault("application", []).append(str(MSG_APPLICATION))
    writer: User | None = None
    name = " ".join(data.writer_name.split())
    email = data.writer_email.strip().lower()
    title = " ".join(data.writer_title.split())
    if data.writer_id is not None:
        choices = [
            c
            for c in letter_writer_choices(viewer=actor)
            if c.writer.pk == data.writer_id
            and (application is None or c.application.pk == application.pk)
        ]
        if not choices:
            errors.setdefault("writer", []).append(str(MSG_WRITER_NOT_ELIGIBLE))
        else:
            writer = choices[0].writer
            if application is None and data.application_id is None:
                application = choices[0].application
            name, email = writer.get_full_name() or writer.email, writer.email
            profile = getattr(writer, "preceptor_profile", None)
            if profile is not None and not title:
                title = ", ".join(p for p in (profile.title, profile.department) if p)
    else:
        if not name:
            errors.setdefault("writer_name", []).append(str(MSG_WRITER_NAME))
        if not email or "@" not in email:
            errors.setdefault("writer_email", []).append(str(MSG_WRITER_EMAIL))
        elif email == actor.email.lower():
            # ERAS: the applicant can never be the designee of a waived letter, and a
            # letter about oneself is not a letter of recommendation.
            errors.setdefault("writer_email", []).append(str(MSG_WRITER_SELF))
        else:
            account = User.objects.filter(email__iexact=email).first()
            if account is not None and account.role == Role.PRECEPTOR:
                profile = getattr(account, "preceptor_profile", None)
                if profile is not None and not profile.accepts_letter_requests:
                    errors.setdefault("writer_email", []).append(str(MSG_WRITER_OPTED_OUT))
                writer = account
    ids = list(dict.fromkeys(int(i) for i in data.attachment_ids))
    attachments = list(
        Document.objects.filter(
            pk__in=ids,
            owner=actor,
            is_current=True,
            type__code__in=conf.attachment_types(),
        ).select_related("type")
    )
    if len(attachments) != len(ids):
        errors.setdefault("attachment_ids", []).append(str(MSG_ATTACHMENT))
    return _Resolved(application, writer, name, email, title, attachments)


def _validate_common(
    actor: User,
    data: RequestInput,
    errors: dict[str, list[str]],
    *,
    exclude_pk: int | None = None,
    check_dates: bool = True,
) -> str:
    if (
        data.specialty_code != GENERAL
        and not Specialty.objects.filter(code=data.specialty_code).exists()
    ):
        errors.setdefault("specialty_code", []).append(str(MSG_SPECIALTY))
    if data.kind not in LetterKind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of letter."))
    elif data.kind == LetterKind.STANDARDIZED and data.specialty_code == GENERAL:
        errors.setdefault("specialty_code", []).append(str(MSG_STANDARDIZED_GENERAL))
    today = timezone.localdate()
    if check_dates and data.due_date < today:
        errors.setdefault("due_date", []).append(str(MSG_DUE_PAST))
    if data.remind_applicant_on is not None and data.remind_applicant_on < today:
        errors.setdefault("remind_applicant_on", []).append(str(MSG_REMIND_PAST))
    letter_id = ""
    try:
        letter_id = clean_letter_id(data.eras_letter_id)
    except ValidationFailed as exc:
        for field, messages in exc.errors.items():
            errors.setdefault(field, []).extend(messages)
    if letter_id and _letter_id_taken(actor, letter_id, exclude_pk=exclude_pk):
        errors.setdefault("eras_letter_id", []).append(str(MSG_LETTER_ID_TAKEN))
    if data.brag_notes and (phi := _phi_errors(data.brag_notes)):
        errors.setdefault("brag_notes", []).extend(phi)
    if len(data.message) > 5000:
        errors.setdefault("message", []).append(_("Keep the message under 5,000 characters."))
    return letter_id


def _letter_id_taken(actor: User, letter_id: str, *, exclude_pk: int | None) -> bool:
    qs = LetterRequest.objects.filter(applicant=actor, eras_letter_id=letter_id).exclude(
        status__in=(LetterStatus.DECLINED, LetterStatus.WITHDRAWN, LetterStatus.EXPIRED)
    )
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.exists()


def letter_message_default(
    *,
    applicant: User,
    writer_name: str,
    application: Application | None,
    specialty_code: str,
    due_date: date | None,
    eras_letter_id: str = "",
    waived: bool = True,
) -> str:
    """Our own message template, filled in; the applicant edits it freely."""
    return render_to_string(
        "letters/message_default.txt",
        {
            "applicant_name": applicant.get_full_name(),
            "writer_name": writer_name,
            "session": application.session if application is not None else None,
            "specialty": specialty_label(specialty_code) if specialty_code != GENERAL else "",
            "due_date": due_date,
            "eras_letter_id": eras_letter_id,
            "waived": waived,
        },
    ).strip()


def letter_request_create(
    *, actor: User, data: RequestInput, send: bool = False, ip: str | None = None
) -> LetterRequest:
    """Create a request as a draft, or create and send it to the writer (`send=True`).

    Raises `AccessDenied` for non-applicants and `ValidationFailed` (field errors) for bad
    input. Sending issues a writer link and emails it after commit.
    """
    if actor.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_APPLICANT)
    errors: dict[str, list[str]] = {}
    resolved = _resolve_writer(actor, data, errors)
    letter_id = _validate_common(actor, data, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    message = data.message.strip() or letter_message_default(
        applicant=actor,
        writer_name=resolved.writer_name,
        application=resolved.application,
        specialty_code=data.specialty_code,
        due_date=data.due_date,
        eras_letter_id=letter_id,
        waived=data.waived,
    )
    with transaction.atomic():
        req = LetterRequest.objects.create(
            applicant=actor,
            writer=resolved.writer,
            writer_name=resolved.writer_name,
            writer_email=resolved.writer_email,
            writer_title=resolved.writer_title,
            application=resolved.application,
            specialty_code=data.specialty_code,
            kind=data.kind,
            waived=data.waived,
            route_to_coordinators=data.route_to_coordinators,
            eras_letter_id=letter_id,
            due_date=data.due_date,
            message=message,
            brag_notes=data.brag_notes.strip(),
            remind_applicant_on=data.remind_applicant_on,
            brag_sheet=brag_sheet_build(
                applicant=actor,
                application=resolved.application,
                notes=data.brag_notes,
                attachments=resolved.attachments,
            ),
        )
        req.attachments.set(resolved.attachments)
        _audit(
            actor,
            "letter_request.created",
            req,
            {"waived": req.waived, "kind": req.kind, "writer_has_account": bool(req.writer_id)},
            ip,
        )
    if send:
        return letter_request_send(actor=actor, letter_request=req, ip=ip)
    return req


def letter_request_update(
    *, actor: User, letter_request: LetterRequest, data: RequestInput, ip: str | None = None
) -> LetterRequest:
    """Edit a request. Drafts change freely (the writer stays); sent requests only take a
    new Letter ID and due date (the writer is told nothing until the next email)."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        req = _lock(letter_request)
        is_draft = req.status == LetterStatus.DRAFT
        if not is_draft and req.status not in WRITER_STATES:
            raise InvalidTransition()
        if is_draft:
            data.writer_id = req.writer_id if req.writer_id else None
            if req.writer_id is None:
                data.writer_name = data.writer_name or req.writer_name
                data.writer_email = data.writer_email or req.writer_email
            data.application_id = req.application_id
        date_changed = data.due_date != req.due_date
        letter_id = _validate_common(
            actor, data, errors, exclude_pk=req.pk, check_dates=is_draft or date_changed
        )
        resolved = _resolve_writer(actor, data, errors) if is_draft else None
        if errors:
            raise ValidationFailed(errors=errors)
        changed: list[str] = []
        if letter_id != req.eras_letter_id:
            req.eras_letter_id = letter_id
            changed.append("eras_letter_id")
        if date_changed:
            req.due_date = data.due_date
            changed.append("due_date")
        if is_draft and resolved is not None:
            for name, value in (
                ("writer_name", resolved.writer_name),
                ("writer_email", resolved.writer_email),
                ("writer_title", resolved.writer_title),
                ("specialty_code", data.specialty_code),
                ("kind", data.kind),
                ("waived", data.waived),
                ("route_to_coordinators", data.route_to_coordinators),
                (
                    "message",
                    data.message.strip()
                    or letter_message_default(
                        applicant=actor,
                        writer_name=resolved.writer_name,
                        application=req.application,
                        specialty_code=data.specialty_code,
                        due_date=data.due_date,
                        eras_letter_id=letter_id,
                        waived=data.waived,
                    ),
                ),
                ("brag_notes", data.brag_notes.strip()),
                ("remind_applicant_on", data.remind_applicant_on),
            ):
                if getattr(req, name) != value:
                    setattr(req, name, value)
                    changed.append(name)
            req.brag_sheet = brag_sheet_build(
                applicant=actor,
                application=req.application,
                notes=req.brag_notes,
                attachments=resolved.attachments,
            )
            req.attachments.set(resolved.attachments)
        elif not is_draft and (
            data.route_to_coordinators != req.route_to_coordinators or data.waived != req.waived
        ):
            # The waiver and routing are promises made to the writer: fixed once sent.
            raise ValidationFailed(MSG_UPDATE_LIVE)
        req.save()
        _audit(actor, "letter_request.updated", req, {"fields": sorted(changed)}, ip)
    return req


def letter_request_send(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """draft → requested: refresh the brag sheet, issue the writer link, email the writer."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = _lock(letter_request)
        if req.status != LetterStatus.DRAFT:
            raise InvalidTransition()
        if req.due_date < timezone.localdate():
            raise ValidationFailed(errors={"due_date": [str(MSG_DUE_PAST)]})
        attachments = list(req.attachments.select_related("type").filter(is_current=True))
        req.brag_sheet = brag_sheet_build(
            applicant=actor,
            application=req.application,
            notes=req.brag_notes,
            attachments=attachments,
        )
        req.status = LetterStatus.REQUESTED
        req.requested_at = timezone.now()
        req.remind_applicant_on = None
        link = _issue_link(req, revoke_previous=True)
        req.save()
        _audit(actor, "letter_request.sent", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_request_writer",
            context=_writer_context(req, link),
            reply_to=[req.applicant.email],
        )
    return req


def letter_request_renew_link(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """Issue a new writer link (every earlier one stops working) and email it."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = _lock(letter_request)
        _require_writer_state(req, WRITER_STATES)
        req.writer_link_expires_at = None
        link = _issue_link(req, revoke_previous=True)
        req.save(update_fields=["writer_link_expires_at", "updated_at"])
        _audit(actor, "letter_request.link_renewed", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_request_writer",
            context={**_writer_context(req, link), "renewed": True},
            reply_to=[req.applicant.email],
        )
    return req


def letter_request_withdraw(
    *, actor: User, letter_request: LetterRequest, reason: str = "", ip: str | None = None
) -> LetterRequest:
    """Withdraw: links die, program assignments go, the writer is told (if it was sent)."""
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        req = _lock(letter_request)
        if req.status not in WITHDRAWABLE_STATES:
            raise InvalidTransition()
        was_sent = req.status != LetterStatus.DRAFT
        req.status = LetterStatus.WITHDRAWN
        req.withdrawn_at = timezone.now()
        req.withdraw_reason = reason.strip()[:2000]
        _kill_links(req)
        req.save()
        LetterAssignment.objects.filter(letter__request=req).delete()
        _audit(actor, "letter_request.withdrawn", req, {"had_been_sent": was_sent}, ip)
        if was_sent:
            email_send(
                to=[req.writer_email],
                template="letter_withdrawn_writer",
                context={"req": req, "applicant_name": req.applicant.get_full_name()},
            )
    return req


def letter_request_nudge(
    *, actor: User, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """A friendly reminder from the applicant: at most once per nudge interval (7 days).

    Compare-and-set on `last_nudged_at`, so two quick clicks send one email. Raises
    `RateLimited` inside the interval and `InvalidTransition` unless the request waits for
    the writer.
    """
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    now = timezone.now()
    with transaction.atomic():
        req = _lock(letter_request)
        if req.status not in WAITING_STATES:
            raise InvalidTransition()
        if req.last_nudged_at is not None and req.last_nudged_at > now - conf.nudge_interval():
            next_at = timezone.localtime(req.last_nudged_at + conf.nudge_interval())
            raise RateLimited(
                MSG_NUDGE_WAIT % {"date": next_at.strftime("%b %d, %Y")},
                extra={"retry_after": next_at.isoformat()},
            )
        req.last_nudged_at = now
        link = _issue_link(req, revoke_previous=False)
        req.save(update_fields=["last_nudged_at", "writer_link_expires_at", "updated_at"])
        _audit(actor, "letter_request.nudged", req, {}, ip)
        email_send(
            to=[req.writer_email],
            template="letter_nudge_writer",
            context=_writer_context(req, link),
            reply_to=[req.applicant.email],
        )
    return req


# --- writer actions ------------------------------------------------------------------------


def letter_request_record_view(
    *, actor: Viewer, letter_request: LetterRequest, action: str, ip: str | None = None
) -> None:
    """Audit a page view or download (views, the API and token pages all call this)."""
    _audit(actor, action, letter_request, {}, ip)


def letter_request_accept(
    *, actor: Viewer, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """requested → accepted; the applicant is told."""
    with transaction.atomic():
        req = _lock(letter_request)
        _check_writer(actor, req)
        _require_writer_state(req, (LetterStatus.REQUESTED,))
        req.status = LetterStatus.ACCEPTED
        req.accepted_at = timezone.now()
        req.save()
        _audit(actor, "letter_request.accepted", req, {}, ip)
        email_send(
            to=[req.applicant.email], template="letter_accepted", context=_applicant_context(req)
        )
    return req


def letter_request_decline(
    *, actor: Viewer, letter_request: LetterRequest, note: str = "", ip: str | None = None
) -> LetterRequest:
    """requested/accepted → declined; links die; the applicant is told (with the note)."""
    with transaction.atomic():
        req = _lock(letter_request)
        _check_writer(actor, req)
        _require_writer_state(req, WAITING_STATES)
        req.status = LetterStatus.DECLINED
        req.declined_at = timezone.now()
        req.decline_note = note.strip()[:2000]
        _kill_links(req)
        req.save()
        _audit(actor, "letter_request.declined", req, {"with_note": bool(req.decline_note)}, ip)
        email_send(
            to=[req.applicant.email], template="letter_declined", context=_applicant_context(req)
        )
    return req


def letter_upload(
    *, actor: Viewer, letter_request: LetterRequest, file: ValidatedFile, ip: str | None = None
) -> LetterRequest:
    """Store (or replace) the PDF of a narrative letter; status becomes `uploaded`.

    `file` has passed `documents.validation.validate_pdf`. The first upload emails the
    applicant that the letter arrived (no details); a replacement updates the same `Letter`
    row, so program assignments stay, and deletes the superseded file after commit. If
    anything fails, the transaction rolls back, the new file is removed and the previous
    letter is untouched.
    """
    stored_name: str | None = None
    old_name: str | None = None
    try:
        with transaction.atomic():
            req = _lock(letter_request)
            _check_writer(actor, req)
            _require_writer_state(req, WRITER_STATES)
            if req.kind != LetterKind.NARRATIVE:
                raise InvalidTransition(MSG_NOT_NARRATIVE)
            now = timezone.now()
            uploader = actor if isinstance(actor, User) else None
            letter = letter_get(viewer=SYSTEM, letter_request=req)
            first = letter is None
            if letter is None:
                letter = Letter(request=req, uploaded_at=now, version=0)
            else:
                old_name = letter.file.name or None
            # save=False: the row is written below with the file facts in one statement.
            letter.file.save(file.safe_name, ContentFile(file.content), save=False)
            stored_name = letter.file.name
            letter.original_name = file.safe_name
            letter.content_type = file.content_type
            letter.sha256 = file.sha256
            letter.size = file.size
            letter.pages = file.pages or 0
            letter.uploaded_by = uploader
            letter.uploaded_at = now
            letter.version += 1
            letter.save()
            if req.status != LetterStatus.UPLOADED:
                req.status = LetterStatus.UPLOADED
                req.accepted_at = req.accepted_at or now
                req.uploaded_at = now
            req.save()
            _audit(
                actor,
                "letter.uploaded" if first else "letter.replaced",
                req,
                {"version": letter.version},
                ip,
            )
            if first:
                email_send(
                    to=[req.applicant.email],
                    template="letter_arrived",
                    context=_applicant_context(req),
                )
            if old_name:
                storage = letter.file.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except Exception:
        if stored_name:
            with contextlib.suppress(OSError):
                PrivateFileSystemStorage().delete(stored_name)
        raise
    return req


def letter_finalize(
    *,
    actor: Viewer,
    letter_request: LetterRequest,
    eras_uploaded: bool = False,
    ip: str | None = None,
) -> LetterRequest:
    """Mark the uploaded letter final: no more replacing, and every writer link dies."""
    with transaction.atomic():
        req = _lock(letter_request)
        _check_writer(actor, req)
        _require_writer_state(req, (LetterStatus.UPLOADED,))
        letter = letter_get(viewer=SYSTEM, letter_request=req)
        if letter is None or not letter.has_file:
            raise InvalidTransition(MSG_NO_FILE)
        now = timezone.now()
        req.finalized_at = now
        if eras_uploaded and req.eras_uploaded_at is None:
            req.eras_uploaded_at = now
        _kill_links(req)
        req.save()
        _audit(actor, "letter.finalized", req, {"eras_uploaded": eras_uploaded}, ip)
    return req


def letter_confirm_eras(
    *, actor: Viewer, letter_request: LetterRequest, ip: str | None = None
) -> LetterRequest:
    """The writer says the letter is in ERAS (or ResidencyCAS).

    Narrative: records the date (allowed after final for writers with an account).
    Standardized: this IS the letter — the request becomes uploaded and final, with a
    file-less `Letter` row so it can be assigned to programs; the applicant is told.
    """
    with transaction.atomic():
        req = _lock(letter_request)
        now = timezone.now()
        if req.kind == LetterKind.STANDARDIZED:
            _check_writer(actor, req)
            _require_writer_state(req, WAITING_STATES)
            Letter.objects.create(
                request=req,
                uploaded_at=now,
                version=1,
                uploaded_by=actor if isinstance(actor, User) else None,
            )
            req.status = LetterStatus.UPLOADED
            req.accepted_at = req.accepted_at or now
            req.uploaded_at = now
            req.finalized_at = now
            req.eras_uploaded_at = now
            _kill_links(req)
            req.save()
            _audit(actor, "letter_request.eras_confirmed", req, {"kind": req.kind}, ip)
            email_send(
                to=[req.applicant.email],
                template="letter_arrived",
                context=_applicant_context(req),
            )
            return req
        if isinstance(actor, TokenViewer):
            _check_writer(actor, req)
            _require_writer_state(req, (LetterStatus.UPLOADED,))
        else:
            _check_writer(actor, req)
            if req.status != LetterStatus.UPLOADED:
                raise InvalidTransition()
        if req.eras_uploaded_at is None:
            req.eras_uploaded_at = now
            req.save(update_fields=["eras_uploaded_at", "updated_at"])
            _audit(actor, "letter_request.eras_confirmed", req, {"kind": req.kind}, ip)
    return req


# --- program assignments -------------------------------------------------------------------


def letter_assign(
    *, actor: User, letter_id: int, program_label: str, ip: str | None = None
) -> LetterAssignment:
    """Assign one of the applicant's letters to a program (at most 4 per program).

    Locks the applicant's user row so two concurrent assignments to one program serialize,
    recounts, then takes the lowest free slot. The unique (applicant, program, slot)
    constraint and the 1..4 check are the backstop if anything slips past the count.
    """
    if actor.role != Role.APPLICANT:
        raise AccessDenied(MSG_NOT_APPLICANT)
    label = " ".join(program_label.split())[:200]
    if not label:
        raise ValidationFailed(errors={"program_label": [str(MSG_PROGRAM_LABEL)]})
    key = program_key(label)
    limit = max_letters_per_program()
    with transaction.atomic():
        lock_for_update(User, [actor.pk])
        letter = letter_get_for_assignment(viewer=actor, letter_id=letter_id)
        if letter is None:
            raise NotFound()
        if LetterAssignment.objects.filter(letter=letter, program_key=key).exists():
            raise ValidationFailed(errors={"program_label": [str(MSG_ALREADY_ASSIGNED)]})
        used = set(
            LetterAssignment.objects.filter(applicant=actor, program_key=key).values_list(
                "slot", flat=True
            )
        )
        if letter_assignment_count(viewer=SYSTEM, applicant=actor, program_key=key) >= limit:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            )
        free = [s for s in range(1, limit + 1) if s not in used]
        if not free:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            )
        slot = free[0]
        existing_label = (
            LetterAssignment.objects.filter(applicant=actor, program_key=key)
            .values_list("program_label", flat=True)
            .first()
        )
        try:
            with transaction.atomic():
                assignment = LetterAssignment.objects.create(
                    letter=letter,
                    applicant=actor,
                    program_label=existing_label or label,
                    program_key=key,
                    slot=slot,
                )
        except IntegrityError:
            raise ValidationFailed(
                errors={
                    "program_label": [str(MSG_PROGRAM_FULL % {"program": label, "limit": limit})]
                }
            ) from None
        _audit(actor, "letter_assignment.created", assignment, {"slot": slot}, ip)
    return assignment


def letter_unassign(*, actor: User, assignment: LetterAssignment, ip: str | None = None) -> None:
    if assignment.applicant_id != actor.pk:
        raise NotFound()
    with transaction.atomic():
        _audit(actor, "letter_assignment.deleted", assignment, {"slot": assignment.slot}, ip)
        assignment.delete()


# --- periodic ------------------------------------------------------------------------------


def _claim_reminder(req: LetterRequest, kind: str, offset: int) -> bool:
    """Compare-and-set: the unique row is the claim. False when someone already sent it."""
    try:
        with transaction.atomic():
            LetterReminder.objects.create(request=req, kind=kind, offset_days=offset)
    except IntegrityError:
        return False  # race or rerun: already sent
    return True


def _before_offset(req: LetterRequest, today: date) -> int | None:
    """The reminder window today falls in: the smallest offset whose day has come.

    Offsets whose day was before the request was sent never fire (the request email was
    the reminder), and a job that missed days sends one reminder, not a burst.
    """
    sent_on = timezone.localdate(req.requested_at) if req.requested_at else today
    due = req.due_date
    if today > due:
        return None
    eligible = [
        d
        for d in conf.reminder_days()
        if due - timedelta(days=d) <= today and due - timedelta(days=d) > sent_on
    ]
    return min(eligible) if eligible else None


def _after_offset(req: LetterRequest, today: date) -> int | None:
    eligible = [d for d in conf.reminder_after_days() if req.due_date + timedelta(days=d) <= today]
    return max(eligible) if eligible else None


def letter_reminders_send(*, now: datetime | None = None) -> int:
    """Remind writers before and after the due date. Idempotent per (request, offset).

    Stops by itself once the letter is in (only `requested`/`accepted` are considered).
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for req in _waiting_requests():
        before = _before_offset(req, today)
        kind, offset = (
            (ReminderKind.WRITER_BEFORE, before)
            if before is not None
            else (ReminderKind.WRITER_AFTER, _after_offset(req, today))
        )
        if offset is None:
            continue
        with transaction.atomic():
            locked = _lock(req)
            if locked.status not in WAITING_STATES:
                continue  # race: the letter arrived meanwhile
            if not _claim_reminder(locked, kind, offset):
                continue
            link = _issue_link(locked, revoke_previous=False)
            locked.save(update_fields=["writer_link_expires_at", "updated_at"])
            audit_record(
                actor=None,
                action="letter_request.reminder_sent",
                target=locked,
                data={"kind": str(kind), "offset_days": offset},
            )
            email_send(
                to=[locked.writer_email],
                template="letter_reminder_writer",
                context={
                    **_writer_context(locked, link),
                    "overdue": kind == ReminderKind.WRITER_AFTER,
                    "days": offset,
                },
                reply_to=[locked.applicant.email],
            )
            sent += 1
    return sent


def _waiting_requests() -> list[LetterRequest]:
    from .selectors import letter_requests_waiting

    return list(letter_requests_waiting(viewer=SYSTEM).order_by("pk"))


def letter_requests_expire(*, now: datetime | None = None) -> int:
    """Requests still waiting long after their due date become `expired`; links die."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - conf.expire_after()
    expired = 0
    for req in _waiting_requests():
        if req.due_date >= cutoff:
            continue
        with transaction.atomic():
            locked = _lock(req)
            if locked.status not in WAITING_STATES or locked.due_date >= cutoff:
                continue  # race: changed meanwhile
            locked.status = LetterStatus.EXPIRED
            locked.expired_at = now
            _kill_links(locked)
            locked.save()
            audit_record(actor=None, action="letter_request.expired", target=locked, data={})
            email_send(
                to=[locked.applicant.email],
                template="letter_expired",
                context=_applicant_context(locked),
            )
            expired += 1
    return expired


def letter_ask_reminders_send(*, now: datetime | None = None) -> int:
    """Tell applicants with a draft that the best moment to ask in person has come."""
    from .selectors import letter_drafts_to_remind

    now = now or timezone.now()
    sent = 0
    for req in letter_drafts_to_remind(viewer=SYSTEM, today=timezone.localdate(now)):
        with transaction.atomic():
            if not _claim_reminder(req, ReminderKind.APPLICANT_ASK, 0):
                continue
            audit_record(actor=None, action="letter_request.ask_reminder_sent", target=req, data={})
            email_send(
                to=[req.applicant.email],
                template="letter_ask_reminder",
                context=_applicant_context(req),
            )
            sent += 1
    return sent
