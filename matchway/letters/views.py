"""Applicant and coordinator pages. Thin: parse → one service or selector → render.

Writer pages (secret link and preceptor account) live in `views_writer.py`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core.audit import client_ip
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, RateLimited, ValidationFailed
from matchway.core.storage import private_file_response
from matchway.rotations.models import Application

from . import services
from .brag import brag_sheet_lines, brag_sheet_pdf, brag_sheet_text
from .forms import (
    AssignmentForm,
    LetterRequestForm,
    WithdrawForm,
    add_service_errors,
)
from .guidance import Guidance, compose_guidance
from .models import GENERAL, LetterRequest, LetterStatus
from .selectors import (
    letter_assignable_list,
    letter_assignment_get,
    letter_assignment_programs,
    letter_attachment_choices,
    letter_file_get,
    letter_request_get,
    letter_request_list,
    letter_request_view,
    letter_request_views,
    letter_source_application_get,
    letter_source_applications,
    letter_writer_choices,
)
from .services import RequestInput


def _request_or_404(user: User, pk: int) -> LetterRequest:
    req = letter_request_get(viewer=user, pk=pk)
    if req is None:
        raise Http404
    return req


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _guidance(application: Application | None, due: Any) -> Guidance:
    session = application.session if application is not None else None
    return compose_guidance(
        start=session.start_date if session else None,
        end=session.end_date if session else None,
        due_date=due,
        today=timezone.localdate(),
    )


def _guidance_wiring(application: Application | None) -> dict[str, Any]:
    return {
        "guidance_url": reverse("letters:compose-guidance"),
        "application_id": application.pk if application is not None else None,
    }


def serve_file(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """`private_file_response`, typed for the role decorators (a FileResponse streams)."""
    return cast(HttpResponse, private_file_response(request, **kwargs))


def letter_download_name(req_pk: int) -> str:
    # Never the writer's own file name: it can reveal content ("Strong_letter_Okafor.pdf").
    return f"letter-{req_pk}.pdf"


# --- applicant: list and composer ----------------------------------------------------------


@role_required(Role.APPLICANT)
def request_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    items = letter_request_views(viewer=user, requests=letter_request_list(viewer=user))
    return render(request, "letters/request_list.html", {"items": items})


def _compose_source(
    request: HttpRequest, user: User
) -> tuple[Application | None, User | None, bool] | None:
    """(application, writer, outside) from the query string, or None to show the chooser."""
    application_id = _int(request.GET.get("application"))
    writer_id = _int(request.GET.get("writer"))
    if request.GET.get("outside") == "1":
        application = (
            letter_source_application_get(viewer=user, pk=application_id)
            if application_id
            else None
        )
        return application, None, True
    if writer_id is None:
        return None
    for choice in letter_writer_choices(viewer=user):
        if choice.writer.pk == writer_id and (
            application_id is None or choice.application.pk == application_id
        ):
            return choice.application, choice.writer, False
    raise Http404


def _form_to_input(
    form: LetterRequestForm,
    *,
    application: Application | None,
    writer: User | None,
    guidance: Guidance,
) -> RequestInput:
    data = form.cleaned_data
    remind = guidance.best_ask_on if data.get("remind_me") and guidance.best_ask_on else None
    return RequestInput(
        due_date=data["due_date"],
        waived=bool(data["waived"]),
        kind=data["kind"],
        specialty_code=data["specialty_code"],
        application_id=application.pk if application is not None else None,
        writer_id=writer.pk if writer is not None else None,
        writer_name=data.get("writer_name", ""),
        writer_email=data.get("writer_email", ""),
        writer_title=data.get("writer_title", ""),
        route_to_coordinators=bool(data.get("route_to_coordinators")),
        eras_letter_id=data.get("eras_letter_id", ""),
        message="" if data.get("message_auto") == "1" else data.get("message", ""),
        brag_notes=data.get("brag_notes", ""),
        attachment_ids=[d.pk for d in data.get("attachments") or []],
        remind_applicant_on=remind,
    )


@role_required(Role.APPLICANT)
def request_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    source = _compose_source(request, user)
    if source is None:
        choices = letter_writer_choices(viewer=user)
        rotations = [
            (application, [c.writer for c in choices if c.application.pk == application.pk])
            for application in letter_source_applications(viewer=user)
        ]
        return render(request, "letters/request_source.html", {"rotations": rotations})
    application, writer, outside = source
    attachments = letter_attachment_choices(viewer=user)
    if request.method == "POST":
        form = LetterRequestForm(
            request.POST,
            outside_writer=outside,
            attachment_queryset=attachments,
            **_guidance_wiring(application),
        )
        guidance = _guidance(application, None)
        if form.is_valid():
            guidance = _guidance(application, form.cleaned_data["due_date"])
            try:
                req = services.letter_request_create(
                    actor=user,
                    data=_form_to_input(
                        form, application=application, writer=writer, guidance=guidance
                    ),
                    send="send" in request.POST,
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            else:
                if req.status == LetterStatus.REQUESTED:
                    messages.success(
                        request,
                        _("Your request is on its way to %(name)s.") % {"name": req.writer_name},
                    )
                else:
                    messages.success(request, _("Saved as a draft. Send it when you are ready."))
                return redirect("letters:request-detail", pk=req.pk)
        status = 422
    else:
        due = timezone.localdate() + timedelta(weeks=6)
        specialty = (
            application.session.rotation.specialty_id if application is not None else GENERAL
        )
        writer_name = writer.get_full_name() if writer is not None else ""
        form = LetterRequestForm(
            outside_writer=outside,
            attachment_queryset=attachments,
            **_guidance_wiring(application),
            initial={
                "due_date": due,
                "specialty_code": specialty,
                "message": services.letter_message_default(
                    applicant=user,
                    writer_name=writer_name or _("Dr. [name]"),
                    application=application,
                    specialty_code=specialty,
                    due_date=due,
                ),
                "attachments": list(attachments),
            },
        )
        guidance = _guidance(application, due)
        status = 200
    return render(
        request,
        "letters/request_form.html",
        {
            "form": form,
            "application": application,
            "writer": writer,
            "outside": outside,
            "guidance": guidance,
            "editing": None,
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@require_GET
@role_required(Role.APPLICANT)
def compose_guidance_partial(request: HttpRequest) -> HttpResponse:
    """htmx: refresh the timing advice when the due date changes."""
    user = current_user(request)
    application_id = _int(request.GET.get("application"))
    application = (
        letter_source_application_get(viewer=user, pk=application_id) if application_id else None
    )
    try:
        due = date.fromisoformat(request.GET.get("due_date", ""))
    except ValueError:
        due = None
    return render(
        request,
        "letters/request_form.html#guidance",
        {"guidance": _guidance(application, due), "application": application},
    )


# --- applicant: one request ----------------------------------------------------------------


@role_required(Role.APPLICANT)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    req = _request_or_404(user, pk)
    view = letter_request_view(viewer=user, letter_request=req)
    services.letter_request_record_view(
        actor=user, letter_request=req, action="letter_request.viewed", ip=client_ip(request)
    )
    application = req.application if req.application_id else None
    return render(
        request,
        "letters/request_detail.html",
        {
            "item": view,
            "brag_lines": brag_sheet_lines(view.brag_sheet),
            "guidance": _guidance(application, view.due_date) if view.is_draft else None,
            "withdraw_form": WithdrawForm(),
        },
    )


@role_required(Role.APPLICANT)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    req = _request_or_404(user, pk)
    live = req.status != LetterStatus.DRAFT
    if req.status not in (
        LetterStatus.DRAFT,
        LetterStatus.REQUESTED,
        LetterStatus.ACCEPTED,
    ) and not (req.status == LetterStatus.UPLOADED and req.finalized_at is None):
        messages.info(request, _("This request can no longer be changed."))
        return redirect("letters:request-detail", pk=req.pk)
    application = req.application if req.application_id else None
    outside = req.writer_id is None
    attachments = letter_attachment_choices(viewer=user)
    status = 200
    if request.method == "POST":
        form = LetterRequestForm(
            request.POST,
            outside_writer=outside,
            attachment_queryset=attachments,
            live=live,
            **_guidance_wiring(application),
        )
        if form.is_valid():
            data = form.cleaned_data
            guidance = _guidance(application, data["due_date"])
            if live:
                payload = RequestInput(
                    due_date=data["due_date"],
                    waived=req.waived,
                    kind=req.kind,
                    specialty_code=req.specialty_code,
                    route_to_coordinators=req.route_to_coordinators,
                    eras_letter_id=data.get("eras_letter_id", ""),
                )
            else:
                payload = _form_to_input(
                    form,
                    application=application,
                    writer=req.writer if req.writer_id else None,
                    guidance=guidance,
                )
            try:
                services.letter_request_update(
                    actor=user, letter_request=req, data=payload, ip=client_ip(request)
                )
                if "send" in request.POST and not live:
                    services.letter_request_send(
                        actor=user, letter_request=req, ip=client_ip(request)
                    )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("letters:request-detail", pk=req.pk)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("letters:request-detail", pk=req.pk)
        status = 422
    else:
        form = LetterRequestForm(
            outside_writer=outside,
            attachment_queryset=attachments,
            live=live,
            **_guidance_wiring(application),
            initial={
                "writer_name": req.writer_name,
                "writer_email": req.writer_email,
                "writer_title": req.writer_title,
                "kind": req.kind,
                "specialty_code": req.specialty_code,
                "due_date": req.due_date,
                "eras_letter_id": req.eras_letter_id,
                "waived": "yes" if req.waived else "no",
                "route_to_coordinators": req.route_to_coordinators,
                "message": req.message,
                "message_auto": "0",
                "brag_notes": req.brag_notes,
                "attachments": list(req.attachments.all()),
                "remind_me": req.remind_applicant_on is not None,
            },
        )
    return render(
        request,
        "letters/request_form.html",
        {
            "form": form,
            "application": application,
            "writer": req.writer if req.writer_id else None,
            "outside": outside,
            "guidance": _guidance(application, req.due_date),
            "editing": req,
            "live": live,
        },
        status=status,
    )


def _post_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = current_user(request)
    req = _request_or_404(user, pk)
    ip = client_ip(request)
    try:
        if action == "send":
            services.letter_request_send(actor=user, letter_request=req, ip=ip)
            messages.success(
                request, _("Your request is on its way to %(name)s.") % {"name": req.writer_name}
            )
        elif action == "withdraw":
            form = WithdrawForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.letter_request_withdraw(actor=user, letter_request=req, reason=reason, ip=ip)
            messages.success(request, _("The request is withdrawn."))
        elif action == "nudge":
            services.letter_request_nudge(actor=user, letter_request=req, ip=ip)
            messages.success(
                request, _("We sent %(name)s a friendly reminder.") % {"name": req.writer_name}
            )
        elif action == "renew":
            services.letter_request_renew_link(actor=user, letter_request=req, ip=ip)
            messages.success(
                request,
                _("We emailed %(name)s a new link; earlier links no longer work.")
                % {"name": req.writer_name},
            )
    except RateLimited as exc:
        messages.warning(request, exc.message)
    except ValidationFailed as exc:
        text = " ".join(m for msgs in exc.errors.values() for m in msgs) or exc.message
        messages.error(request, text)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("letters:request-detail", pk=pk)


@require_POST
@role_required(Role.APPLICANT)
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "send")


@require_POST
@role_required(Role.APPLICANT)
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "withdraw")


@require_POST
@role_required(Role.APPLICANT)
def request_nudge(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "nudge")


@require_POST
@role_required(Role.APPLICANT)
def request_renew(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, "renew")


def brag_sheet_download(
    request: HttpRequest, *, user: User, letter_request: LetterRequest, fmt: str
) -> HttpResponse:
    """The brag sheet as PDF or text, audited; shared by the applicant's and writer's pages."""
    if fmt not in ("pdf", "txt"):
        raise Http404
    services.letter_request_record_view(
        actor=user,
        letter_request=letter_request,
        action="letter_request.brag_sheet_downloaded",
        ip=client_ip(request),
    )
    return brag_sheet_response(letter_request.brag_sheet or {}, fmt, letter_request.pk)


def brag_sheet_response(sheet: dict[str, Any], fmt: str, pk: int) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(brag_sheet_pdf(sheet), content_type="application/pdf")
    elif fmt == "txt":
        response = HttpResponse(brag_sheet_text(sheet), content_type="text/plain; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="brag-sheet-{pk}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@role_required(Role.APPLICANT)
def request_brag_sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = current_user(request)
    return brag_sheet_download(
        request, user=user, letter_request=_request_or_404(user, pk), fmt=fmt
    )


@require_GET
@role_required(Role.APPLICANT)
def request_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A non-waived letter, for its applicant. Waived (or absent) → 404, like any hidden file."""
    user = current_user(request)
    return letter_file_response(request, user=user, pk=pk)


# --- applicant: programs -------------------------------------------------------------------


@role_required(Role.APPLICANT)
def assignments(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    assignable = letter_assignable_list(viewer=user)
    choices = [(a.letter_id, f"{a.writer_name} — {a.specialty_label}") for a in assignable]
    status = 200
    if request.method == "POST":
        form = AssignmentForm(request.POST, letters=choices)
        if form.is_valid():
            try:
                services.letter_assign(
                    actor=user,
                    letter_id=form.cleaned_data["letter"],
                    program_label=form.cleaned_data["program_label"],
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Letter assigned."))
                return redirect("letters:assignments")
        status = 422
    else:
        form = AssignmentForm(letters=choices)
    return render(
        request,
        "letters/assignment_list.html",
        {
            "form": form,
            "programs": letter_assignment_programs(viewer=user),
            "assignable": assignable,
            "limit": services.max_letters_per_program(),
        },
        status=status,
    )


@require_POST
@role_required(Role.APPLICANT)
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    assignment = letter_assignment_get(viewer=user, pk=pk)
    if assignment is None:
        raise Http404
    services.letter_unassign(actor=user, assignment=assignment, ip=client_ip(request))
    messages.success(
        request, _("Letter removed from %(program)s.") % {"program": assignment.program_label}
    )
    return redirect("letters:assignments")


# --- coordinators --------------------------------------------------------------------------


@role_required(Role.COORDINATOR)
def coordinator_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    page = Paginator(letter_request_list(viewer=user), 50).get_page(request.GET.get("page"))
    items = letter_request_views(viewer=user, requests=list(page.object_list))
    return render(request, "letters/coordinator_list.html", {"page": page, "items": items})


@require_GET
@role_required(Role.COORDINATOR)
def coordinator_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    return letter_file_response(request, user=user, pk=pk)


def letter_file_response(request: HttpRequest, *, user: User, pk: int) -> HttpResponse:
    """Stream the letter PDF `user` may see (selectors decide; hidden → 404), audited."""
    found = letter_file_get(viewer=user, request_pk=pk)
    if found is None:
        raise Http404
    req, letter = found
    return serve_file(
        request,
        file=letter.file,
        filename=letter_download_name(req.pk),
        content_type="application/pdf",
        target=req,
        action="letter.downloaded",
    )
