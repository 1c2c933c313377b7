"""Visa invitation letter pages, mounted at /visa-letters/.

`verify` is public and shows only the name, the dates and whether the letter is valid. The
rest is for the applicant the letter belongs to and for coordinators; anyone else gets 404.
The passport number appears on no page: only masked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import AccessDenied, ApplicationError
from matchway.core.forms import form_add_errors
from matchway.core.storage import private_file_response

from ..forms import VisaLetterReasonForm, VisaLetterRequestForm
from ..models import VisaLetter, VisaLetterStatus
from ..selectors import application_get_for_user
from ..selectors_visa import (
    visa_letter_counts,
    visa_letter_get_for_user,
    visa_letter_get_public,
    visa_letter_latest,
    visa_letter_queue,
)
from ..services import visa_letters as svc


@require_GET
@cache_control(max_age=0, must_revalidate=True, public=True)  # a revocation shows at once
def verify(request: HttpRequest, number: str) -> HttpResponse:
    letter = visa_letter_get_public(number)
    if letter is None:
        return render(request, "rotations/visa/verify_unknown.html", status=404)
    return render(request, "rotations/visa/verify.html", {"result": svc.visa_letter_verify(letter)})


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def request_letter(request: HttpRequest, application_id: int) -> HttpResponse:
    user = current_user(request)
    application = application_get_for_user(user=user, pk=application_id)
    if application is None or application.applicant_id != user.pk:
        raise Http404
    latest = visa_letter_latest(application)
    if latest is not None and latest.status in (
        VisaLetterStatus.REQUESTED,
        VisaLetterStatus.ISSUED,
    ):
        return redirect("visa_letters:detail", latest.pk)
    eligibility = svc.visa_letter_eligibility(application)
    form = VisaLetterRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and eligibility.allowed:
        try:
            letter = svc.visa_letter_request(
                actor=user, application=application, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Request sent. A coordinator reviews it and emails you when it is ready."),
            )
            return redirect("visa_letters:detail", letter.pk)
    return render(
        request,
        "rotations/visa/request.html",
        {
            "application": application,
            "eligibility": eligibility,
            "form": form,
            "confirmed": application.status in svc.REQUESTABLE,
        },
        status=422 if request.method == "POST" else 200,
    )


def _letter_or_404(request: HttpRequest, pk: int) -> VisaLetter:
    letter = visa_letter_get_for_user(user=current_user(request), pk=pk)
    if letter is None:
        raise Http404
    return letter


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    user = current_user(request)
    is_coordinator = user.role == Role.COORDINATOR
    return render(
        request,
        "rotations/visa/detail.html",
        {
            "letter": letter,
            "application": letter.application,
            "is_coordinator": is_coordinator,
            "eligibility": svc.visa_letter_eligibility(letter.application),
            "reason_form": VisaLetterReasonForm(),
            "can_download": bool(letter.pdf)
            and (
                letter.status == VisaLetterStatus.ISSUED
                or (is_coordinator and letter.status == VisaLetterStatus.REVOKED)
            ),
        },
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    letter = _letter_or_404(request, pk)
    user = current_user(request)
    # A revoked letter's PDF stays on file for the coordinator's records only.
    allowed = letter.status == VisaLetterStatus.ISSUED or (
        user.role == Role.COORDINATOR and letter.status == VisaLetterStatus.REVOKED
    )
    if not allowed or not letter.pdf:
        raise Http404
    return private_file_response(
        request,
        file=letter.pdf,
        filename=f"visa-letter-{letter.number}.pdf",
        content_type="application/pdf",
        target=letter,
        action="visa_letter.download",
    )


@role_required(Role.COORDINATOR)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", VisaLetterStatus.REQUESTED)
    if status not in {s.value for s in VisaLetterStatus}:
        status = VisaLetterStatus.REQUESTED
    counts = visa_letter_counts()
    page = Paginator(visa_letter_queue(status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "rotations/visa/queue.html",
        {
            "page": page,
            "status": status,
            "statuses": [
                (value, label, counts[value]) for value, label in VisaLetterStatus.choices
            ],
            "query": f"status={status}",
        },
    )


@role_required(Role.COORDINATOR)
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    try:
        letter = svc.visa_letter_issue(actor=current_user(request), letter=letter)
    except AccessDenied:
        raise PermissionDenied from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Letter %(n)s issued. The applicant was emailed.") % {"n": letter.number}
        )
    return redirect("visa_letters:detail", letter.pk)


def _reason_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    letter = _letter_or_404(request, pk)
    form = VisaLetterReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = svc.visa_letter_refuse if action == "refuse" else svc.visa_letter_revoke
        try:
            service(actor=current_user(request), letter=letter, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            if action == "refuse":
                messages.success(request, _("Request refused. The applicant was emailed."))
            else:
                messages.success(request, _("Letter revoked. The verify page now says so."))
            return redirect("visa_letters:detail", letter.pk)
    return render(
        request,
        "rotations/visa/reason.html",
        {"letter": letter, "form": form, "action": action},
        status=422 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(request, pk, "refuse")


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    return _reason_action(request, pk, "revoke")
