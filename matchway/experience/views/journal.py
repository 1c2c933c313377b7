"""Journal pages: list, guided editor with autosave and the PHI guard, entry, summary,
exports. The applicant owns the journal; a preceptor reads shared entries and comments;
anyone else (coordinators included) gets 404."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.core import clock
from matchway.core.audit import audit_record
from matchway.core.csv_export import csv_response
from matchway.core.exceptions import (
    AccessDenied,
    ApplicationError,
    InvalidTransition,
    ValidationFailed,
)
from matchway.core.forms import form_add_errors
from matchway.core.htmx import wants_fragment
from matchway.experience.forms import JournalCommentForm, JournalEntryForm
from matchway.experience.models import JournalEntry, JournalKind
from matchway.experience.pdf import JournalPdfEntry, journal_pdf
from matchway.experience.selectors import viewer_role
from matchway.experience.selectors_pages import (
    journal_entries_for_user,
    journal_entry_get_for_user,
    journal_summary,
)
from matchway.experience.services import journal as svc
from matchway.experience.services import journal_autosave as autosave_svc
from matchway.experience.services import journal_entries as entry_svc
from matchway.experience.services import journal_phi as phi_svc
from matchway.experience.views.common import application_for, viewer
from matchway.experience.views.phi import review_fields
from matchway.rotations.models import Application

EDIT_TEMPLATE = "experience/journal_edit.html"
START_TEMPLATE = "experience/journal_start.html"


def _owner_entry(request: HttpRequest, application_id: int, entry_id: int) -> JournalEntry:
    """The applicant's own entry (preceptors and everyone else: 404)."""
    application = application_for(request, application_id, "journal")
    if application.applicant_id != viewer(request).pk:
        raise Http404
    return journal_entry_get_for_user(
        user=viewer(request), application=application, entry_id=entry_id
    )


@login_required
def journal_list(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "journal")
    entries = list(
        journal_entries_for_user(user=user, application=application).prefetch_related("comments")
    )
    role = viewer_role(user, application)
    return render(
        request,
        "experience/journal_list.html",
        {
            "application": application,
            "entries": [(entry, svc.entry_preview(entry)) for entry in entries],
            "role": role,
            "editable": role == "owner" and svc.journal_is_editable(application),
            "kinds": JournalKind.choices,
        },
    )


@login_required
def journal_new(request: HttpRequest, application_id: int, kind: str) -> HttpResponse:
    """A blank entry of one kind. Nothing is stored until something is typed: GET shows
    the kind's questions; the first POST with text creates the entry and stores it as the
    draft (through the PHI guard), then the full editor takes over."""
    user = viewer(request)
    application = application_for(request, application_id, "journal")
    if application.applicant_id != user.pk or kind not in JournalKind.values:
        raise Http404
    prompts = svc.prompts_for(kind)
    start_context = {
        "application": application,
        "kind": kind,
        "kind_label": JournalKind(kind).label,
        "editable": svc.journal_is_editable(application),
    }
    if request.method != "POST":
        form = JournalEntryForm(
            initial={
                "entry_date": entry_svc.journal_default_date(application),
                "revision": 0,
            },
            prompts=prompts,
        )
        return render(request, START_TEMPLATE, {**start_context, "form": form})
    form = JournalEntryForm(request.POST, prompts=prompts)
    data = JournalEntryForm.data_from(request.POST, prompts)
    hours = request.POST.get("hours", "")
    if not any(value.strip() for value in data.values()) and not hours.strip():
        form.is_valid()
        form.add_error(None, _("Type something first: nothing is saved until you do."))
        return render(request, START_TEMPLATE, {**start_context, "form": form}, status=422)
    try:
        entry = entry_svc.journal_entry_create(actor=user, application=application, kind=kind)
        entry = autosave_svc.journal_entry_autosave(
            actor=user,
            entry=entry,
            data=data,
            hours=hours,
            entry_date=request.POST.get("entry_date", ""),
            editor=autosave_svc.EditorState(revision=entry.revision),
        )
    except autosave_svc.DraftHeld as held:
        # Possible PHI: the entry exists but none of the text was stored; show the editor
        # with the typed text and its findings (the browser keeps it, see journal.js).
        entry.refresh_from_db()
        return render(request, EDIT_TEMPLATE, _editor_context(entry, application, copy=held.copy))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("experience:journal", application_id=application.pk)
    return redirect("experience:journal-edit", application_id=application.pk, entry_id=entry.pk)


def _labels(entry: JournalEntry) -> dict[str, str]:
    return {p.key: str(p.label) for p in svc.prompts_for(entry.kind) if p.free_text}


def _editor_context(
    entry: JournalEntry,
    application: Application,
    form: JournalEntryForm | None = None,
    client: str = "",
    copy: svc.WorkingCopy | None = None,
) -> dict[str, Any]:
    """The editor's context. `copy` is typed text the server did not store (open PHI
    findings); it is shown and reviewed instead of the stored working copy."""
    held = copy is not None
    copy = copy or svc.working_copy(entry)
    prompts = svc.prompts_for(entry.kind)
    if form is None:
        form = JournalEntryForm(
            initial=JournalEntryForm.initial_for(
                copy.data,
                copy.hours,
                copy.entry_date,
                entry.revision,
                client[:64] or secrets.token_hex(8),
            ),
            prompts=prompts,
        )
    findings = svc.phi_findings(entry, copy.data)
    return {
        "application": application,
        "entry": entry,
        "form": form,
        "review": review_fields(_labels(entry), copy.data, findings),
        "finding_count": svc.finding_count(findings),
        "unsaved": svc.has_unsaved_changes(entry),
        "held": held,
        # Defined even when False: a missing variable makes Django's template engine log
        # the whole context (typed text included) at DEBUG - the PHI canary caught that.
        "oob": False,
        "editable": svc.journal_is_editable(application),
    }


@login_required
def journal_edit(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    user = viewer(request)
    entry = _owner_entry(request, application_id, entry_id)
    application = entry.application
    if request.method != "POST":
        return render(request, EDIT_TEMPLATE, _editor_context(entry, application))
    prompts = svc.prompts_for(entry.kind)
    form = JournalEntryForm(request.POST, prompts=prompts)
    form.is_valid()  # only to render errors and keep typed values; the service decides
    try:
        result = autosave_svc.journal_entry_save(
            actor=user,
            entry=entry,
            data=JournalEntryForm.data_from(request.POST, prompts),
            hours=request.POST.get("hours", ""),
            entry_date=request.POST.get("entry_date", ""),
            editor=_editor_state(request),
        )
    except ValidationFailed as exc:
        entry.refresh_from_db()
        form_add_errors(form, exc)
        typed = autosave_svc.typed_copy_from(
            entry, JournalEntryForm.data_from(request.POST, prompts)
        )
        context = _editor_context(entry, application, form, copy=typed)
        return render(request, EDIT_TEMPLATE, context, status=422)
    except InvalidTransition as exc:
        # Conflict or read-only: show the typed text again with the reason, lose nothing.
        form_add_errors(form, exc)
        context = _editor_context(entry, application, form)
        return render(request, EDIT_TEMPLATE, context, status=409)
    if not result.saved:
        # Nothing was stored: show the typed text with its findings (and keep it in the
        # browser, see journal.js).
        context = _editor_context(
            result.entry, application, client=request.POST.get("client", ""), copy=result.copy
        )
        return render(request, EDIT_TEMPLATE, context, status=200)
    messages.success(request, _("Entry saved."))
    return redirect("experience:journal-entry", application_id=application.pk, entry_id=entry.pk)


def _editor_state(request: HttpRequest) -> autosave_svc.EditorState:
    return autosave_svc.EditorState(
        revision=_int(request.POST.get("revision")),
        client=request.POST.get("client", "")[:64],
        generation=_int(request.POST.get("generation")),
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return -1


@login_required
@require_POST
def journal_autosave(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    """htmx: store the typed text as the draft; answer with status + live PHI review."""
    user = viewer(request)
    entry = _owner_entry(request, application_id, entry_id)
    prompts = svc.prompts_for(entry.kind)
    try:
        entry = autosave_svc.journal_entry_autosave(
            actor=user,
            entry=entry,
            data=JournalEntryForm.data_from(request.POST, prompts),
            hours=request.POST.get("hours", ""),
            entry_date=request.POST.get("entry_date", ""),
            editor=_editor_state(request),
        )
    except autosave_svc.StaleEdit:
        # A request from a form this tab already replaced: the newer form is in charge.
        return HttpResponse(status=204)
    except autosave_svc.DraftHeld as held:
        # Possible PHI: nothing was stored; the page keeps the text in the browser only.
        entry.refresh_from_db()
        context = _editor_context(
            entry, entry.application, client=request.POST.get("client", ""), copy=held.copy
        )
        context["message"] = held.message
        return render(request, f"{EDIT_TEMPLATE}#autosave-held", context)
    except ApplicationError as exc:
        return render(
            request,
            f"{EDIT_TEMPLATE}#autosave-failed",
            {"message": exc.message},
            status=409 if isinstance(exc, InvalidTransition) else 422,
        )
    context = _editor_context(entry, entry.application, client=request.POST.get("client", ""))
    context["saved_at"] = entry.draft_saved_at
    return render(request, f"{EDIT_TEMPLATE}#autosave-ok", context)


def _absorb_typed(
    request: HttpRequest, entry: JournalEntry
) -> tuple[JournalEntry, int, svc.WorkingCopy | None]:
    """With htmx the PHI buttons send the whole form too: save that text first, so a
    replacement never overwrites what was typed since the last autosave. Text with open
    findings is not stored: it comes back as the typed copy the action works on."""
    prompts = svc.prompts_for(entry.kind)
    if "revision" not in request.POST:
        return entry, entry.revision, None  # no-JS form: the page showed the current copy
    try:
        entry = autosave_svc.journal_entry_autosave(
            actor=viewer(request),
            entry=entry,
            data=JournalEntryForm.data_from(request.POST, prompts),
            hours=request.POST.get("hours", ""),
            entry_date=request.POST.get("entry_date", ""),
            editor=_editor_state(request),
        )
    except autosave_svc.DraftHeld as held:
        entry.refresh_from_db()
        return entry, entry.revision, held.copy
    return entry, entry.revision, None


def _editor_response(
    request: HttpRequest, entry: JournalEntry, copy: svc.WorkingCopy | None = None
) -> HttpResponse:
    if wants_fragment(request) or copy is not None:
        # A copy that was not stored must be shown now: a redirect would lose it.
        context = _editor_context(
            entry, entry.application, client=request.POST.get("client", ""), copy=copy
        )
        template = f"{EDIT_TEMPLATE}#editor" if wants_fragment(request) else EDIT_TEMPLATE
        return render(request, template, context)
    return redirect(
        "experience:journal-edit", application_id=entry.application_id, entry_id=entry.pk
    )


def _phi_action(
    request: HttpRequest,
    application_id: int,
    entry_id: int,
    act: Callable[[JournalEntry, int, svc.WorkingCopy | None], phi_svc.EditorCopy],
) -> HttpResponse:
    """Absorb what the owner typed, then `act(entry, revision, typed)` on one finding; a
    refused act is a warning over the editor, as it stands now."""
    entry = _owner_entry(request, application_id, entry_id)
    typed: svc.WorkingCopy | None = None
    try:
        entry, revision, typed = _absorb_typed(request, entry)
        result = act(entry, revision, typed)
        entry, typed = result.entry, (None if result.stored else result.copy)
    except ApplicationError as exc:
        messages.warning(request, exc.message)
        entry.refresh_from_db()
    return _editor_response(request, entry, typed)


@login_required
@require_POST
def journal_phi_replace(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    return _phi_action(
        request,
        application_id,
        entry_id,
        lambda entry, revision, typed: phi_svc.journal_phi_replace(
            actor=viewer(request),
            entry=entry,
            field=request.POST.get("field", ""),
            start=_int(request.POST.get("start")),
            end=_int(request.POST.get("end")),
            expected=request.POST.get("expected", ""),
            revision=revision,
            typed=typed,
        ),
    )


@login_required
@require_POST
def journal_phi_dismiss(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    return _phi_action(
        request,
        application_id,
        entry_id,
        lambda entry, revision, typed: phi_svc.journal_phi_dismiss(
            actor=viewer(request),
            entry=entry,
            field=request.POST.get("field", ""),
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            revision=revision,
            typed=typed,
        ),
    )


def _display_rows(entry: JournalEntry) -> list[tuple[str, str]]:
    rows = []
    for prompt in svc.prompts_for(entry.kind):
        value = str(entry.data.get(prompt.key, "") or "")
        if prompt.choices:
            value = svc.choice_label(prompt, value) if value else ""
        rows.append((str(prompt.label), value))
    return rows


@login_required
def journal_entry(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "journal")
    entry = journal_entry_get_for_user(user=user, application=application, entry_id=entry_id)
    role = viewer_role(user, application)
    findings = svc.phi_findings(entry, {k: str(v) for k, v in entry.data.items()})
    return render(
        request,
        "experience/journal_entry.html",
        {
            "application": application,
            "entry": entry,
            "role": role,
            "rows": _display_rows(entry),
            "finding_count": svc.finding_count(findings),
            "unsaved": svc.has_unsaved_changes(entry),
            "editable": role == "owner" and svc.journal_is_editable(application),
            "comment_form": JournalCommentForm(),
            "comments": list(entry.comments.all()),
            "has_preceptor": application.session.rotation.preceptors.exists(),
        },
    )


@login_required
@require_POST
def journal_share(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    user = viewer(request)
    entry = _owner_entry(request, application_id, entry_id)
    try:
        if request.POST.get("action") == "unshare":
            entry_svc.journal_entry_unshare(actor=user, entry=entry)
            messages.success(request, _("The entry is private again."))
        else:
            entry_svc.journal_entry_share(actor=user, entry=entry)
            messages.success(request, _("Shared with your preceptor."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("experience:journal-entry", application_id=application_id, entry_id=entry.pk)


@login_required
@require_POST
def journal_comment(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "journal")
    entry = journal_entry_get_for_user(user=user, application=application, entry_id=entry_id)
    form = JournalCommentForm(request.POST)
    if form.is_valid():
        try:
            entry_svc.journal_comment_add(actor=user, entry=entry, body=form.cleaned_data["body"])
            messages.success(request, _("Comment added."))
        except AccessDenied:
            raise Http404 from None
        except ApplicationError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Write a comment of at most 4,000 characters."))
    return redirect("experience:journal-entry", application_id=application_id, entry_id=entry.pk)


@login_required
@require_POST
def journal_delete(request: HttpRequest, application_id: int, entry_id: int) -> HttpResponse:
    entry = _owner_entry(request, application_id, entry_id)
    try:
        entry_svc.journal_entry_delete(actor=viewer(request), entry=entry)
        messages.success(request, _("Entry deleted."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("experience:journal", application_id=application_id)


def _own_application(request: HttpRequest, application_id: int) -> Application:
    application = application_for(request, application_id, "journal")
    if application.applicant_id != viewer(request).pk:
        raise Http404
    return application


@login_required
def journal_summary_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    entries = list(journal_entries_for_user(user=viewer(request), application=application))
    return render(
        request,
        "experience/journal_summary.html",
        {"application": application, "summary": journal_summary(application, entries)},
    )


def _export_rows(entries: list[JournalEntry]) -> tuple[list[str], list[list[str]]]:
    keys: list[tuple[str, str]] = []
    for kind in JournalKind.values:
        for prompt in svc.prompts_for(kind):
            if (prompt.key, str(prompt.label)) not in keys:
                keys.append((prompt.key, str(prompt.label)))
    header = [_("Date"), _("Kind"), _("Hours"), _("Shared"), *[label for _k, label in keys]]
    rows = []
    for entry in sorted(entries, key=lambda e: (e.entry_date, e.pk)):
        prompts = {p.key: p for p in svc.prompts_for(entry.kind)}
        values = []
        for key, _label in keys:
            raw = str(entry.data.get(key, "") or "") if key in prompts else ""
            if key in prompts and prompts[key].choices and raw:
                raw = svc.choice_label(prompts[key], raw)
            values.append(raw)
        rows.append(
            [
                entry.entry_date.isoformat(),
                str(entry.get_kind_display()),
                str(entry.hours if entry.hours is not None else ""),
                _("yes") if entry.shared_with_preceptor else _("no"),
                *values,
            ]
        )
    return [str(h) for h in header], rows


@login_required
def journal_export_csv(request: HttpRequest, application_id: int) -> StreamingHttpResponse:
    application = _own_application(request, application_id)
    entries = [
        e
        for e in journal_entries_for_user(user=viewer(request), application=application)
        if not e.is_draft
    ]
    header, rows = _export_rows(entries)
    response = csv_response(filename=f"journal-{application.pk}.csv", header=header, rows=rows)
    audit_record(
        actor=viewer(request),
        action="journal.export",
        target=application,
        data={"format": "csv", "entries": len(rows)},
        request=request,
    )
    return response


@login_required
def journal_export_pdf(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    entries = list(journal_entries_for_user(user=viewer(request), application=application))
    summary = journal_summary(application, entries)
    saved = sorted((e for e in entries if not e.is_draft), key=lambda e: (e.entry_date, e.pk))
    rotation = application.session.rotation
    data = journal_pdf(
        title=_("Rotation journal: %(title)s") % {"title": rotation.title},
        subtitle=(
            f"{application.applicant.full_name} · {rotation.site.name} · "
            f"{application.session.start_date:%b %d} – {application.session.end_date:%b %d, %Y}"
        ),
        summary=[
            (_("Entries"), str(summary.entries)),
            (_("Hours (your journal)"), str(summary.hours_logged)),
            (_("Hours (confirmed)"), str(summary.hours_confirmed)),
            (_("Cases by diagnosis"), ", ".join(f"{k} ({n})" for k, n in summary.by_diagnosis)),
            (_("Skills"), ", ".join(f"{k} ({n})" for k, n in summary.skills[:15])),
        ],
        entries=[
            JournalPdfEntry(
                heading=f"{entry.get_kind_display()} · {entry.entry_date:%A, %B %d, %Y}"
                + (f" · {entry.hours} h" if entry.hours is not None else ""),
                lines=_display_rows(entry),
            )
            for entry in saved
        ],
        generated_on=clock.viewer_today(),
    )
    audit_record(
        actor=viewer(request),
        action="journal.export",
        target=application,
        data={"format": "pdf", "entries": len(saved)},
        request=request,
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="journal-{application.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
