"""Applicant pages: apply or book, my applications, one application's timeline, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import (
    AlreadyApplied,
    ApplicationError,
    CapacityError,
    InvalidTransition,
)
from matchway.core.forms import form_add_errors
from matchway.rotations.services.applications_submit import application_submit, application_withdraw
from matchway.rotations.services.refunds import refund_quote

from ..arrival import arrival_panel
from ..forms import ApplicationForm, WithdrawForm
from ..ledger import cards_enabled, ledger_for
from ..models import Application, ApplicationStatus, BookingMode
from ..refunds import policy_sentences
from ..selectors import application_date_clashes, application_get_for_user, date_clash_summary
from ..selectors_catalog import (
    document_checklist,
    live_applications_by_session,
    session_get_for_apply,
)
from ..selectors_pages import application_overview_get, application_overviews
from ..selectors_visa import visa_letter_latest
from .common import vault_url

MSG_FULL_OFFER_WAITLIST = _(
    "This session just filled up. You can join the waitlist: if a seat frees up, the first "
    "person on the list gets it."
)

MSG_DATE_CLASH_APPLIED = gettext_lazy(
    "Note: these dates overlap your other application(s): %(others)s. You can attend only one; "
    "coordinators will not confirm both."
)


def _success_message(application: Application) -> str:
    if application.status == ApplicationStatus.ACCEPTED:
        return _("Your seat is held. Complete your documents and deposit before the hold ends.")
    if application.status == ApplicationStatus.WAITLISTED:
        return _("You are on the waitlist. We email you as soon as a seat is yours.")
    return _("Application sent. Coordinators review it and email you their decision.")


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, session_id: int) -> HttpResponse:
    user = current_user(request)
    session = session_get_for_apply(session_id=session_id)
    if session is None:
        raise Http404
    existing = live_applications_by_session(user=user, sessions=[session]).get(session.pk)
    if existing is not None:
        messages.info(request, _("You already applied to this session."))
        return redirect("rotations:application", existing.pk)
    offer_waitlist = False
    # A warning, never a block: the applicant's live applications sharing a day with this one.
    date_clashes = application_date_clashes(
        applicant_id=user.pk, start_date=session.start_date, end_date=session.end_date
    )
    if request.method == "POST":
        form = ApplicationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = application_submit(
                    actor=user,
                    session=session,
                    motivation=data["motivation"],
                    referral_source=data["referral_source"],
                    consent_share_documents=data["consent_share_documents"],
                    waitlist=data["waitlist"],
                )
            except CapacityError:
                offer_waitlist = True
                form.add_error(None, MSG_FULL_OFFER_WAITLIST)
            except AlreadyApplied as exc:
                messages.info(request, exc.message)
                return redirect("rotations:detail", session.rotation.slug)
            except ApplicationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _success_message(application))
                if date_clashes:
                    messages.warning(
                        request,
                        MSG_DATE_CLASH_APPLIED % {"others": date_clash_summary(date_clashes)},
                    )
                return redirect("rotations:application", application.pk)
    else:
        form = ApplicationForm()
    instant = session.booking_mode == BookingMode.INSTANT
    full = instant and session.seats_left == 0  # type: ignore[attr-defined]
    return render(
        request,
        "rotations/application_form.html",
        {
            "session": session,
            "rotation": session.rotation,
            "form": form,
            "checklist": document_checklist(user, session.rotation, session),
            "show_vault_status": True,
            "vault_url": vault_url(),
            "instant": instant,
            "full": full,
            "offer_waitlist": offer_waitlist or full,
            "wants_waitlist": request.GET.get("waitlist") == "1",
            "date_clashes": date_clashes,
        },
        status=422 if request.method == "POST" else 200,
    )


@role_required(Role.APPLICANT)
def application_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    overviews = application_overviews(user=user)
    page = Paginator(overviews, 20).get_page(request.GET.get("page"))
    return render(request, "rotations/application_list.html", {"page": page, "query": ""})


@role_required(Role.APPLICANT)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    overview = application_overview_get(user=user, pk=pk)
    if overview is None:
        raise Http404
    return render(
        request,
        "rotations/application_detail.html",
        {
            "overview": overview,
            "application": overview.application,
            "withdraw_form": WithdrawForm(),
            "vault_url": vault_url(),
            "arrival_panel": arrival_panel(overview.application, viewer_zone=user.timezone),
            "ledger": ledger_for(overview.application),
            "cards_enabled": cards_enabled(),
            "payments": list(overview.application.payments.all()),
            # Visa letters: for confirmed applications (or one that already has a letter).
            "visa_letter": (visa_letter := visa_letter_latest(overview.application)),
            "visa_offered": visa_letter is not None
            or overview.application.status == ApplicationStatus.CONFIRMED,
        },
    )


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    application = application_get_for_user(user=user, pk=pk)
    if application is None or application.applicant_id != user.pk:
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                actor=user, application=application, reason=form.cleaned_data["reason"]
            )
        except InvalidTransition:
            messages.info(request, _("This application is already closed."))
            return redirect("rotations:application", application.pk)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("You withdrew your application."))
            return redirect("rotations:application", application.pk)
    return render(
        request,
        "rotations/application_withdraw.html",
        {
            "application": application,
            "form": form,
            # What the policy gives back if they withdraw now (docs/dev/invoices-and-refunds.md).
            "refund_quote": refund_quote(application),
            "refund_sentences": policy_sentences(application.session.rotation.refund_rules),
        },
        status=422 if request.method == "POST" else 200,
    )
