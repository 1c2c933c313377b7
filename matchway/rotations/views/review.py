"""Coordinator review: the queue (filters, bulk decisions, CSV) and one application's page
with decisions, payments, confirmation, hold extension, progress and cancellation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core import clock
from matchway.core.csv_export import csv_response
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError, PhiDetected
from matchway.core.forms import form_add_errors
from matchway.core.htmx import wants_fragment
from matchway.rotations.services.applications_decide import (
    application_cancel,
    application_confirm,
    application_decide,
    application_extend_hold,
)
from matchway.rotations.services.applications_lifecycle import (
    application_complete,
    application_start,
)

from ..forms import (
    ConfirmForm,
    DecisionForm,
    ExtendHoldForm,
    PaymentForm,
    ProgressForm,
    QueueFilterForm,
    ReasonForm,
)
from ..ledger import Ledger, ledger_for
from ..models import Application, ApplicationStatus
from ..selectors import application_get_for_user, application_list_for_user
from ..selectors_pages import (
    QUEUE_DEFAULT_SORT,
    QUEUE_SORTS,
    QueueFilters,
    queue_sort_key,
    review_page,
    review_queue,
)
from ..services.applications import refuse_phi
from ..services.payments import payment_record
from .common import ViewDecorator, optional_url

# role_required is typed for HttpResponse; the CSV exports stream (StreamingHttpResponse).
coordinator_only = cast(ViewDecorator, role_required(Role.COORDINATOR))
QUEUE_PAGE_SIZE = 25
BULK_LIMIT = 100
S = ApplicationStatus


def _queue_filters(
    request: HttpRequest, params: QueryDict | None = None
) -> tuple[QueueFilterForm, QueueFilters]:
    form = QueueFilterForm(request.GET if params is None else params)
    form.is_valid()  # invalid filters are shown and ignored
    data = form.cleaned_data
    specialty = data.get("specialty")
    return form, QueueFilters(
        status=data.get("status") or "",
        specialty=specialty.pk if specialty else "",
        session=data.get("session"),
        missing_documents=bool(data.get("missing_documents")),
        q=" ".join(str(data.get("q") or "").split()),
    )


@coordinator_only
@require_GET
@vary_on_headers("HX-Request")
def queue(request: HttpRequest) -> HttpResponse:
    return _queue_render(request, request.GET)


def _queue_render(
    request: HttpRequest,
    params: QueryDict,
    *,
    decision_form: DecisionForm | None = None,
    selected: Collection[int] = (),
    status: int = 200,
) -> HttpResponse:
    user = current_user(request)
    form, filters = _queue_filters(request, params)
    sort = queue_sort_key(params.get("sort"))
    page = Paginator(review_queue(user=user, filters=filters, sort=sort), QUEUE_PAGE_SIZE).get_page(
        params.get("page")
    )
    query = params.copy()
    query.pop("page", None)
    template = "rotations/manage/application_queue.html"
    return render(
        request,
        f"{template}#queue" if wants_fragment(request) else template,
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "full_query": params.urlencode(),
            "decision_form": decision_form or DecisionForm(),
            "selected": set(selected),
            "sort": sort,
            "columns": _sort_columns(sort),
            "sort_options": _sort_options(sort),
        },
        status=status,
    )


def _sort_columns(sort: str) -> dict[str, dict[str, str]]:
    """Per sortable column: `aria` (the header's aria-sort) and `next` (the sort its link
    applies: ascending first, then descending)."""
    columns = {}
    for key in QUEUE_SORTS:
        if sort == key:
            columns[key] = {"aria": "ascending", "next": f"-{key}"}
        elif sort == f"-{key}":
            columns[key] = {"aria": "descending", "next": key}
        else:
            columns[key] = {"aria": "none", "next": key}
    return columns


# The sort control phones get (their table has no header row to click): each column both ways.
SORT_LABELS = {
    "submitted": (_("Submitted, oldest first"), _("Submitted, newest first")),
    "applicant": (_("Applicant, A to Z"), _("Applicant, Z to A")),
    "start": (_("Start date, soonest first"), _("Start date, latest first")),
    "status": (_("Status, A to Z"), _("Status, Z to A")),
    "documents": (_("Documents complete first"), _("Documents missing first")),
}


def _sort_options(sort: str) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for the phone sort select; the default sort's value is ""
    so the query string stays clean."""
    options = []
    for key in [QUEUE_DEFAULT_SORT, *(k for k in QUEUE_SORTS if k != QUEUE_DEFAULT_SORT)]:
        ascending, descending = SORT_LABELS[key]
        value = "" if key == QUEUE_DEFAULT_SORT else key
        options.append((value, str(ascending), sort == key))
        options.append((f"-{key}", str(descending), sort == f"-{key}"))
    return options


QUEUE_CSV_HEADER = [
    "application_id",
    "name",
    "email",
    "rotation",
    "session_start",
    "session_end",
    "status",
    "submitted_at",
    "decided_at",
    "hold_expires_at",
    "confirmed_at",
    "documents_missing",
    "referral_source",
    "motivation",
]


@coordinator_only
@require_GET
def queue_csv(request: HttpRequest) -> StreamingHttpResponse:
    user = current_user(request)
    _form, filters = _queue_filters(request)
    rows = (
        [
            a.pk,
            a.applicant.full_name,
            a.applicant.email,
            a.session.rotation.title,
            a.session.start_date.isoformat(),
            a.session.end_date.isoformat(),
            a.status,
            _iso(a.submitted_at),
            _iso(a.decided_at),
            _iso(a.hold_expires_at),
            _iso(a.confirmed_at),
            "yes" if getattr(a, "docs_missing", False) else "no",
            a.referral_source,
            a.motivation,
        ]
        for a in review_queue(
            user=user, filters=filters, sort=queue_sort_key(request.GET.get("sort"))
        ).iterator(chunk_size=500)
    )
    stamp = timezone.localtime(clock.now()).strftime("%Y%m%d-%H%M")
    return csv_response(filename=f"applications-{stamp}.csv", header=QUEUE_CSV_HEADER, rows=rows)


def _iso(value: Any) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else ""


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    # Re-encode the posted filters so only a query string (never a URL) comes back.
    query = QueryDict(request.POST.get("query", "")[:2000]).urlencode()
    url = reverse("rotations:review-queue")
    return redirect(f"{url}?{query}" if query else url)


@coordinator_only
@require_POST
def queue_bulk(request: HttpRequest) -> HttpResponse:
    """Apply one decision to many applications, one service call (and transaction) each."""
    user = current_user(request)
    ids = [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:BULK_LIMIT]
    form = DecisionForm(request.POST)
    if not ids:
        messages.error(request, _("Select at least one application first."))
        return _back_to_queue(request)
    if not form.is_valid():
        params = QueryDict(request.POST.get("query", "")[:2000])
        return _queue_render(request, params, decision_form=form, selected=ids, status=422)
    action = form.cleaned_data["action"]
    try:
        # One message goes to every selected applicant: check it once, up front, so a
        # refused text comes back in the form with its findings instead of N errors.
        refuse_phi("message", form.cleaned_data["message"], people=[user])
    except PhiDetected as exc:
        form_add_errors(form, exc)
        params = QueryDict(request.POST.get("query", "")[:2000])
        return _queue_render(request, params, decision_form=form, selected=ids, status=422)
    done, failed = 0, []
    applications = (
        application_list_for_user(user=user).filter(pk__in=ids).order_by("submitted_at", "pk")
    )
    for application in applications:
        try:
            application_decide(
                actor=user,
                application=application,
                action=action,
                message=form.cleaned_data["message"],
            )
        except ApplicationError as exc:
            failed.append(f"{application.applicant.full_name}: {exc.message}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(n)s application(s) updated.") % {"n": done})
    for line in failed[:10]:
        messages.error(request, line)
    return _back_to_queue(request)


# --- one application -----------------------------------------------------------------------


def _review_render(
    request: HttpRequest, user: User, pk: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    page = review_page(user=user, pk=pk)
    if page is None:
        raise Http404
    ledger = ledger_for(page.application)
    context: dict[str, Any] = {
        "page": page,
        "application": page.application,
        "decision_form": DecisionForm(),
        "payment_form": PaymentForm(
            initial={"amount": _next_due(ledger), "method": "bank_transfer"}
        ),
        "ledger": ledger,
        "confirm_form": ConfirmForm(clash=bool(page.confirm_clashes)),
        "extend_form": ExtendHoldForm(),
        "cancel_form": ReasonForm(prefix="cancel"),
        "documents_review_url": optional_url("documents:review"),
    }
    context.update(forms)
    return render(request, "rotations/manage/application_review.html", context, status=status)


def _next_due(ledger: Ledger) -> str:
    due = ledger.next_due
    return f"{(due.amount_cents if due else 0) / 100:.2f}"


@coordinator_only
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _review_render(request, current_user(request), pk)


def _application_or_404(user: User, pk: int) -> Application:
    application = application_get_for_user(user=user, pk=pk)
    if application is None:
        raise Http404
    return application


def _act(
    request: HttpRequest,
    pk: int,
    *,
    form: Any,
    form_name: str,
    call: Callable[[User, Application, Any], Any],
    success: str,
    field_map: dict[str, str] | None = None,
) -> HttpResponse:
    """Shared POST flow: validate → one service → redirect, or re-render with errors."""
    user = current_user(request)
    application = _application_or_404(user, pk)
    if form.is_valid():
        try:
            call(user, application, form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc, field_map=field_map)
        else:
            messages.success(request, success)
            return redirect("rotations:review", pk)
    # Problems with the action itself (wrong state, not ready, full) go to the top of the
    # page: the form that caused them may not be shown in the application's new state.
    action_errors = list(form.errors.pop(NON_FIELD_ERRORS, []))
    return _review_render(
        request, user, pk, status=422, action_errors=action_errors, **{form_name: form}
    )


@coordinator_only
@require_POST
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form=DecisionForm(request.POST),
        form_name="decision_form",
        call=lambda user, app, data: application_decide(
            actor=user, application=app, action=data["action"], message=data["message"]
        ),
        success=_("Decision saved; the applicant has been emailed."),
    )


@coordinator_only
@require_POST
def review_payment(request: HttpRequest, pk: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    return _act(
        request,
        pk,
        form=form,
        form_name="payment_form",
        call=lambda user, app, data: payment_record(
            actor=user,
            application=app,
            amount_cents=form.amount_cents(),
            method=data["method"],
            reference=data["reference"],
        ),
        success=_("Payment recorded."),
        field_map={"amount_cents": "amount"},
    )


@coordinator_only
@require_POST
def review_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form=ConfirmForm(request.POST),
        form_name="confirm_form",
        call=lambda user, app, data: application_confirm(
            actor=user,
            application=app,
            override_reason=data["override_reason"],
            clash_override_reason=data["clash_override_reason"],
        ),
        success=_("Confirmed. The applicant has been emailed."),
    )


@coordinator_only
@require_POST
def review_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form=ExtendHoldForm(request.POST),
        form_name="extend_form",
        call=lambda user, app, data: application_extend_hold(
            actor=user, application=app, hours=data["hours"]
        ),
        success=_("Hold extended; the applicant has the new deadline by email."),
    )


@coordinator_only
@require_POST
def review_progress(request: HttpRequest, pk: int) -> HttpResponse:
    def call(user: User, app: Application, data: dict[str, Any]) -> Application:
        if data["step"] == "start":
            return application_start(actor=user, application=app)
        return application_complete(actor=user, application=app)

    return _act(
        request,
        pk,
        form=ProgressForm(request.POST),
        form_name="progress_form",
        call=call,
        success=_("Status updated."),
    )


@coordinator_only
@require_POST
def review_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        form=ReasonForm(request.POST, prefix="cancel"),
        form_name="cancel_form",
        call=lambda user, app, data: application_cancel(
            actor=user, application=app, reason=data["reason"]
        ),
        success=_("Application cancelled; the applicant has been emailed."),
    )
