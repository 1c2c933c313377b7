"""The applicant's composer and edit page for a letter request.

Thin: parse → one service or selector → render. Which fields a request takes in which
state, whether it may still be edited, and "save and send" in one transaction are decided
by `services.compose`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.http import client_ip
from matchway.documents.models import Document
from matchway.experience.selectors import RotationApplication

from ..forms import FIELD_MAP, LetterRequestForm, specialty_choices
from ..guidance import Guidance
from ..models import GENERAL
from ..selectors import (
    letter_attachment_choices,
    letter_source_application_get,
    letter_source_applications,
    letter_writer_choices,
)
from ..services.compose import (
    RequestChanges,
    RequestInput,
    letter_message_default,
    letter_request_create,
    letter_request_is_editable,
    letter_request_is_live,
    letter_request_update,
)
from .common import guidance_for, int_or_none, request_or_404


def _guidance_wiring(application: RotationApplication | None) -> dict[str, Any]:
    return {
        "guidance_url": reverse("letters:compose-guidance"),
        "application_id": application.pk if application is not None else None,
    }


def _writer_title(writer: User | None) -> str:
    profile = getattr(writer, "preceptor_profile", None) if writer is not None else None
    return ", ".join(p for p in (profile.title, profile.department) if p) if profile else ""


def _message_wiring(
    application: RotationApplication | None, writer_name: str, writer_title: str
) -> dict[str, Any]:
    """htmx: the message follows the specialty, due date and writer until it is edited."""
    vals: dict[str, Any] = {"application": application.pk if application is not None else ""}
    if writer_name:  # a writer with an account (an outside writer's fields are in the form)
        vals |= {"writer_name": writer_name, "writer_title": writer_title}
    return {"message_url": reverse("letters:compose-message"), "message_vals": json.dumps(vals)}


def _compose_source(
    request: HttpRequest, user: User
) -> tuple[RotationApplication | None, User | None, bool] | None:
    """(application, writer, outside) from the query string, or None to show the chooser."""
    application_id = int_or_none(request.GET.get("application"))
    writer_id = int_or_none(request.GET.get("writer"))
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
    application: RotationApplication | None,
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
        guidance = guidance_for(application, None)
        if form.is_valid():
            guidance = guidance_for(application, form.cleaned_data["due_date"])
            send = "send" in request.POST
            try:
                req = letter_request_create(
                    actor=user,
                    data=_form_to_input(
                        form, application=application, writer=writer, guidance=guidance
                    ),
                    send=send,
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc, field_map=FIELD_MAP)
            else:
                if send:
                    messages.success(
                        request,
                        _("Your request is on its way to %(name)s.") % {"name": req.writer_name},
                    )
                else:
                    messages.success(request, _("Saved as a draft. Send it when you are ready."))
                return redirect("letters:request-detail", pk=req.pk)
        status = 422
    else:
        # A suggestion shown in the form, in the viewer's own calendar.
        due = clock.viewer_today() + timedelta(weeks=6)
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
                "message": letter_message_default(
                    applicant=user,
                    writer_name=writer_name or _("Dr. [name]"),
                    writer_title=_writer_title(writer),
                    application=application,
                    specialty_code=specialty,
                    due_date=due,
                ),
                "attachments": list(attachments),
            },
        )
        guidance = guidance_for(application, due)
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
            **_message_wiring(
                application, writer.get_full_name() if writer else "", _writer_title(writer)
            ),
        },
        status=status,
    )


@require_GET
@role_required(Role.APPLICANT)
def compose_guidance_partial(request: HttpRequest) -> HttpResponse:
    """htmx: refresh the timing advice when the due date changes."""
    user = current_user(request)
    application_id = int_or_none(request.GET.get("application"))
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
        {"guidance": guidance_for(application, due), "application": application},
    )


@require_GET
@role_required(Role.APPLICANT)
def compose_message_partial(request: HttpRequest) -> HttpResponse:
    """htmx: our default message again, from the specialty, due date and writer now chosen.

    While the message is still our draft (`message_auto=1`) or when the applicant asks for
    it (`refresh=1`), the whole message field is re-rendered. Once they have edited it, we
    never overwrite their words: only a notice offering "Update the message" is returned
    (retargeted beside the field).
    """
    user = current_user(request)
    params = request.GET
    if params.get("message_auto") != "1" and params.get("refresh") != "1":
        response = render(request, "letters/request_form.html#message-notice", {"stale": True})
        response["HX-Retarget"] = "#letter-message-notice"
        response["HX-Reswap"] = "outerHTML"
        return response
    application_id = int_or_none(params.get("application"))
    application = (
        letter_source_application_get(viewer=user, pk=application_id) if application_id else None
    )
    try:
        due: date | None = date.fromisoformat(params.get("due_date", ""))
    except ValueError:
        due = None
    specialties = {code for code, _label in specialty_choices()}
    specialty = params.get("specialty_code", "")
    specialty = specialty if specialty in specialties else GENERAL
    name = " ".join(params.get("writer_name", "").split())[:150]
    title = " ".join(params.get("writer_title", "").split())[:200]
    message = letter_message_default(
        applicant=user,
        writer_name=name or _("Dr. [name]"),
        writer_title=title,
        application=application,
        specialty_code=specialty,
        due_date=due,
        eras_letter_id=params.get("eras_letter_id", "").strip()[:64],
        waived=params.get("waived", "yes") != "no",
    )
    form = LetterRequestForm(
        outside_writer=True,
        attachment_queryset=Document.objects.none(),
        initial={"message": message, "message_auto": "1"},
    )
    return render(request, "letters/request_form.html#message-refresh", {"form": form})


def _edit_input(
    form: LetterRequestForm,
    *,
    live: bool,
    application: RotationApplication | None,
    writer: User | None,
) -> RequestInput | RequestChanges:
    """The edit form parsed: a sent request's form carries only what it can still change."""
    data = form.cleaned_data
    if live:
        return RequestChanges(
            due_date=data["due_date"], eras_letter_id=data.get("eras_letter_id", "")
        )
    return _form_to_input(
        form,
        application=application,
        writer=writer,
        guidance=guidance_for(application, data["due_date"]),
    )


@role_required(Role.APPLICANT)
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    req = request_or_404(user, pk)
    if not letter_request_is_editable(req):
        messages.info(request, _("This request can no longer be changed."))
        return redirect("letters:request-detail", pk=req.pk)
    live = letter_request_is_live(req)
    application = req.application if req.application_id else None
    writer = req.writer if req.writer_id else None
    outside = writer is None
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
            try:
                letter_request_update(
                    actor=user,
                    letter_request=req,
                    data=_edit_input(form, live=live, application=application, writer=writer),
                    send="send" in request.POST,
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc, field_map=FIELD_MAP)
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
            "writer": writer,
            "outside": outside,
            "guidance": guidance_for(application, req.due_date),
            "editing": req,
            "live": live,
            **_message_wiring(
                application,
                req.writer_name if writer is not None else "",
                req.writer_title if writer is not None else "",
            ),
        },
        status=status,
    )
