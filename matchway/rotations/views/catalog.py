"""Public catalog: the filterable rotation list and a rotation's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from matchway.accounts.models import Role
from matchway.core.htmx import render_page_or_partial

from ..forms import CatalogFilterForm
from ..markdown import markdown_excerpt
from ..models import RotationKind
from ..selectors_catalog import (
    catalog_facets,
    document_checklist,
    live_applications_by_session,
    rotation_catalog_page,
    rotation_get_for_page,
    rotation_upcoming_sessions,
)
from .common import vault_url


@require_GET
@vary_on_headers("HX-Request")
def catalog(request: HttpRequest) -> HttpResponse:
    facets = catalog_facets()
    form = CatalogFilterForm(request.GET, facets=facets)
    form.is_valid()  # invalid fields are reported beside the filter and then ignored
    filters = form.filters()
    page = rotation_catalog_page(filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "specialty_name": dict(facets.specialties).get(filters.specialty, ""),
    }
    return render_page_or_partial(
        request, "rotations/rotation_list.html", context, partial="results"
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
            "meta_description": markdown_excerpt(rotation.description, 155)
            or _("%(title)s at %(site)s.") % {"title": rotation.title, "site": rotation.site},
        },
    )
