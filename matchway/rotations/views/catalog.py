"""Public catalog: the filterable rotation list and a rotation's page."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from matchway.accounts.models import Role
from matchway.core.htmx import wants_fragment
from matchway.core.markdown import markdown_excerpt

from ..forms import CatalogFilterForm
from ..models import BookingMode, RotationKind
from ..selectors_catalog import (
    catalog_facets,
    catalog_fragment_key,
    document_checklist,
    live_applications_by_session,
    rotation_catalog_page,
    rotation_get_for_page,
    rotation_upcoming_sessions,
)
from .common import vault_url


def catalog_cache_seconds() -> int:
    return int(getattr(settings, "ROTATIONS_CATALOG_CACHE_SECONDS", 60))


@require_GET
@vary_on_headers("HX-Request")
def catalog(request: HttpRequest) -> HttpResponse:
    """The catalog: filter form and results, or only the results for htmx requests.

    The rendered fragment depends only on the query string (no per-user content), so it is
    cached per catalog generation: any change to sites, rotations, sessions or applications
    bumps the generation, and the short TTL bounds how long a lapsed hold can still show
    as a taken seat (booking services always recount under the lock anyway).
    """
    facets = catalog_facets()
    form = CatalogFilterForm(request.GET, facets=facets)
    form.is_valid()  # invalid fields are reported beside the filter and then ignored
    filters = form.filters()
    partial = "results" if wants_fragment(request) else "catalog"
    ttl = catalog_cache_seconds()
    key = catalog_fragment_key(request.GET, partial)
    html = cache.get(key) if ttl else None
    if html is None:
        page = rotation_catalog_page(filters=filters, page=request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        html = render_to_string(
            f"rotations/rotation_list.html#{partial}",
            {"form": form, "filters": filters, "page": page, "query": query.urlencode()},
            request=request,
        )
        if ttl:
            cache.set(key, html, ttl)
    if partial == "results":
        return HttpResponse(html)
    return render(
        request,
        "rotations/rotation_list.html",
        {
            # Rendered from our own template just above (or the cache): already escaped.
            "catalog_html": mark_safe(html),
            "specialty_name": dict(facets.specialties).get(filters.specialty, ""),
        },
    )


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    rotation = rotation_get_for_page(slug=slug, user=user)
    if rotation is None:
        raise Http404
    sessions = rotation_upcoming_sessions(rotation=rotation)
    is_applicant = getattr(user, "role", None) == Role.APPLICANT
    next_session = next((s for s in sessions if s.accepts_applications), None)
    checklist = document_checklist(user if is_applicant else None, rotation, next_session)
    mine = live_applications_by_session(user=user, sessions=sessions)
    for session in sessions:
        session.mine = mine.get(session.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "rotations/rotation_detail.html",
        {
            "rotation": rotation,
            "sessions": sessions,
            "vault_url": vault_url() if is_applicant else None,
            "checklist": checklist,
            "show_vault_status": is_applicant,
            "checklist_session": next_session,
            "is_observership": rotation.kind == RotationKind.OBSERVERSHIP,
            "has_instant": any(s.booking_mode == BookingMode.INSTANT for s in sessions),
            "meta_description": markdown_excerpt(rotation.description, 155)
            or _("%(title)s at %(site)s.") % {"title": rotation.title, "site": rotation.site},
        },
    )
