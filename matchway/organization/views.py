"""Public policy pages, the provider's logo, and the coordinator's provider page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matchway.core import clock
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors

from .forms import OrganizationForm, PolicyPageForm
from .models import Organization, PolicyKind, PolicyPage
from .rendering import policy_to_html
from .selectors import (
    organization_current,
    policy_current,
    policy_published,
    policy_version_get,
    policy_versions_all,
)
from .services import organization_update, policy_publish


def _page_context(kind: str, page: PolicyPage | None, *, current: bool) -> dict[str, Any]:
    return {
        "kind": kind,
        "title": PolicyKind(kind).label,
        "page": page,
        "is_current": current,
        "body_html": policy_to_html(page.body) if page else "",
        "has_history": policy_published(kind).count() > 1 if page else False,
    }


@require_GET
def policy_page(request: HttpRequest, kind: str) -> HttpResponse:
    """The version in effect now; a clear "not published yet" page (200) before the first."""
    page = policy_current(kind)
    return render(request, "organization/policy_page.html", _page_context(kind, page, current=True))


@require_GET
def policy_version(request: HttpRequest, kind: str, version: str) -> HttpResponse:
    page = policy_version_get(kind, int(version))
    if page is None:
        raise Http404
    current = policy_current(kind)
    context = _page_context(kind, page, current=current is not None and current.pk == page.pk)
    context["current"] = current
    return render(request, "organization/policy_page.html", context)


@require_GET
def policy_versions(request: HttpRequest, kind: str) -> HttpResponse:
    pages = list(policy_published(kind).only("kind", "version", "effective_at"))
    return render(
        request,
        "organization/policy_versions.html",
        {"kind": kind, "title": PolicyKind(kind).label, "pages": pages},
    )


@require_GET
def logo(request: HttpRequest) -> HttpResponse:
    """The logo is public (it is in every header). It was re-encoded from pixels on upload,
    so the bytes are a plain image; nosniff and a sandbox CSP make sure it stays one."""
    org = organization_current()
    if not org.pk or not org.logo or not org.logo_content_type:
        raise Http404
    try:
        with org.logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        raise Http404 from None
    response = HttpResponse(content, content_type=org.logo_content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # The URL carries ?v=<last change>, so a long cache is safe.
    response["Cache-Control"] = "public, max-age=86400"
    return response


@role_required("coordinator")
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    current = organization_current()
    instance = Organization.objects.order_by("pk").first() or Organization(name=current.name)
    form = OrganizationForm(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        organization_update(
            actor=request.user,
            values=values,
            logo=form.cleaned_data.get("logo_upload"),
            logo_remove=bool(form.cleaned_data.get("logo_remove")),
            request=request,
        )
        messages.success(request, _("The provider's details are saved."))
        return redirect("organization:manage")
    pages = []
    for kind, label in PolicyKind.choices:
        versions = list(policy_versions_all(kind)[:1])
        pages.append({"kind": kind, "label": label, "current": policy_current(kind),
                      "latest": versions[0] if versions else None})  # fmt: skip
    return render(
        request,
        "organization/organization_manage.html",
        {"form": form, "organization": current, "pages": pages, "now": clock.now()},
    )


@role_required("coordinator")
@require_http_methods(["GET", "POST"])
def manage_page(request: HttpRequest, kind: str) -> HttpResponse:
    versions = list(policy_versions_all(kind))
    current = policy_current(kind)
    initial = {"body": versions[0].body} if versions else {}
    form = PolicyPageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            page = policy_publish(
                actor=request.user,
                kind=kind,
                body=form.cleaned_data["body"],
                effective_at=form.cleaned_data.get("effective_at"),
                request=request,
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            if page.effective_at > clock.now():
                messages.success(request, _("Version %(v)s is scheduled.") % {"v": page.version})
            else:
                messages.success(request, _("Version %(v)s is published.") % {"v": page.version})
            return redirect("organization:manage-page", kind=kind)
    return render(
        request,
        "organization/policy_manage.html",
        {
            "kind": kind,
            "title": PolicyKind(kind).label,
            "form": form,
            "versions": versions,
            "current": current,
            "now": clock.now(),
        },
    )
