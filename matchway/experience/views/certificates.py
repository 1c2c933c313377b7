"""Certificate pages: public verification and key; private detail, download, issue, revoke.

The verify page is public and shows only what the certificate states. An unknown number
gets a neutral 404 page that says nothing about why.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.models import Role
from matchway.core import clock, signing
from matchway.core.decorators import role_required
from matchway.core.exceptions import AccessDenied, ApplicationError
from matchway.core.forms import form_add_errors
from matchway.core.htmx import wants_fragment
from matchway.core.storage import private_file_response
from matchway.experience.forms import RevokeForm
from matchway.experience.models import RenderState
from matchway.experience.selectors_pages import (
    certificate_get_for_user,
    certificate_get_public,
    certificate_list,
    certificate_list_for_applicant,
)
from matchway.experience.services import certificates as svc
from matchway.experience.views.common import application_for, viewer

DETAIL_TEMPLATE = "experience/certificate_detail.html"


@require_GET
@cache_control(max_age=0, must_revalidate=True, public=True)  # a revocation shows at once
def verify(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_get_public(number)
    if certificate is None:
        return render(request, "experience/certificate_unknown.html", status=404)
    result = svc.certificate_verify(certificate)
    return render(
        request,
        "experience/certificate_verify.html",
        {"result": result, "display": svc.facts_display(result.facts)},
    )


@require_GET
@cache_control(max_age=3600, public=True)
def public_key(request: HttpRequest) -> HttpResponse:
    """The current public key (PEM); `?kid=` serves a retired one by its key id."""
    kid = request.GET.get("kid", "").strip()
    if kid:
        key = signing.public_keys().get(kid)
        if key is None:
            raise Http404
    else:
        key = signing.current_public_key()
    response = HttpResponse(signing.public_key_pem(key), content_type="text/plain; charset=utf-8")
    response["X-Key-Id"] = signing.key_id(key)
    return response


@role_required(Role.COORDINATOR, Role.APPLICANT)
def certificate_list_view(request: HttpRequest) -> HttpResponse:
    """Coordinators: every certificate, searchable. Applicants: their own ("My certificates")."""
    user = viewer(request)
    if user.role == Role.APPLICANT:
        page = Paginator(certificate_list_for_applicant(user=user), 50).get_page(
            request.GET.get("page")
        )
        return render(request, "experience/certificate_list_mine.html", {"page": page})
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(certificate_list(q=q), 50).get_page(request.GET.get("page"))
    query = urlencode({"q": q}) if q else ""
    return render(
        request, "experience/certificate_list.html", {"page": page, "q": q, "query": query}
    )


@role_required(Role.COORDINATOR)
def issue(request: HttpRequest, application_id: int) -> HttpResponse:
    """GET: preview the facts that will be signed. POST: issue."""
    user = viewer(request)
    application = application_for(request, application_id, "certificate")
    blockers = svc.certificate_eligibility(application)
    if request.method == "POST":
        try:
            certificate = svc.certificate_issue(actor=user, application=application)
        except AccessDenied:
            raise PermissionDenied from None
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("certificates:issue", application_id=application.pk)
        messages.success(request, _("Certificate %(n)s issued.") % {"n": certificate.number})
        return redirect("certificates:detail", number=certificate.number)
    preview = svc.certificate_facts(
        application=application,
        number="MW-··········",
        issuer=user,
        issued_on=clock.provider_today(),
    )
    return render(
        request,
        "experience/certificate_issue.html",
        {
            "application": application,
            "facts": preview,
            "display": svc.facts_display(preview),
            "blockers": blockers,
        },
    )


def _detail_context(request: HttpRequest, number: str) -> dict[str, object]:
    user = viewer(request)
    certificate = certificate_get_for_user(user=user, number=number)
    return {
        "certificate": certificate,
        "facts": certificate.payload,
        "display": svc.facts_display(certificate.payload),
        "result": svc.certificate_verify(certificate),
        "is_coordinator": user.role == Role.COORDINATOR,
        "done": certificate.render_state == RenderState.DONE
        and (user.role == Role.COORDINATOR or not certificate.is_revoked),
        "failed": certificate.render_state == RenderState.FAILED,
        "revoke_form": RevokeForm(),
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    return render(request, DETAIL_TEMPLATE, _detail_context(request, number))


@login_required
def status(request: HttpRequest, number: str) -> HttpResponse:
    """Polled by htmx every 2 s while the PDF renders; without htmx, the whole page."""
    context = _detail_context(request, number)
    if wants_fragment(request):
        return render(request, f"{DETAIL_TEMPLATE}#render-status", context)
    return redirect("certificates:detail", number=number)


@login_required
def download(request: HttpRequest, number: str) -> HttpResponseBase:
    user = viewer(request)
    certificate = certificate_get_for_user(user=user, number=number)
    if certificate.render_state != RenderState.DONE or not certificate.pdf:
        raise Http404
    # A revoked certificate's PDF stays on file for the coordinator's records only.
    if certificate.is_revoked and user.role != Role.COORDINATOR:
        raise Http404
    return private_file_response(
        request,
        file=certificate.pdf,
        filename=f"certificate-{certificate.number}.pdf",
        content_type="application/pdf",
        target=certificate,
        action="certificate.download",
    )


@role_required(Role.COORDINATOR)
def revoke(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_get_for_user(user=viewer(request), number=number)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.certificate_revoke(
                actor=viewer(request), certificate=certificate, reason=form.cleaned_data["reason"]
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Certificate revoked. The verify page now says so."))
            return redirect("certificates:detail", number=certificate.number)
    return render(
        request,
        "experience/certificate_revoke.html",
        {"certificate": certificate, "form": form},
        status=422 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_POST
def retry(request: HttpRequest, number: str) -> HttpResponse:
    certificate = certificate_get_for_user(user=viewer(request), number=number)
    try:
        svc.certificate_render_retry(actor=viewer(request), certificate=certificate)
        messages.success(request, _("Rendering again."))
    except ApplicationError as exc:
        messages.warning(request, exc.message)
    return redirect("certificates:detail", number=certificate.number)
