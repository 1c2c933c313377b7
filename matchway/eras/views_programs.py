"""HTML pages for the program side of the season: list (filters, pagination), add/edit/
delete, CSV import/export, shared list, detail with fit and documents, readiness. Thin: parse,
call one service or selector, render. Every page works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.core.audit import audit_record
from matchway.core.csv_export import csv_response
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors
from matchway.letters.selectors import letter_assignable_list
from matchway.statements.selectors import statement_list_for_user

from . import forms_programs as f
from .models import Program, ProgramTarget, RequirementKind, TargetStatus
from .readiness import readiness_for_user
from .selectors_programs import (
    TargetFilters,
    own_acgme_ids,
    shared_program_get,
    shared_program_list,
    target_filter_choices,
    target_get_for_user,
    target_row_for_user,
    target_rows_for_user,
)
from .services import csv_io
from .services.programs import (
    program_add,
    program_delete,
    program_input_from,
    program_update,
    shared_program_copy,
    shared_program_create,
)
from .services.signals import target_signal_set
from .services.targets import (
    allowed_next,
    target_letter_assign,
    target_letter_unassign,
    target_statement_set,
    target_status_set,
    target_update,
)

PER_PAGE = 25
applicant_only = role_required("applicant")


def _target_or_404(request: HttpRequest, pk: int) -> ProgramTarget:
    target = target_get_for_user(user=current_user(request), pk=pk)
    if target is None:
        raise Http404
    return target


@applicant_only
def program_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    filters = TargetFilters.from_query(request.GET)
    form = f.FilterForm(request.GET or None)
    choices = target_filter_choices(user=user)
    form.fields["specialty"].choices = [("", _("Any")), *choices["specialties"]]  # type: ignore[attr-defined]
    form.fields["state"].choices = [("", _("Any")), *choices["states"]]  # type: ignore[attr-defined]
    rows = target_rows_for_user(user=user, filters=filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    filtered = any(getattr(filters, name) for name in ("specialty", "state", "fit", "status"))
    return render(
        request,
        "eras/programs/program_list.html",
        {"page": page, "form": form, "filtered": filtered or bool(filters.signal)},
    )


def _program_form_page(
    request: HttpRequest,
    form: f.ProgramForm,
    *,
    title: str,
    target: Any = None,
    cancel_url: str = "",
) -> HttpResponse:
    return render(
        request,
        "eras/programs/program_form.html",
        {"form": form, "title": title, "target": target, "cancel_url": cancel_url},
    )


@applicant_only
def program_add_view(request: HttpRequest) -> HttpResponse:
    form = f.ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = program_add(actor=current_user(request), data=form.to_input())
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Program added to your list."))
            return redirect("eras:program-detail", pk=target.pk)
    return _program_form_page(request, form, title=_("Add a program"))


@applicant_only
def program_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_or_404(request, pk)
    initial = f.ProgramForm.initial_from(program_input_from(target.program))
    form = f.ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            program_update(
                actor=current_user(request), program=target.program, data=form.to_input()
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Program saved."))
            return redirect("eras:program-detail", pk=target.pk)
    return _program_form_page(request, form, title=_("Edit program"), target=target)


@applicant_only
@require_POST
def program_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    target = _target_or_404(request, pk)
    program_delete(actor=current_user(request), program=target.program)
    messages.success(request, _("Program removed from your list."))
    return redirect("eras:programs")


@applicant_only
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    row = target_row_for_user(user=user, pk=pk)
    if row is None:
        raise Http404
    target = row.target
    letters = letter_assignable_list(viewer=user)
    assigned = {item.letter_id for _aid, item in row.letters}
    letter_form = f.LetterForm()
    letter_form.fields["letter"].choices = [  # type: ignore[attr-defined]
        (item.letter_id, f"{item.writer_name} — {item.specialty_label}")
        for item in letters
        if item.letter_id not in assigned
    ]
    statements = list(statement_list_for_user(user=user))
    statement_form = f.StatementForm(
        initial={
            "statement": target.statement_version.statement_id if target.statement_version else None
        }
    )
    statement_form.fields["statement"].choices = [("", _("None"))] + [  # type: ignore[attr-defined]
        (s.pk, s.title) for s in statements
    ]
    status_form = f.StatusForm(initial={"status": target.status})
    status_form.fields["status"].choices = [  # type: ignore[attr-defined]
        (value, label)
        for value, label in status_form.fields["status"].choices  # type: ignore[attr-defined]
        if value in allowed_next(target.status)
    ]
    checklist = [
        (_("At least one letter assigned"), bool(row.letters)),
        (_("A personal statement assigned"), target.statement_version_id is not None),
        (_("Experiences used noted"), bool(target.experiences_note.strip())),
        (_("Every requirement met"), row.fit == "met"),
    ]
    return render(
        request,
        "eras/programs/program_detail.html",
        {
            "row": row,
            "target": target,
            "program": target.program,
            "changes": [
                (c.changed_at, TargetStatus(c.to_status).label) for c in target.changes.all()
            ],
            "letter_form": letter_form,
            "statement_form": statement_form,
            "status_form": status_form,
            "signal_form": f.SignalForm(initial={"signal": target.signal}),
            "notes_form": f.NotesForm(
                initial={
                    "notes": target.notes,
                    "experiences_note": target.experiences_note,
                    "geographic_preference": target.geographic_preference,
                }
            ),
            "checklist": checklist,
            "letter_slots_full": len(row.letters) >= 4,
        },
    )


def _post_action(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    """Run one target action; a domain error becomes a message on the detail page."""
    target = _target_or_404(request, pk)
    try:
        action(current_user(request), target)
    except ApplicationError as exc:
        errors = getattr(exc, "errors", None) or {}
        text = " ".join(str(m) for msgs in errors.values() for m in msgs) or exc.message
        messages.error(request, text)
    else:
        messages.success(request, _("Saved."))
    return redirect("eras:program-detail", pk=target.pk)


@applicant_only
@require_POST
def target_status(request: HttpRequest, pk: int) -> HttpResponse:
    status = request.POST.get("status", "")
    return _post_action(
        request, pk, lambda u, t: target_status_set(actor=u, target=t, status=status)
    )


@applicant_only
@require_POST
def target_signal(request: HttpRequest, pk: int) -> HttpResponse:
    signal = request.POST.get("signal", "")
    return _post_action(
        request, pk, lambda u, t: target_signal_set(target=t, signal=signal, actor=u)
    )


@applicant_only
@require_POST
def target_notes(request: HttpRequest, pk: int) -> HttpResponse:
    form = f.NotesForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    return _post_action(
        request,
        pk,
        lambda u, t: target_update(
            actor=u,
            target=t,
            notes=data.get("notes", ""),
            experiences_note=data.get("experiences_note", ""),
            geographic_preference=bool(data.get("geographic_preference")),
        ),
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@applicant_only
@require_POST
def target_statement(request: HttpRequest, pk: int) -> HttpResponse:
    statement_id = _int_or_none(request.POST.get("statement"))
    return _post_action(
        request,
        pk,
        lambda u, t: target_statement_set(actor=u, target=t, statement_id=statement_id),
    )


@applicant_only
@require_POST
def target_letter_add(request: HttpRequest, pk: int) -> HttpResponse:
    letter_id = _int_or_none(request.POST.get("letter"))

    def action(user: Any, target: ProgramTarget) -> None:
        if letter_id is None:
            raise ApplicationError(_("Choose a letter."))
        target_letter_assign(actor=user, target=target, letter_id=letter_id)

    return _post_action(request, pk, action)


@applicant_only
@require_POST
def target_letter_remove(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda u, t: target_letter_unassign(actor=u, target=t, assignment_id=assignment_id),
    )


@applicant_only
def program_import(request: HttpRequest) -> HttpResponse:
    form = f.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = csv_io.programs_import(
                actor=current_user(request), data=upload.read(csv_io.MAX_BYTES + 1)
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
    return render(
        request,
        "eras/programs/program_import.html",
        {
            "form": form,
            "result": result,
            "required": csv_io.REQUIRED_COLUMNS,
            "optional": csv_io.OPTIONAL_COLUMNS,
            "requirement_kinds": RequirementKind.choices,
        },
    )


@applicant_only  # type: ignore[arg-type]  # a streamed CSV, not an HttpResponse
def program_export(request: HttpRequest) -> StreamingHttpResponse:
    user = current_user(request)
    rows = target_rows_for_user(user=user)
    audit_record(actor=user, action="eras_program.exported", target=user, data={"rows": len(rows)})
    return csv_response(
        filename="eras-programs.csv", header=csv_io.EXPORT_HEADER, rows=csv_io.export_rows(rows)
    )


@role_required("applicant", "coordinator")
def shared_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(shared_program_list(q=q), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "eras/programs/shared_list.html",
        {"page": page, "q": q, "mine": own_acgme_ids(user=user)},
    )


@applicant_only
@require_POST
def shared_copy(request: HttpRequest, pk: int) -> HttpResponse:
    shared = shared_program_get(pk=pk)
    if shared is None:
        raise Http404
    try:
        target = shared_program_copy(actor=current_user(request), shared=shared)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("eras:shared-list")
    messages.success(request, _("Copied to your list."))
    return redirect("eras:program-detail", pk=target.pk)


@role_required("coordinator")
def shared_add(request: HttpRequest) -> HttpResponse:
    form = f.ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shared_program_create(actor=current_user(request), data=form.to_input())
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Program added to the shared list."))
            return redirect("eras:shared-list")
    return _program_form_page(
        request,
        form,
        title=_("Add a program to the shared list"),
        cancel_url=reverse("eras:shared-list"),
    )


def _shared_or_404(pk: int) -> Program:
    shared = shared_program_get(pk=pk)
    if shared is None:
        raise Http404
    return shared


@role_required("coordinator")
def shared_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shared = _shared_or_404(pk)
    initial = f.ProgramForm.initial_from(program_input_from(shared))
    form = f.ProgramForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            program_update(actor=current_user(request), program=shared, data=form.to_input())
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Shared program saved."))
            return redirect("eras:shared-list")
    return _program_form_page(
        request,
        form,
        title=_("Edit a program on the shared list"),
        cancel_url=reverse("eras:shared-list"),
    )


@role_required("coordinator")
def shared_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; only POST deletes."""
    shared = _shared_or_404(pk)
    if request.method == "POST":
        program_delete(actor=current_user(request), program=shared)
        messages.success(request, _("Program removed from the shared list."))
        return redirect("eras:shared-list")
    return render(request, "eras/programs/shared_delete.html", {"program": shared})


@applicant_only
def readiness(request: HttpRequest) -> HttpResponse:
    items = readiness_for_user(user=current_user(request))
    return render(
        request,
        "eras/programs/readiness.html",
        {
            "items": items,
            "missing": sum(1 for i in items if i.status != "done"),
            "programs_url": reverse("eras:programs"),
        },
    )
