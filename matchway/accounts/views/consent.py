"""`/accounts/consent/`: accept the Terms of use / Privacy policy version now in effect."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from matchway.organization.selectors import policy_consent_versions

from ..consent import consent_missing, consent_record
from ..consent_forms import ConsentForm


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/dashboard/"


@login_required
@require_http_methods(["GET", "POST"])
def consent_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    missing = consent_missing(request.user, policy_consent_versions())
    if not missing:
        return redirect(next_url)
    form = ConsentForm(request.POST or None, versions=missing)
    if request.method == "POST" and form.is_valid():
        consent_record(user=request.user, versions=missing, request=request)
        return redirect(next_url)
    return render(
        request,
        "accounts/consent.html",
        {"form": form, "missing": missing, "next": next_url},
    )
