from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core.decorators import role_required
from matchway.core.exceptions import (
    ApplicationError,
    BusyError,
    InvalidTransition,
    UploadRejected,
    ValidationFailed,
)
from matchway.core.forms import form_add_errors
from matchway.core.htmx import wants_fragment
from matchway.core.http import client_ip

from ..downloads import document_download
from ..forms import DocumentUploadForm, RejectForm, ReviewFilterForm
from ..models import Document, DocumentStatus, DocumentType
from ..selectors import (
    document_get_for_user,
    document_history_for,
    document_list_for_user,
    document_review_queue,
    document_vault_rows,
)
from ..selectors_retention import retention_shown_date, vault_retention
from ..services import document_reject, document_upload, document_verify
from ..validation import MSG_TOO_LARGE, human_size

VAULT_TEMPLATE = "documents/document_vault.html"
REVIEW_TEMPLATE = "documents/document_review.html"
REVIEW_PAGE_SIZE = 25
# Multipart framing and the date fields, on top of the largest file a type allows.
REQUEST_OVERHEAD_BYTES = 256 * 1024


def _wants_fragment(request: HttpRequest) -> bool:
    """htmx (see wants_fragment), or documents.js's XHR upload (which needs progress events
    htmx lacks)."""
    return wants_fragment(request) or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _vault_context(user: User, bound: DocumentUploadForm | None = None) -> dict[str, Any]:
    rows = document_vault_rows(owner=user)
    retention = vault_retention(
        owner_id=user.pk, documents=[row.current for row in rows if row.current is not None]
    )
    viewer_zone = timezone.get_current_timezone()
    for row in rows:
        is_bound = bound is not None and bound.doc_type.code == row.type.code
        row.form = bound if is_bound else DocumentUploadForm(doc_type=row.type)
        rule = retention.get(row.current.pk) if row.current is not None else None
        if rule is not None:
            row.retention = {
                "days": rule.days,
                "in_use": rule.in_use,
                "noticed": rule.noticed,
                # The date in the viewer's zone on which the provider's erasure day begins.
                "date": retention_shown_date(rule.erase_on, viewer_zone) if rule.erase_on else None,
            }
    return {"rows": rows, "have_any": any(row.current for row in rows)}


@role_required(Role.APPLICANT)
def vault(request: HttpRequest) -> HttpResponse:
    """Every document type with its current version, expiry, history link and upload form."""
    return render(request, VAULT_TEMPLATE, _vault_context(current_user(request)))


def _apply_errors(form: DocumentUploadForm, exc: ApplicationError) -> None:
    if isinstance(exc, UploadRejected):
        form.add_error("file", exc.message)
    else:
        form_add_errors(form, exc)


def _declared_body_too_large(request: HttpRequest) -> int | None:
    """The largest file any type allows, if the declared body is far beyond it; else None.

    Checked on the Content-Length header before anything reads the body, so an oversized
    upload is not spooled to a temporary file first (WSGI never reads past that header).
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    largest = DocumentType.objects.aggregate(largest=Max("max_size_bytes"))["largest"] or 0
    return largest if length > largest + REQUEST_OVERHEAD_BYTES else None


# CSRF is checked by `_upload` (csrf_protect) right after the size check: the middleware's
# own check would parse the multipart body before this view could refuse it.
@csrf_exempt
@role_required(Role.APPLICANT)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Upload one version. Errors re-render the type's form beside its fields (422) with
    the dates kept; htmx/XHR requests get just that type's card back."""
    limit = _declared_body_too_large(request)
    if limit is not None:
        message = str(MSG_TOO_LARGE % {"limit": human_size(limit)})
        if _wants_fragment(request):
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        messages.error(request, message)
        context = _vault_context(current_user(request))
        return render(request, VAULT_TEMPLATE, context, status=413)
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    doc_type = DocumentType.objects.filter(code=request.POST.get("type", "")).first()
    if doc_type is None:
        message = _("Choose a document type from the list.")
        if _wants_fragment(request):
            return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
        messages.error(request, message)
        return render(request, VAULT_TEMPLATE, _vault_context(user), status=422)
    form = DocumentUploadForm(request.POST, request.FILES, doc_type=doc_type)
    document: Document | None = None
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            document = document_upload(
                actor=user,
                owner=user,
                type_code=doc_type.code,
                file=uploaded,
                original_name=uploaded.name or "",
                issued_on=form.cleaned_data["issued_on"],
                expires_on=form.cleaned_data["expires_on"],
                ip=client_ip(request),
            )
        except (UploadRejected, ValidationFailed, BusyError) as exc:
            _apply_errors(form, exc)
    if document is not None:
        notice = _("%(type)s uploaded. A coordinator will review it.") % {"type": doc_type.name}
        if _wants_fragment(request):
            row = document_vault_rows(owner=user, only=doc_type.code)[0]
            row.form = DocumentUploadForm(doc_type=doc_type)
            return render(request, f"{VAULT_TEMPLATE}#type-card", {"row": row, "notice": notice})
        messages.success(request, notice)
        return redirect(f"{reverse('documents:vault')}#type-{doc_type.code}")
    if _wants_fragment(request):
        row = document_vault_rows(owner=user, only=doc_type.code)[0]
        row.form = form
        return render(request, f"{VAULT_TEMPLATE}#type-card", {"row": row}, status=422)
    context = _vault_context(user, bound=form)
    context["error_type"] = doc_type
    return render(request, VAULT_TEMPLATE, context, status=422)


@role_required(Role.APPLICANT)
def history(request: HttpRequest, code: str) -> HttpResponse:
    """Every version the applicant uploaded of one type, with review outcomes."""
    user = current_user(request)
    doc_type = get_object_or_404(DocumentType, code=code)
    versions = document_history_for(owner=user, type_code=doc_type.code)
    return render(
        request,
        "documents/document_history.html",
        {"doc_type": doc_type, "versions": versions},
    )


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Owners and coordinators download here (404 when hidden); audited, streamed as an
    attachment. Preceptors download through rotations, which decides what they may see.

    `?inline=1` is the coordinator's preview (PDFs and images shown in place on the review
    pages): 404 for everyone else."""
    if request.GET.get("inline") == "1":
        return _preview(request, pk)
    return document_download(
        request, pk=pk, visible=document_list_for_user(user=current_user(request))
    )


@xframe_options_sameorigin  # this response only: the review page frames it (DENY elsewhere)
def _preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = current_user(request)
    if user.role != Role.COORDINATOR:
        raise Http404
    return document_download(request, pk=pk, visible=document_list_for_user(user=user), inline=True)


def _review_filters(request: HttpRequest) -> dict[str, str]:
    status = request.GET.get("status", "uploaded")
    return {
        "status": "" if status == "all" else status,
        "type_code": request.GET.get("type", "").strip(),
        "q": request.GET.get("q", "").strip()[:100],
    }


def _review_context(request: HttpRequest, bound_pk: int | None = None) -> dict[str, Any]:
    types = list(DocumentType.objects.all())
    filter_form = ReviewFilterForm(request.GET or None, types=types)
    documents = document_review_queue(**_review_filters(request))
    page = Paginator(documents, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        (document, RejectForm(document_pk=document.pk))
        for document in page.object_list
        if document.pk != bound_pk
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "items": items,
        "bulk_verifiable": any(d.status == DocumentStatus.UPLOADED for d, _form in items),
        "filter_form": filter_form,
        "query": query.urlencode(),
        "next": request.get_full_path(),
    }


@role_required(Role.COORDINATOR)
def review(request: HttpRequest) -> HttpResponse:
    """Coordinators' queue of current versions, filtered by status, type and applicant."""
    return render(request, REVIEW_TEMPLATE, _review_context(request))


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("documents:review")


def _review_document(request: HttpRequest, pk: int) -> Document:
    document = document_get_for_user(user=current_user(request), pk=pk)
    if document is None:
        raise Http404
    return document


def _review_item(
    request: HttpRequest,
    document: Document,
    *,
    form: RejectForm | None = None,
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        f"{REVIEW_TEMPLATE}#review-item",
        {
            "document": document,
            "reject_form": form or RejectForm(document_pk=document.pk),
            "notice": notice,
            "error": error,
            "next": _next_url(request),
        },
        status=status,
    )


@role_required(Role.COORDINATOR)
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    document = _review_document(request, pk)
    try:
        document = document_verify(
            actor=current_user(request), document=document, ip=client_ip(request)
        )
    except InvalidTransition as exc:
        if _wants_fragment(request):
            return _review_item(request, document, error=exc.message, status=409)
        messages.error(request, exc.message)
        return redirect(_next_url(request))
    notice = _("%(type)s of %(name)s verified.") % {
        "type": document.type.name,
        "name": document.owner.full_name,
    }
    if _wants_fragment(request):
        return _review_item(request, document, notice=notice)
    messages.success(request, notice)
    return redirect(_next_url(request))


BULK_VERIFY_LIMIT = 100


@role_required(Role.COORDINATOR)
@require_POST
def verify_bulk(request: HttpRequest) -> HttpResponse:
    """Verify several uploaded documents at once: one compare-and-set and one audit event per
    document (the service's), failures named one by one."""
    user = current_user(request)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:BULK_VERIFY_LIMIT]
    if not ids:
        messages.error(request, _("Select at least one document to verify."))
        return redirect(_next_url(request))
    documents = document_list_for_user(user=user).filter(pk__in=ids).order_by("pk")
    done, failed = 0, []
    for document in documents:
        try:
            document_verify(actor=user, document=document, ip=client_ip(request))
        except InvalidTransition as exc:
            failed.append(f"{document.type.name} — {document.owner.full_name}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(n)s document(s) verified.") % {"n": done})
    for line in failed[:10]:
        messages.error(request, line)
    return redirect(_next_url(request))


@role_required(Role.COORDINATOR)
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    document = _review_document(request, pk)
    form = RejectForm(request.POST, document_pk=document.pk)
    error = ""
    if form.is_valid():
        try:
            document = document_reject(
                actor=current_user(request),
                document=document,
                reason=form.cleaned_data["reason"],
                ip=client_ip(request),
            )
        except ValidationFailed as exc:
            for message in exc.errors.get("reason", [exc.message]):
                form.add_error("reason", message)
        except InvalidTransition as exc:
            error = exc.message
        else:
            notice = _("%(type)s of %(name)s rejected; they were emailed the reason.") % {
                "type": document.type.name,
                "name": document.owner.full_name,
            }
            if _wants_fragment(request):
                return _review_item(request, document, notice=notice)
            messages.success(request, notice)
            return redirect(_next_url(request))
    if error and not _wants_fragment(request):
        messages.error(request, error)
        return redirect(_next_url(request))
    if _wants_fragment(request):
        status = 409 if error else 422
        return _review_item(request, document, form=form, error=error, status=status)
    # Without JavaScript: the queue again, this document first with its error and the text.
    context = _review_context(request, bound_pk=document.pk)
    context["focus"] = (document, form)
    return render(request, REVIEW_TEMPLATE, context, status=422)
