"""Receipts and invoices (HTML and PDF), refunds executed by coordinators, and a rotation's
refund schedule (docs/dev/invoices-and-refunds.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.audit import audit_record
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors

from ..forms_money import RefundForm, RefundRulesForm, tiers_text
from ..invoice_pdf import document_rows, invoice_pdf
from ..ledger import paid_and_refunded
from ..models import Application, Rotation
from ..refunds import policy_sentences
from ..selectors_money import invoice_get_for_user, refunds_for_application
from ..services.refunds import refund_execute, refund_quote, rotation_refund_rules_update


@login_required
@require_GET
def invoice_detail(request: HttpRequest, number: str) -> HttpResponse:
    invoice = invoice_get_for_user(user=current_user(request), number=number)
    if invoice is None:
        raise Http404
    return render(
        request,
        "rotations/money/invoice.html",
        {
            "invoice": invoice,
            "data": invoice.data,
            "rows": document_rows(invoice.kind, invoice.data),
            "is_coordinator": current_user(request).role == Role.COORDINATOR,
        },
    )


@login_required
@require_GET
def invoice_download(request: HttpRequest, number: str) -> HttpResponse:
    """The PDF, through the same checks and headers as every private file (private-files.md),
    rendered from the document's frozen snapshot; audited."""
    invoice = invoice_get_for_user(user=current_user(request), number=number)
    if invoice is None:
        raise Http404
    content = invoice_pdf(
        number=invoice.number, kind=invoice.kind, issued_at=invoice.issued_at, data=invoice.data
    )
    audit_record(
        actor=request.user,
        action="invoice.downloaded",
        target=invoice.application,
        data={"number": invoice.number},
        request=request,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def refund(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    application = get_object_or_404(
        Application.objects.select_related("applicant", "session__rotation__site"), pk=pk
    )
    form = RefundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            refund_execute(
                actor=user,
                application=application,
                amount_cents=form.amount_cents(),
                reason=data["reason"],
                method=data["method"],
                reference=data["reference"],
            )
        except ApplicationError as exc:
            form_add_errors(form, exc, field_map={"amount_cents": "amount"})
        else:
            messages.success(request, _("Refund recorded."))
            return redirect("rotations:review", application.pk)
    paid, refunded = paid_and_refunded(application.pk)
    return render(
        request,
        "rotations/money/refund.html",
        {
            "application": application,
            "form": form,
            "quote": refund_quote(application, at=application.closed_at),
            "paid_cents": paid,
            "refunded_cents": refunded,
            "left_cents": max(0, paid - refunded),
            "refunds": refunds_for_application(application),
        },
        status=422 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def rotation_refunds_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation, pk=pk)
    initial = {
        part: tiers_text(rotation.refund_rules or {}, part) for part in ("deposit", "balance")
    }
    form = RefundRulesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rotation_refund_rules_update(
                actor=user, rotation=rotation, rules=form.cleaned_data["rules"]
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Refund schedule saved."))
            return redirect("rotations:manage-rotation", rotation.pk)
    return render(
        request,
        "rotations/money/refund_rules.html",
        {
            "rotation": rotation,
            "form": form,
            "sentences": policy_sentences(rotation.refund_rules),
        },
        status=422 if request.method == "POST" else 200,
    )
