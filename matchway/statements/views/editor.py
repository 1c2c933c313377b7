"""The editor: page, htmx autosave, manual save, one-click normalization, analysis polling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.core import clock
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors
from matchway.core.htmx import hx_trigger, wants_fragment
from matchway.core.http import client_ip

from .. import services
from ..forms import (
    EditorForm,
)
from ..models import Statement, StatementVersion, VersionSource
from ..selectors import (
    comment_list_for_statement,
    statement_max_chars,
    version_get,
    version_latest,
    writing_material_for_applicant,
)
from .common import (
    analysis_panel,
    applicant_only,
    changes_for,
    statement_or_404,
)


def _editor_context(
    request: HttpRequest, statement: Statement, form: EditorForm | None = None
) -> dict[str, Any]:
    latest = version_latest(statement)
    if form is None:
        form = EditorForm(
            initial={"body": latest.body if latest else "", "base": latest.number if latest else 0}
        )
    changes_version: StatementVersion | None = None
    wanted = request.GET.get("changes", "")
    if wanted.isdigit():
        changes_version = version_get(statement, int(wanted))
        if changes_version is not None and changes_version.source != VersionSource.NORMALIZED:
            changes_version = None
    comments = comment_list_for_statement(statement, current=latest)
    return {
        "statement": statement,
        "version": latest,
        "form": form,
        "analysis": analysis_panel(statement, latest),
        "material": writing_material_for_applicant(user=current_user(request)),
        "open_comments": [c for c in comments if not c.comment.is_resolved],
        "changes": changes_for(changes_version),
        "changes_version": changes_version,
        "max_chars": statement_max_chars(),
        "max_body_chars": services.MAX_BODY_CHARS,
    }


@applicant_only
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    return render(request, "statements/statement_editor.html", _editor_context(request, statement))


def _save_status(
    request: HttpRequest,
    statement: Statement,
    *,
    result: services.SaveResult | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    version = result.version if result else version_latest(statement)
    context = {
        "statement": statement,
        "version": version,
        "result": result,
        "error": error,
        "saved_at": clock.now(),
        "analysis": analysis_panel(statement, version) if not error else None,
        "oob": True,
    }
    response = render(
        request, "statements/statement_editor.html#autosave-response", context, status=status
    )
    if result is not None and not error:
        hx_trigger(
            response,
            {"statement-saved": {"number": version.number if version else 0}},
        )
    return response


@applicant_only
@require_POST
def autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx autosave. Errors answer 409/422 with a message; the text stays in the editor."""
    statement = statement_or_404(request, pk)
    if not wants_fragment(request):
        return save_version(request, pk)
    form = EditorForm(request.POST)
    if not form.is_valid():
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return _save_status(request, statement, error=error, status=422)
    try:
        result = services.statement_save(
            actor=current_user(request),
            statement=statement,
            body=form.cleaned_data["body"],
            source=VersionSource.AUTOSAVE,
            base_number=form.cleaned_data["base"],
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        return _save_status(request, statement, error=exc.message, status=exc.status)
    return _save_status(request, statement, result=result)


def _editor_error(
    request: HttpRequest, statement: Statement, form: EditorForm, exc: ApplicationError
) -> HttpResponse:
    form_add_errors(form, exc)
    context = _editor_context(request, statement, form)
    return render(request, "statements/statement_editor.html", context, status=exc.status)


@applicant_only
@require_POST
def save_version(request: HttpRequest, pk: int) -> HttpResponse:
    """'Save version' (and the editor's no-JavaScript submit): always a manual version."""
    statement = statement_or_404(request, pk)
    form = EditorForm(request.POST)
    if not form.is_valid():
        context = _editor_context(request, statement, form)
        return render(request, "statements/statement_editor.html", context, status=422)
    try:
        result = services.statement_save(
            actor=current_user(request),
            statement=statement,
            body=form.cleaned_data["body"],
            source=VersionSource.MANUAL,
            base_number=form.cleaned_data["base"],
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        return _editor_error(request, statement, form, exc)
    if result.version is None:
        messages.info(request, _("Nothing to save yet: the statement is empty."))
    elif result.conflict:
        messages.warning(
            request,
            _(
                "This statement was changed in another window. Your text was saved as "
                "version %(n)s; compare the versions to combine them."
            )
            % {"n": result.version.number},
        )
    else:
        messages.success(request, _("Saved as version %(n)s.") % {"n": result.version.number})
    return redirect("statements:editor", pk=statement.pk)


@applicant_only
@require_POST
def normalize(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: save what is in the editor, then fix characters ERAS would garble."""
    statement = statement_or_404(request, pk)
    form = EditorForm(request.POST)
    if not form.is_valid():
        context = _editor_context(request, statement, form)
        return render(request, "statements/statement_editor.html", context, status=422)
    body = form.cleaned_data["body"] if "body" in request.POST else None
    try:
        result = services.statement_normalize(
            actor=current_user(request),
            statement=statement,
            body=body,
            base_number=form.cleaned_data["base"],
            ip=client_ip(request),
        )
    except ApplicationError as exc:
        return _editor_error(request, statement, form, exc)
    if not result.created or result.version is None:
        messages.info(request, _("Nothing to fix: the text is already plain-text safe."))
        return redirect("statements:editor", pk=statement.pk)
    messages.success(
        request,
        _("Fixed %(count)s characters for ERAS plain text; saved as version %(n)s.")
        % {"count": len(result.changes), "n": result.version.number},
    )
    url = reverse("statements:editor", args=[statement.pk])
    return redirect(f"{url}?changes={result.version.number}#changes")


@applicant_only
@never_cache
def analysis_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled by the editor while a long text is analysed; a status page without htmx."""
    statement = statement_or_404(request, pk)
    version = version_latest(statement)
    context = {
        "statement": statement,
        "version": version,
        "analysis": analysis_panel(statement, version),
    }
    if wants_fragment(request):
        return render(request, "statements/statement_editor.html#analysis", context)
    return render(request, "statements/analysis_status.html", context)
