"""Ask a signed-in person to accept a new Terms of use or Privacy policy version, once.

Only ordinary HTML page loads (GET, not htmx) are redirected to `/accounts/consent/?next=`;
the API, static files, sign-out, the policy pages themselves and the consent page are never
blocked, so nobody is locked out of reading what they are asked to accept.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from matchway.organization.models import PolicyKind
from matchway.organization.selectors import policy_consent_versions

from .consent import SESSION_KEY, consent_missing, consent_signature

_SKIP_PREFIXES = (
    "/api/",
    "/static/",
    "/healthz",
    "/provider/logo/",
    "/accounts/logout/",
    "/accounts/consent/",
    "/accounts/confirm-email/",
    "/admin/",
    "/sitemap.xml",
    *(f"/{kind}/" for kind in PolicyKind.values),
)


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self._redirect(request)
        return redirect or self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method != "GET" or request.headers.get("HX-Request"):
            return None
        if request.path.startswith(_SKIP_PREFIXES):
            return None
        if request.headers.get("Authorization"):  # API clients (Bearer) are never blocked
            return None
        versions = policy_consent_versions()
        if not versions:
            return None
        signature = consent_signature(versions)
        if request.session.get(SESSION_KEY) == signature:
            return None
        if consent_missing(user, versions):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:consent')}?{query}")
        request.session[SESSION_KEY] = signature
        return None
