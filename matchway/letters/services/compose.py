"""Composing letter requests: validate the composer's input, create a request (draft or
sent), and edit it afterwards (`letter_request_update`, with the rule of which fields a
request takes in which state)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.exceptions import (
    AccessDenied,
    InvalidTransition,
    NotFound,
    PhiDetected,
    ValidationFailed,
)
from matchway.documents.models import Document
from matchway.experience.selectors import RotationApplication
from matchway.phi.guard import phi_scan_fields
from matchway.reference.models import Specialty

from .. import conf
from ..brag import brag_sheet_build
from ..models import GENERAL, LetterKind, LetterRequest, LetterStatus
from ..salutation import writer_salutation
from ..selectors import letter_source_application_get, letter_writer_choices, specialty_label
from .common import MSG_DUE_PAST, MSG_NOT_APPLICANT, audit, request_lock
from .requests import letter_request_send

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
MSG_REMIND_PAST = gettext_lazy("Choose a reminder date from today on.")
MSG_LETTER_ID_CHARS = gettext_lazy(
    "The Letter ID cannot contain line breaks or control characters."
)
MSG_LETTER_ID_TAKEN = gettext_lazy("Another of your letter requests already uses this Letter ID.")
MSG_ATTACHMENT = gettext_lazy("Attach only your current CV or personal statement from your vault.")
MSG_UPDATE_LIVE = gettext_lazy(
    "Once a request is sent, only its Letter ID and due date can change."
)
MSG_NOT_EDITABLE = gettext_lazy("This request can no longer be changed.")

# A sent request keeps its promises to the writer (who writes, the waiver, the routing, the
# kind, the message): only these fields change once it is sent.
LIVE_EDITABLE_FIELDS = ("due_date", "eras_letter_id")


def letter_request_is_editable(letter_request: LetterRequest) -> bool:
    """The applicant may edit a draft, and a sent request while the writer can still act
    (requested, accepted, or uploaded and not final)."""
    return letter_request.status == LetterStatus.DRAFT or letter_request.writer_can_act


def letter_request_is_live(letter_request: LetterRequest) -> bool:
    """Sent to the writer: only `LIVE_EDITABLE_FIELDS` can change."""
    return letter_request.status != LetterStatus.DRAFT


def clean_letter_id(raw: str) -> str:
    """Trim; refuse control characters. No format is invented (ERAS publishes none)."""
    value = (raw or "").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValidationFailed(errors={"eras_letter_id": [str(MSG_LETTER_ID_CHARS)]})
    if len(value) > 64:
        raise ValidationFailed(errors={"eras_letter_id": [_("Use at most 64 characters.")]})
    return value


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
class RequestChanges:
    """What a sent request can still change (`LIVE_EDITABLE_FIELDS`)."""

    due_date: date
    eras_letter_id: str = ""

    def as_input(self, req: LetterRequest) -> RequestInput:
        # Everything else stays as promised to the writer.
        return RequestInput(
            due_date=self.due_date,
            eras_letter_id=self.eras_letter_id,
            waived=req.waived,
            kind=req.kind,
            specialty_code=req.specialty_code,
            route_to_coordinators=req.route_to_coordinators,
        )


@dataclass
class _Resolved:
    application: RotationApplication | None
    writer: User | None
    writer_name: str
    writer_email: str
    writer_title: str
    attachments: list[Document]


def _resolve_writer(actor: User, data: RequestInput, errors: dict[str, list[str]]) -> _Resolved:
    application: RotationApplication | None = None
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
    today = clock.provider_today()
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


# How the composer and the default message write dates, and the usual other ways.
_DATE_FORMATS = ("F j", "F j, Y", "N j, Y", "M j, Y", "j F Y", "n/j/Y", "m/d/Y", "Y-m-d")
# Dates of the letter's own timeline: the rotation, and from today until a while after the
# due date (the composer pre-fills a message whose due date the applicant may then move).
_TIMELINE_SLACK = timedelta(days=60)


def _known_dates(session_days: tuple[date, date] | None, latest: date, today: date) -> list[str]:
    spans = [(today, max(latest, today) + _TIMELINE_SLACK)]
    if session_days is not None:
        spans.append(session_days)
    days = {
        start + timedelta(days=n)
        for start, end in spans
        for n in range(min((end - start).days, 400) + 1)
    }
    return [date_format(d, fmt) for d in sorted(days) for fmt in _DATE_FORMATS]


def _phi_check(
    actor: User,
    data: RequestInput,
    errors: dict[str, list[str]],
    *,
    writer_name: str,
    writer_email: str,
    application: RotationApplication | None,
    letter_id: str,
) -> None:
    """Refuse a message or notes that may identify a patient (they go to the writer).

    The request's own parties and facts are not findings: the writer's and applicant's
    names and emails, other physicians ("Dr. Chen suggested I ask you"), the rotation's
    title and site, the dates of the rotation and from
    today until after the due date, and the Letter ID (the default message holds all of
    them). A date of birth or admission lies outside that timeline and is still found.
    With other errors the findings join them; alone they raise `PhiDetected` (422
    `phi_detected` with the findings in the API).
    """
    session = application.session if application is not None else None
    fields = {"message": data.message, "brag_notes": data.brag_notes}
    parties = [writer_name, actor.get_full_name()]
    known = [writer_email, actor.email, letter_id]
    if session is not None:
        known += [session.rotation.title, session.rotation.site.name]
    findings = phi_scan_fields(fields, parties=parties, known=known, physicians=True)
    if any(f.kind == "date" for found in findings.values() for f in found):
        # Spelling out the timeline costs a few milliseconds: only when a date was found.
        known += _known_dates(
            (session.start_date, session.end_date) if session is not None else None,
            max(data.due_date, data.remind_applicant_on or data.due_date),
            clock.provider_today(),
        )
        findings = phi_scan_fields(fields, parties=parties, known=known, physicians=True)
    if not findings:
        return
    if errors:
        for field, messages in PhiDetected(findings).errors.items():
            errors.setdefault(field, []).extend(messages)
        return
    raise PhiDetected(findings)


def letter_message_default(
    *,
    applicant: User,
    writer_name: str,
    application: RotationApplication | None,
    specialty_code: str,
    due_date: date | None,
    eras_letter_id: str = "",
    waived: bool = True,
    writer_title: str = "",
) -> str:
    """Our own message template, filled in; the applicant edits it freely.

    The greeting is `writer_salutation` of the writer's name and title ("Dear Dr. Raman").
    """
    return render_to_string(
        "letters/message_default.txt",
        {
            "applicant_name": applicant.get_full_name(),
            "writer_name": writer_salutation(writer_name, writer_title),
            "session": application.session if application is not None else None,
            "specialty": specialty_label(specialty_code) if specialty_code != GENERAL else "",
            "due_date": due_date,
            "eras_letter_id": eras_letter_id,
            "waived": waived,
        },
    ).strip()


def _message_or_default(
    actor: User,
    data: RequestInput,
    resolved: _Resolved,
    application: RotationApplication | None,
    letter_id: str,
) -> str:
    """The message the applicant typed, or our default one written from the request."""
    return data.message.strip() or letter_message_default(
        applicant=actor,
        writer_name=resolved.writer_name,
        writer_title=resolved.writer_title,
        application=application,
        specialty_code=data.specialty_code,
        due_date=data.due_date,
        eras_letter_id=letter_id,
        waived=data.waived,
    )


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
    _phi_check(
        actor,
        data,
        errors,
        writer_name=resolved.writer_name,
        writer_email=resolved.writer_email,
        application=resolved.application,
        letter_id=letter_id,
    )
    if errors:
        raise ValidationFailed(errors=errors)
    message = _message_or_default(actor, data, resolved, resolved.application, letter_id)
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
        audit(
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
    *,
    actor: User,
    letter_request: LetterRequest,
    data: RequestInput | RequestChanges,
    send: bool = False,
    ip: str | None = None,
) -> LetterRequest:
    """Edit a request, and with `send=True` send a draft too, in one transaction.

    Drafts change freely (the writer stays). A sent request takes only a new Letter ID and
    due date (`LIVE_EDITABLE_FIELDS`; the writer is told nothing until the next email): pass
    `RequestChanges`, or a `RequestInput` whose waiver and routing match the request
    (otherwise `ValidationFailed`). `send=True` has no effect on a request already sent.
    Locks the request row. Raises `NotFound` for another applicant's request,
    `InvalidTransition` once `letter_request_is_editable` is false, and `ValidationFailed`
    (field errors); if sending fails, the edit is rolled back too.
    """
    if letter_request.applicant_id != actor.pk:
        raise NotFound()
    errors: dict[str, list[str]] = {}
    with transaction.atomic():
        req = request_lock(letter_request)
        if not letter_request_is_editable(req):
            raise InvalidTransition(MSG_NOT_EDITABLE)
        is_draft = not letter_request_is_live(req)
        if isinstance(data, RequestChanges):
            if is_draft:
                # The page showed a sent request; a draft never comes back, so refuse.
                raise InvalidTransition(MSG_NOT_EDITABLE)
            data = data.as_input(req)
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
        if resolved is not None:
            _phi_check(
                actor,
                data,
                errors,
                writer_name=resolved.writer_name,
                writer_email=resolved.writer_email,
                application=req.application,
                letter_id=letter_id,
            )
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
                    _message_or_default(actor, data, resolved, req.application, letter_id),
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
        audit(actor, "letter_request.updated", req, {"fields": sorted(changed)}, ip)
        if send and is_draft:
            # Nested atomic = a savepoint: a refused send rolls the edit back with it.
            req = letter_request_send(actor=actor, letter_request=req, ip=ip)
    return req
