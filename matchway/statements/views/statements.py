"""Statement list, create, settings, versions, compare, list actions and exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.core.exceptions import ApplicationError, ValidationFailed
from matchway.core.forms import form_add_errors
from matchway.core.http import client_ip

from .. import services
from ..forms import (
    CompareForm,
    StatementCreateForm,
    StatementForm,
)
from ..models import Statement
from ..pdf import StatementPdfData, statement_pdf
from ..selectors import (
    statement_list_for_user,
    statement_max_chars,
    version_get,
    version_latest,
    version_list,
)
from .common import (
    applicant_only,
    changes_for,
    comment_highlights,
    statement_or_404,
    version_diff,
    version_or_404,
)


@applicant_only
def statement_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    statements = list(statement_list_for_user(user=current_user(request), archived=archived))
    return render(
        request,
        "statements/statement_list.html",
        {"statements": statements, "archived": archived, "max_chars": statement_max_chars()},
    )


@applicant_only
def statement_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = StatementCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            statement = services.statement_create(
                actor=user,
                title=data["title"],
                specialty=data["specialty"],
                program_label=data["program_label"],
                body=data["body"],
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            form_add_errors(form, exc)
        else:
            return redirect("statements:editor", pk=statement.pk)
    elif request.method == "GET":
        profile = getattr(user, "applicant_profile", None)
        targets = list(profile.target_specialties.all()[:1]) if profile else []
        if targets:
            form.initial["specialty"] = targets[0]
    status = 422 if form.errors else 200
    return render(request, "statements/statement_form.html", {"form": form}, status=status)


@applicant_only
def statement_settings(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    initial = {
        "title": statement.title,
        "specialty": statement.specialty,
        "program_label": statement.program_label,
    }
    form = StatementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_update(
                actor=current_user(request),
                statement=statement,
                title=form.cleaned_data["title"],
                specialty=form.cleaned_data["specialty"],
                program_label=form.cleaned_data["program_label"],
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("statements:editor", pk=statement.pk)
    status = 422 if form.errors else 200
    return render(
        request,
        "statements/statement_form.html",
        {"form": form, "statement": statement},
        status=status,
    )


@applicant_only
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    items = list(version_list(statement))
    return render(
        request,
        "statements/statement_versions.html",
        {"statement": statement, "versions": items, "max_chars": statement_max_chars()},
    )


@applicant_only
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    version = version_or_404(statement, number)
    latest = version_latest(statement)
    comments = list(version.comments.select_related("invitation").order_by("anchor_start", "pk"))
    return render(
        request,
        "statements/statement_version.html",
        {
            "statement": statement,
            "version": version,
            "is_latest": latest is not None and latest.pk == version.pk,
            "body_html": comment_highlights(version.body, comments),
            "comments": comments,
            "changes": changes_for(version),
            "max_chars": statement_max_chars(),
        },
    )


@applicant_only
@require_POST
def version_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    try:
        version = services.statement_version_restore(
            actor=current_user(request), statement=statement, number=number, ip=client_ip(request)
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        return redirect("statements:version", pk=statement.pk, number=number)
    messages.success(
        request,
        _("Version %(old)s is now the current text (version %(new)s).")
        % {"old": number, "new": version.number},
    )
    return redirect("statements:editor", pk=statement.pk)


@applicant_only
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    numbers = list(statement.versions.order_by("-number").values_list("number", flat=True))
    form = CompareForm(request.GET or None)
    diff = older = newer = None
    if form.is_bound and form.is_valid():
        a, b = sorted((form.cleaned_data["a"], form.cleaned_data["b"]))
        older, newer = version_get(statement, a), version_get(statement, b)
        if older is None or newer is None:
            raise Http404
    elif not form.is_bound and len(numbers) >= 2:
        older, newer = version_get(statement, numbers[1]), version_get(statement, numbers[0])
        form = CompareForm(initial={"a": numbers[1], "b": numbers[0]})
    if older is not None and newer is not None:
        diff = version_diff(older, newer)
    return render(
        request,
        "statements/statement_compare.html",
        {
            "statement": statement,
            "form": form,
            "numbers": numbers,
            "older": older,
            "newer": newer,
            "diff": diff,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


def _simple_action(
    request: HttpRequest,
    pk: int,
    action: Callable[..., Any],
    message: str,
    *,
    to_list: bool = True,
) -> HttpResponse:
    statement = statement_or_404(request, pk)
    result = action(actor=current_user(request), statement=statement, ip=client_ip(request))
    messages.success(request, message % {"title": statement.title})
    if isinstance(result, Statement):
        return redirect("statements:editor", pk=result.pk)
    return redirect("statements:list") if to_list else redirect("statements:editor", pk=pk)


@applicant_only
@require_POST
def duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        services.statement_duplicate,
        _("Copied “%(title)s”. Edit the copy for its program; the original is unchanged."),
    )


@applicant_only
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        services.statement_archive,
        _("Archived “%(title)s”. You find it under Archived."),
    )


@applicant_only
@require_POST
def unarchive(request: HttpRequest, pk: int) -> HttpResponse:
    return _simple_action(
        request,
        pk,
        services.statement_unarchive,
        _("Restored “%(title)s” from the archive."),
        to_list=False,
    )


@applicant_only
def export(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    plain = services.statement_plain_text(statement)
    return render(
        request, "statements/statement_export.html", {"statement": statement, "plain": plain}
    )


def _attachment(statement: Statement, ext: str) -> str:
    # slugify leaves only ASCII letters, digits and hyphens: safe inside the quotes.
    name = slugify(statement.title)[:80] or "personal-statement"
    return f'attachment; filename="{name}.{ext}"'


@applicant_only
def export_text(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    plain = services.statement_plain_text(statement)
    if plain.version is None:
        raise Http404
    services.statement_export_record(
        actor=current_user(request),
        statement=statement,
        fmt="text",
        version=plain.version.number,
        ip=client_ip(request),
    )
    response = HttpResponse(plain.text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = _attachment(statement, "txt")
    return response


@applicant_only
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(request, pk)
    plain = services.statement_plain_text(statement)
    version = plain.version
    if version is None:
        raise Http404
    user = current_user(request)
    data = StatementPdfData(
        title=statement.title,
        applicant=user.get_full_name(),
        specialty=statement.specialty.name if statement.specialty else "",
        version=version.number,
        saved_at=timezone.localtime(version.updated_at),
        body=version.body,
        characters=plain.characters,
        max_chars=plain.max_chars,
        footer=_("Draft for review — not an ERAS submission. Printed from Matchway."),
    )
    content = statement_pdf(data)
    services.statement_export_record(
        actor=user, statement=statement, fmt="pdf", version=version.number, ip=client_ip(request)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = _attachment(statement, "pdf")
    return response
