"""Statement workbench pages (thin): parse → one service or selector → render.

Applicant pages are `role_required("applicant")` and 404 for statements that are not the
user's own. Reviewer pages are reached through a secret link (`review`) or, for invited
users who are signed in, by invitation id (`review-signed-in`); every failure of either is
the same neutral 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.audit import client_ip
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, ValidationFailed
from matchway.core.htmx import hx_trigger

from . import services
from .analysis import normalize_plain_text
from .diff import (
    ChangeGroup,
    DiffResult,
    FindingsView,
    comment_spans,
    findings_view,
    grouped_changes,
    highlight,
    word_diff,
)
from .forms import (
    CommentForm,
    CompareForm,
    EditorForm,
    InvitationForm,
    StatementCreateForm,
    StatementForm,
    apply_service_errors,
)
from .models import ReviewComment, ReviewInvitation, Statement, StatementVersion, VersionSource
from .pdf import StatementPdfData, statement_pdf
from .selectors import (
    AnchoredComment,
    comment_list_for_statement,
    review_comment_get_for_applicant,
    review_comments_for_invitation,
    review_invitation_from_token,
    review_invitation_get_for_applicant,
    review_invitation_get_for_reviewer,
    review_invitation_list_for_reviewer,
    review_invitation_list_for_statement,
    reviewer_candidates,
    statement_get_for_user,
    statement_list_for_user,
    statement_max_chars,
    version_get,
    version_latest,
    version_list,
    writing_material_for_applicant,
)

applicant_only = role_required(Role.APPLICANT)


def _statement(request: HttpRequest, pk: int) -> Statement:
    statement = statement_get_for_user(user=request.user, pk=pk)
    if statement is None:
        raise Http404
    return statement


def _version(statement: Statement, number: int) -> StatementVersion:
    version = version_get(statement, number)
    if version is None:
        raise Http404
    return version


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- presentation ------------------------------------------------------------------------


@dataclass
class AnalysisPanel:
    """What the editor shows about the current text. `state`: empty|done|pending|failed."""

    state: str
    max_chars: int
    result: dict[str, Any] | None = None
    findings: FindingsView | None = None
    fixable: int = 0

    @property
    def characters(self) -> int:
        return int(self.result["characters"]) if self.result else 0

    @property
    def over_limit(self) -> bool:
        return self.characters > self.max_chars

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.characters / self.max_chars)) if self.max_chars else 0


def analysis_panel(statement: Statement, version: StatementVersion | None) -> AnalysisPanel:
    max_chars = statement_max_chars()
    if version is None or not version.body.strip():
        return AnalysisPanel("empty", max_chars)
    outcome = services.version_analysis(version=version)
    fixable = len(normalize_plain_text(version.body)[1])
    if outcome.result is None:
        return AnalysisPanel(outcome.state, max_chars, fixable=fixable)
    findings = findings_view(version.body, outcome.result.get("findings", []))
    return AnalysisPanel(outcome.state, max_chars, outcome.result, findings, fixable)


def _comment_label(comment: ReviewComment) -> str:
    return f"{comment.author_name}: {comment.body[:160]}"


def comment_highlights(body: str, comments: list[ReviewComment]) -> SafeString:
    spans = comment_spans((c.anchor_start, c.anchor_end, c.pk, _comment_label(c)) for c in comments)
    return highlight(body, spans, id_prefix="c")


def anchored_highlights(body: str, items: list[AnchoredComment]) -> SafeString:
    spans = comment_spans(
        (
            i.anchor.start,
            i.anchor.end,
            i.comment.pk,
            f"{i.comment.author_name}: {i.comment.body[:160]}",
        )
        for i in items
    )
    return highlight(body, spans, id_prefix="c")


def changes_for(version: StatementVersion | None) -> list[ChangeGroup]:
    return grouped_changes(version.changes) if version is not None and version.changes else []


def version_diff(older: StatementVersion, newer: StatementVersion) -> DiffResult:
    return word_diff(older.body, newer.body)


# --- list, create, settings --------------------------------------------------------------


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
            apply_service_errors(form, exc)
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
    statement = _statement(request, pk)
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
            apply_service_errors(form, exc)
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


# --- the editor --------------------------------------------------------------------------


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
    statement = _statement(request, pk)
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
        "saved_at": timezone.now(),
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
    statement = _statement(request, pk)
    if not _is_htmx(request):
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
    if isinstance(exc, ValidationFailed):
        apply_service_errors(form, exc)
    else:
        form.add_error(None, exc.message)
    context = _editor_context(request, statement, form)
    return render(request, "statements/statement_editor.html", context, status=exc.status)


@applicant_only
@require_POST
def save_version(request: HttpRequest, pk: int) -> HttpResponse:
    """'Save version' (and the editor's no-JavaScript submit): always a manual version."""
    statement = _statement(request, pk)
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
    statement = _statement(request, pk)
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
    statement = _statement(request, pk)
    version = version_latest(statement)
    context = {
        "statement": statement,
        "version": version,
        "analysis": analysis_panel(statement, version),
    }
    if _is_htmx(request):
        return render(request, "statements/statement_editor.html#analysis", context)
    return render(request, "statements/analysis_status.html", context)


# --- versions ----------------------------------------------------------------------------


@applicant_only
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    items = list(version_list(statement))
    return render(
        request,
        "statements/statement_versions.html",
        {"statement": statement, "versions": items, "max_chars": statement_max_chars()},
    )


@applicant_only
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = _statement(request, pk)
    version = _version(statement, number)
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
    statement = _statement(request, pk)
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
    statement = _statement(request, pk)
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


# --- list actions ------------------------------------------------------------------------


def _simple_action(
    request: HttpRequest,
    pk: int,
    action: Callable[..., Any],
    message: str,
    *,
    to_list: bool = True,
) -> HttpResponse:
    statement = _statement(request, pk)
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


# --- export ------------------------------------------------------------------------------


@applicant_only
def export(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
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
    statement = _statement(request, pk)
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
    statement = _statement(request, pk)
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


# --- reviewers: the applicant's side -----------------------------------------------------


@applicant_only
def invite(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    statement = _statement(request, pk)
    version = _version(statement, number)
    user = current_user(request)
    form = InvitationForm(request.POST or None, candidates=reviewer_candidates(user=user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.review_invitation_create(
                actor=user,
                version=version,
                reviewer=data.get("reviewer"),
                email=data.get("email") or "",
                name=data.get("name") or "",
                message=data.get("message") or "",
                days=data["days"],
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            apply_service_errors(form, exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("We emailed %(name)s a link to version %(n)s. It works until %(date)s.")
                % {
                    "name": invitation.reviewer_name,
                    "n": version.number,
                    "date": timezone.localtime(invitation.expires_at).strftime("%b %d, %Y"),
                },
            )
            return redirect("statements:reviews", pk=statement.pk)
    return render(
        request,
        "statements/invitation_form.html",
        {"statement": statement, "version": version, "form": form},
        status=422 if form.errors else 200,
    )


@applicant_only
def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    latest = version_latest(statement)
    anchored = comment_list_for_statement(statement, current=latest)
    open_items = [c for c in anchored if not c.comment.is_resolved]
    return render(
        request,
        "statements/statement_reviews.html",
        {
            "statement": statement,
            "version": latest,
            "invitations": list(review_invitation_list_for_statement(statement)),
            "open_comments": open_items,
            "resolved_comments": [c for c in anchored if c.comment.is_resolved],
            "body_html": anchored_highlights(latest.body if latest else "", open_items),
        },
    )


def _invitation_action(
    request: HttpRequest, pk: int, invitation_id: int, action: Callable[..., Any], message: str
) -> HttpResponse:
    statement = _statement(request, pk)
    invitation = review_invitation_get_for_applicant(statement=statement, pk=invitation_id)
    if invitation is None:
        raise Http404
    try:
        action(actor=current_user(request), invitation=invitation, ip=client_ip(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message % {"name": invitation.reviewer_name})
    return redirect("statements:reviews", pk=statement.pk)


@applicant_only
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        invitation_id,
        services.review_invitation_revoke,
        _("The link for %(name)s no longer works."),
    )


@applicant_only
@require_POST
def invitation_resend(request: HttpRequest, pk: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        pk,
        invitation_id,
        services.review_invitation_resend,
        _("We emailed %(name)s a new link; the old one no longer works."),
    )


def _comment_action(
    request: HttpRequest, pk: int, comment_id: int, action: Callable[..., Any]
) -> HttpResponse:
    statement = _statement(request, pk)
    comment = review_comment_get_for_applicant(statement=statement, pk=comment_id)
    if comment is None:
        raise Http404
    action(actor=current_user(request), comment=comment, ip=client_ip(request))
    back = request.POST.get("next", "")
    if back == "editor":
        return redirect("statements:editor", pk=statement.pk)
    return redirect(reverse("statements:reviews", args=[statement.pk]) + f"#comment-{comment.pk}")


@applicant_only
@require_POST
def comment_resolve(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    return _comment_action(request, pk, comment_id, services.review_comment_resolve)


@applicant_only
@require_POST
def comment_reopen(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    return _comment_action(request, pk, comment_id, services.review_comment_reopen)


# --- reviewers: the reviewer's side ------------------------------------------------------


def _review_invalid(request: HttpRequest) -> HttpResponse:
    # One neutral page for unknown, tampered, expired and revoked links alike.
    response = render(request, "statements/review_invalid.html", status=404)
    response["Referrer-Policy"] = "no-referrer"
    return response


def _review_page(
    request: HttpRequest,
    invitation: ReviewInvitation,
    *,
    action_url: str,
    done_url: str,
) -> HttpResponse:
    viewer = request.user if request.user.is_authenticated else None
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_comment_add(
                    invitation=invitation,
                    author=viewer,
                    body=data["body"],
                    quote=data["quote"] or "",
                    start=data["start"],
                    end=data["end"],
                    ip=client_ip(request),
                )
            except ValidationFailed as exc:
                apply_service_errors(form, exc)
            except ApplicationError:
                return _review_invalid(request)
            else:
                messages.success(request, _("Comment added. Thank you!"))
                return redirect(f"{action_url}#comments")
        status = 422
    else:
        services.review_invitation_viewed(
            invitation=invitation, viewer=viewer, ip=client_ip(request)
        )
    comments = list(review_comments_for_invitation(invitation))
    version = invitation.version
    response = render(
        request,
        "statements/review_page.html",
        {
            "invitation": invitation,
            "version": version,
            "statement": version.statement,
            "applicant": version.statement.applicant,
            "body_html": comment_highlights(version.body, comments),
            "comments": comments,
            "form": form,
            "action_url": action_url,
            "done_url": done_url,
        },
        status=status,
    )
    # The URL may carry the secret: never send it on to other sites, never cache the page.
    # Not "no-referrer": Chromium then posts forms with `Origin: null`, which CSRF refuses.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _review_done(request: HttpRequest, invitation: ReviewInvitation, back: str) -> HttpResponse:
    viewer = request.user if request.user.is_authenticated else None
    if services.review_invitation_complete(
        invitation=invitation, author=viewer, ip=client_ip(request)
    ):
        messages.success(request, _("Thank you! We let the applicant know your review is ready."))
    return redirect(back)


@never_cache
def review(request: HttpRequest, token: str) -> HttpResponse:
    invitation = review_invitation_from_token(token)
    if invitation is None:
        return _review_invalid(request)
    return _review_page(
        request,
        invitation,
        action_url=reverse("statements:review", args=[token]),
        done_url=reverse("statements:review-done", args=[token]),
    )


@require_POST
def review_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = review_invitation_from_token(token)
    if invitation is None:
        return _review_invalid(request)
    return _review_done(request, invitation, reverse("statements:review", args=[token]))


@login_required
def review_requests(request: HttpRequest) -> HttpResponse:
    invitations = list(review_invitation_list_for_reviewer(user=current_user(request)))
    return render(request, "statements/review_list.html", {"invitations": invitations})


@login_required
@never_cache
def review_signed_in(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = review_invitation_get_for_reviewer(user=request.user, pk=invitation_id)
    if invitation is None:
        raise Http404
    return _review_page(
        request,
        invitation,
        action_url=reverse("statements:review-signed-in", args=[invitation_id]),
        done_url=reverse("statements:review-signed-in-done", args=[invitation_id]),
    )


@login_required
@require_POST
def review_signed_in_done(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = review_invitation_get_for_reviewer(user=request.user, pk=invitation_id)
    if invitation is None:
        raise Http404
    return _review_done(
        request, invitation, reverse("statements:review-signed-in", args=[invitation_id])
    )
