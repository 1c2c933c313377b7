"""The ONE read path for letters. Nothing else in the project queries `Letter`.

Every selector takes `viewer=`: a signed-in `User`, a `TokenViewer` (a writer holding a
live secret link) or `SYSTEM` (services loading rows they are about to write; never used to
render anything). Rules (docs/dev/letters-confidentiality.md):

- applicant: their own requests; the letter itself (file, name, size, pages, hash) only
  when they did NOT waive their right to see it;
- writer (preceptor account or secret link): the requests addressed to them, and the
  letter they uploaded;
- coordinator: requests tied to a rotation application or routed to coordinators, status
  only; the letter only when the applicant routed it to coordinators;
- anybody else: nothing. Hidden objects are simply absent (callers answer 404).

Pages, the API and emails never receive model instances for the applicant: they receive
`view_models.LetterRequestView`, whose `letter` is None whenever the viewer may not see the
letter, so a template cannot reach a waived letter by following a relation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from matchway.accounts.models import Role, User
from matchway.core.models import OneTimeToken
from matchway.core.tokens import token_resolve
from matchway.documents.models import Document
from matchway.documents.selectors import document_list_for_user
from matchway.experience.selectors import (
    RotationApplication,
    rotation_applications_for_applicant,
)
from matchway.reference.models import Specialty

from . import conf
from .models import (
    GENERAL,
    WRITER_STATES,
    Letter,
    LetterAssignment,
    LetterRequest,
    LetterStatus,
)
from .view_models import (
    AssignableLetter,
    LetterFileView,
    LetterRequestView,
    ProgramLetters,
    WriterChoice,
)


class _System:
    """Services reading rows they are about to change (inside their own transaction)."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = _System()


@dataclass(frozen=True)
class TokenViewer:
    """A letter writer holding a live secret link (no account needed)."""

    token: OneTimeToken
    request_id: int


Viewer = User | TokenViewer | _System

REQUEST_RELATED = ("writer", "applicant", "application__session__rotation__site")


# --- token ---------------------------------------------------------------------------------


def writer_token_resolve(raw: str) -> TokenViewer | None:
    """The viewer behind a secret link, or None for every kind of bad link.

    The token must be live (core.tokens: unknown, tampered, expired, used, revoked and
    wrong-purpose links all fail alike) and its request must still accept writer actions.
    """
    record = token_resolve(raw, purpose=conf.TOKEN_PURPOSE)
    if record is None or record.target_type != LetterRequest._meta.label_lower:
        return None
    try:
        request_id = int(record.target_id)
    except ValueError:
        return None
    viewer = TokenViewer(token=record, request_id=request_id)
    if letter_request_get(viewer=viewer, pk=request_id) is None:
        return None
    return viewer


# --- requests ------------------------------------------------------------------------------


def letter_request_list(*, viewer: Viewer) -> QuerySet[LetterRequest]:
    """Requests the viewer may know exist (status-level visibility)."""
    base = LetterRequest.objects.select_related(*REQUEST_RELATED)
    if isinstance(viewer, _System):
        return base
    if isinstance(viewer, TokenViewer):
        return base.filter(
            pk=viewer.request_id, status__in=WRITER_STATES, finalized_at__isnull=True
        )
    if not viewer.is_authenticated:
        return base.none()
    if viewer.role == Role.APPLICANT:
        return base.filter(applicant=viewer)
    if viewer.role == Role.PRECEPTOR:
        # A writer never sees drafts: the applicant has not asked yet.
        return base.filter(writer=viewer).exclude(status=LetterStatus.DRAFT)
    if viewer.role == Role.COORDINATOR:
        return base.filter(Q(route_to_coordinators=True) | Q(application__isnull=False)).exclude(
            status=LetterStatus.DRAFT
        )
    return base.none()


def letter_request_get(*, viewer: Viewer, pk: int) -> LetterRequest | None:
    return letter_request_list(viewer=viewer).filter(pk=pk).first()


def _may_see_letter(viewer: Viewer, req: LetterRequest) -> bool:
    if isinstance(viewer, _System):
        return True
    if isinstance(viewer, TokenViewer):
        return viewer.request_id == req.pk
    if not viewer.is_authenticated:
        return False
    if viewer.pk == req.applicant_id:
        return not req.waived
    if req.writer_id is not None and viewer.pk == req.writer_id:
        return True
    if viewer.role == Role.COORDINATOR:
        return req.route_to_coordinators
    return False


def letter_get(*, viewer: Viewer, letter_request: LetterRequest) -> Letter | None:
    """The letter of a request the viewer already sees, or None when it must stay hidden."""
    if not _may_see_letter(viewer, letter_request):
        return None
    return Letter.objects.filter(request=letter_request).first()


def letter_file_get(*, viewer: Viewer, request_pk: int) -> tuple[LetterRequest, Letter] | None:
    """Request and letter for a download; None (→ 404) unless the viewer may have the file."""
    req = letter_request_get(viewer=viewer, pk=request_pk)
    if req is None:
        return None
    letter = letter_get(viewer=viewer, letter_request=req)
    if letter is None or not letter.has_file:
        return None
    return req, letter


def letter_files_for_applicant_export(*, viewer: User) -> list[Letter]:
    """The applicant's own letters they may have (not waived, with a file), for their
    data export. A waived letter's row is not even read."""
    return list(
        Letter.objects.filter(request__applicant=viewer, request__waived=False)
        .exclude(file="")
        .order_by("request_id")
    )


def letter_files_for_erasure(*, applicant: User) -> list[tuple[Any, str]]:
    """(storage, name) of every letter file of `applicant`'s requests, for account erasure
    (SYSTEM use: never rendered)."""
    return [
        (letter.file.storage, letter.file.name)
        for letter in Letter.objects.filter(request__applicant=applicant).exclude(file="")
    ]


def letter_request_attachment_get(
    *, viewer: Viewer, request_pk: int, document_pk: int
) -> Document | None:
    """A vault document the applicant attached to the request, for its writer (or owner)."""
    req = letter_request_get(viewer=viewer, pk=request_pk)
    if req is None:
        return None
    if isinstance(viewer, User) and viewer.role == Role.COORDINATOR:
        return None
    return (
        req.attachments.select_related("type")
        .filter(pk=document_pk, owner_id=req.applicant_id)
        .first()
    )


def _specialty_names(codes: set[str]) -> dict[str, str]:
    names = dict(Specialty.objects.filter(code__in=codes).values_list("code", "name"))
    names[GENERAL] = _("General (any specialty)")
    return names


def specialty_label(code: str) -> str:
    return _specialty_names({code}).get(code, code)


def _rotation_label(req: LetterRequest) -> tuple[str, date | None, date | None]:
    if req.application_id is None or req.application is None:
        return "", None, None
    session = req.application.session
    return (
        f"{session.rotation.title} — {session.rotation.site.name}",
        (session.start_date),
        session.end_date,
    )


def _is_writer(viewer: Viewer, req: LetterRequest) -> bool:
    if isinstance(viewer, TokenViewer):
        return viewer.request_id == req.pk
    return (
        not isinstance(viewer, _System)
        and viewer.is_authenticated
        and req.writer_id is not None
        and viewer.pk == req.writer_id
    )


def _file_view(letter: Letter | None, *, writer: bool) -> LetterFileView | None:
    if letter is None or not letter.has_file:
        return None
    return LetterFileView(
        # The writer's own file name is their words (it can name anyone); everyone else
        # sees the neutral download name.
        original_name=letter.original_name if writer else f"letter-{letter.request_id}.pdf",
        size=letter.size or 0,
        pages=letter.pages or 0,
        sha256=letter.sha256,
        uploaded_at=letter.uploaded_at,
        version=letter.version,
    )


def _view(
    req: LetterRequest,
    *,
    names: dict[str, str],
    letter: Letter | None,
    attachments: bool,
    writer: bool = False,
) -> LetterRequestView:
    label, start, end = _rotation_label(req)
    next_nudge = conf.next_nudge_at(req.requested_at, req.last_nudged_at)
    return LetterRequestView(
        pk=req.pk,
        status=req.status,
        status_label=str(req.get_status_display()),
        kind=req.kind,
        kind_label=str(req.get_kind_display()),
        specialty_code=req.specialty_code,
        specialty_label=names.get(req.specialty_code, req.specialty_code),
        waived=req.waived,
        route_to_coordinators=req.route_to_coordinators,
        applicant_name=req.applicant.get_full_name(),
        applicant_email=req.applicant.email,
        writer_name=req.writer_name,
        writer_email=req.writer_email,
        writer_title=req.writer_title,
        writer_has_account=req.writer_id is not None,
        application_id=req.application_id,
        rotation_label=label,
        rotation_start=start,
        rotation_end=end,
        due_date=req.due_date,
        eras_letter_id=req.eras_letter_id,
        message=req.message,
        brag_notes=req.brag_notes,
        brag_sheet=req.brag_sheet or {},
        created_at=req.created_at,
        requested_at=req.requested_at,
        accepted_at=req.accepted_at,
        declined_at=req.declined_at,
        decline_note=req.decline_note,
        uploaded_at=req.uploaded_at,
        finalized_at=req.finalized_at,
        eras_uploaded_at=req.eras_uploaded_at,
        withdrawn_at=req.withdrawn_at,
        expired_at=req.expired_at,
        last_nudged_at=req.last_nudged_at,
        next_nudge_at=next_nudge,
        writer_link_expires_at=req.writer_link_expires_at,
        remind_applicant_on=req.remind_applicant_on,
        attachments=(
            [
                # The writer sees a neutral name, not what the applicant called the file.
                {"id": d.pk, "type": d.type.name, "name": d.neutral_name}
                for d in req.attachments.all()
            ]
            if attachments
            else []
        ),
        letter=_file_view(letter, writer=writer),
    )


def letter_request_views(
    *, viewer: Viewer, requests: QuerySet[LetterRequest] | list[LetterRequest]
) -> list[LetterRequestView]:
    """View models for a list, in three queries whatever its length (requests, specialty
    names, the letters the viewer may see)."""
    items = list(requests)
    if not items:
        return []
    names = _specialty_names({r.specialty_code for r in items})
    visible_ids = [r.pk for r in items if _may_see_letter(viewer, r)]
    letters = (
        {letter.request_id: letter for letter in Letter.objects.filter(request_id__in=visible_ids)}
        if visible_ids
        else {}
    )
    return [
        _view(
            r,
            names=names,
            letter=letters.get(r.pk),
            attachments=False,
            writer=_is_writer(viewer, r),
        )
        for r in items
    ]


def letter_request_view(*, viewer: Viewer, letter_request: LetterRequest) -> LetterRequestView:
    """The detail view model of one request the viewer already sees."""
    names = _specialty_names({letter_request.specialty_code})
    letter = letter_get(viewer=viewer, letter_request=letter_request)
    return _view(
        letter_request,
        names=names,
        letter=letter,
        attachments=True,
        writer=_is_writer(viewer, letter_request),
    )


# --- composer ------------------------------------------------------------------------------


def letter_source_applications(*, viewer: User) -> list[RotationApplication]:
    """The applicant's rotations a letter can come from (in progress or completed)."""
    return list(rotation_applications_for_applicant(viewer))


def letter_writer_choices(*, viewer: User) -> list[WriterChoice]:
    """Preceptors of those rotations who take letter requests through Matchway."""
    choices: list[WriterChoice] = []
    for application in letter_source_applications(viewer=viewer):
        for preceptor in application.session.rotation.preceptors.all():
            profile = getattr(preceptor, "preceptor_profile", None)
            if profile is not None and not profile.accepts_letter_requests:
                continue
            choices.append(WriterChoice(application=application, writer=preceptor))
    return choices


def letter_source_application_get(*, viewer: User, pk: int) -> RotationApplication | None:
    for application in letter_source_applications(viewer=viewer):
        if application.pk == pk:
            return application
    return None


def letter_attachment_choices(*, viewer: User) -> QuerySet[Document]:
    """Current vault documents of the kinds a writer finds useful (CV, statement)."""
    return (
        document_list_for_user(user=viewer)
        .filter(owner=viewer, is_current=True, type__code__in=conf.attachment_types())
        .order_by("type__name")
    )


# --- assignments ---------------------------------------------------------------------------


def letter_assignable_list(*, viewer: User) -> list[AssignableLetter]:
    if viewer.role != Role.APPLICANT:
        return []
    rows = list(
        Letter.objects.filter(request__applicant=viewer, request__status=LetterStatus.UPLOADED)
        .select_related("request")
        .only(
            "id",
            "request__id",
            "request__writer_name",
            "request__specialty_code",
            "request__waived",
        )
        .order_by("request__writer_name", "pk")
    )
    names = _specialty_names({r.request.specialty_code for r in rows})
    return [
        AssignableLetter(
            letter_id=r.pk,
            request_id=r.request.pk,
            writer_name=r.request.writer_name,
            specialty_label=names.get(r.request.specialty_code, r.request.specialty_code),
            waived=r.request.waived,
        )
        for r in rows
    ]


def letter_assignment_programs(*, viewer: User) -> list[ProgramLetters]:
    """The applicant's programs with the letters assigned to each, in slot order."""
    if viewer.role != Role.APPLICANT:
        return []
    assignable = {a.letter_id: a for a in letter_assignable_list(viewer=viewer)}
    programs: dict[str, ProgramLetters] = {}
    for row in LetterAssignment.objects.filter(applicant=viewer).order_by("program_key", "slot"):
        letter = assignable.get(row.letter_id)
        if letter is None:
            continue
        entry = programs.setdefault(
            row.program_key,
            ProgramLetters(label=row.program_label, key=row.program_key, letters=[]),
        )
        entry.letters.append((row.pk, letter))
    return list(programs.values())


def letter_assignment_get(*, viewer: User, pk: int) -> LetterAssignment | None:
    if viewer.role != Role.APPLICANT:
        return None
    return LetterAssignment.objects.filter(pk=pk, applicant=viewer).first()


def letter_get_for_assignment(*, viewer: User, letter_id: int) -> Letter | None:
    """A letter row the applicant owns (waived or not): assignment needs only its id."""
    if viewer.role != Role.APPLICANT:
        return None
    return (
        Letter.objects.filter(
            pk=letter_id, request__applicant=viewer, request__status=LetterStatus.UPLOADED
        )
        .only("id", "request_id")
        .first()
    )


def letter_assignment_count(*, viewer: Viewer, applicant: User, program_key: str) -> int:
    if not isinstance(viewer, _System):
        raise PermissionError("Counting slots is a service concern.")
    return LetterAssignment.objects.filter(applicant=applicant, program_key=program_key).count()


# --- periodic ------------------------------------------------------------------------------


def letter_requests_waiting(*, viewer: Viewer) -> QuerySet[LetterRequest]:
    """Requests waiting for the writer (reminders, expiry). SYSTEM only."""
    if not isinstance(viewer, _System):
        return LetterRequest.objects.none()
    return LetterRequest.objects.filter(
        status__in=(LetterStatus.REQUESTED, LetterStatus.ACCEPTED)
    ).select_related("applicant", "writer")


def letter_drafts_to_remind(*, viewer: Viewer, today: date) -> QuerySet[LetterRequest]:
    if not isinstance(viewer, _System):
        return LetterRequest.objects.none()
    return LetterRequest.objects.filter(
        status=LetterStatus.DRAFT, remind_applicant_on__lte=today
    ).select_related("applicant")


def letter_counts_by_specialty(*, viewer: User) -> dict[str, int]:
    """For an applicant: how many letters (uploaded, or tracked as done) they have per
    specialty code ("general" for letters not tied to one). One query; {} for anyone else."""
    if not viewer.is_authenticated or viewer.role != Role.APPLICANT:
        return {}
    rows = (
        LetterRequest.objects.filter(applicant=viewer, status=LetterStatus.UPLOADED)
        .values("specialty_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["specialty_code"]: row["n"] for row in rows}
