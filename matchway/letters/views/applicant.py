"""The applicant's pages: request list, one request and its actions, downloads, programs.

Thin: parse → one service or selector → render. The composer and edit page live in
`compose.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, RateLimited, ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.http import client_ip

from ..brag import brag_sheet_lines
from ..forms import FIELD_MAP, AssignmentForm, WithdrawForm
from ..models import LetterRequest
from ..selectors import (
    letter_assignable_list,
    letter_assignment_get,
    letter_assignment_programs,
    letter_request_list,
    letter_request_view,
    letter_request_views,
)
from ..services.assignments import letter_assign, letter_unassign, max_letters_per_program
from ..services.requests import (
    letter_request_nudge,
    letter_request_record_view,
    letter_request_renew_link,
    letter_request_send,
    letter_request_withdraw,
)
from .common import brag_sheet_download, guidance_for, letter_file_response, request_or_404


@role_required(Role.APPLICANT)
def request_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    items = letter_request_views(viewer=user, requests=letter_request_list(viewer=user))
    return render(request, "letters/request_list.html", {"items": items})


# --- one request ----------------------------------------------------------------------------


@role_required(Role.APPLICANT)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    req = request_or_404(user, pk)
    view = letter_request_view(viewer=user, letter_request=req)
    letter_request_record_view(
        actor=user, letter_request=req, action="letter_request.viewed", ip=client_ip(request)
    )
    application = req.application if req.application_id else None
    return render(
        request,
        "letters/request_detail.html",
        {
            "item": view,
            "brag_lines": brag_sheet_lines(view.brag_sheet),
            "guidance": guidance_for(application, view.due_date) if view.is_draft else None,
            "withdraw_form": WithdrawForm(),
        },
    )


# An action on one request: calls one service and returns the success message.
RequestAction = Callable[[User, LetterRequest, str | None, HttpRequest], str]


def _run_action(request: HttpRequest, pk: int, action: RequestAction) -> HttpResponse:
    user = current_user(request)
    req = request_or_404(user, pk)
    try:
        messages.success(request, action(user, req, client_ip(request), request))
    except RateLimited as exc:
        messages.warning(request, exc.message)
    except ValidationFailed as exc:
        text = " ".join(m for msgs in exc.errors.values() for m in msgs) or exc.message
        messages.error(request, text)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("letters:request-detail", pk=pk)


def _send(user: User, req: LetterRequest, ip: str | None, request: HttpRequest) -> str:
    letter_request_send(actor=user, letter_request=req, ip=ip)
    return _("Your request is on its way to %(name)s.") % {"name": req.writer_name}


def _withdraw(user: User, req: LetterRequest, ip: str | None, request: HttpRequest) -> str:
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    letter_request_withdraw(actor=user, letter_request=req, reason=reason, ip=ip)
    return _("The request is withdrawn.")


def _nudge(user: User, req: LetterRequest, ip: str | None, request: HttpRequest) -> str:
    letter_request_nudge(actor=user, letter_request=req, ip=ip)
    return _("We sent %(name)s a friendly reminder.") % {"name": req.writer_name}


def _renew(user: User, req: LetterRequest, ip: str | None, request: HttpRequest) -> str:
    letter_request_renew_link(actor=user, letter_request=req, ip=ip)
    return _("We emailed %(name)s a new link; earlier links no longer work.") % {
        "name": req.writer_name
    }


@require_POST
@role_required(Role.APPLICANT)
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_action(request, pk, _send)


@require_POST
@role_required(Role.APPLICANT)
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_action(request, pk, _withdraw)


@require_POST
@role_required(Role.APPLICANT)
def request_nudge(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_action(request, pk, _nudge)


@require_POST
@role_required(Role.APPLICANT)
def request_renew(request: HttpRequest, pk: int) -> HttpResponse:
    return _run_action(request, pk, _renew)


@require_GET
@role_required(Role.APPLICANT)
def request_brag_sheet(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = current_user(request)
    return brag_sheet_download(request, user=user, letter_request=request_or_404(user, pk), fmt=fmt)


@require_GET
@role_required(Role.APPLICANT)
def request_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A non-waived letter, for its applicant. Waived (or absent) → 404, like any hidden file."""
    user = current_user(request)
    return letter_file_response(request, user=user, pk=pk)


# --- programs ---------------------------------------------------------------------------------


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
                letter_assign(
                    actor=user,
                    letter_id=form.cleaned_data["letter"],
                    program_label=form.cleaned_data["program_label"],
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                form_add_errors(form, exc, field_map=FIELD_MAP)
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
            "limit": max_letters_per_program(),
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
    letter_unassign(actor=user, assignment=assignment, ip=client_ip(request))
    messages.success(
        request, _("Letter removed from %(program)s.") % {"program": assignment.program_label}
    )
    return redirect("letters:assignments")
