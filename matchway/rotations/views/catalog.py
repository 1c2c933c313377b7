"""Public catalog: the filterable rotation list and a rotation's page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from matchway.accounts.models import Role
from matchway.core.htmx import wants_fragment
from matchway.core.markdown import markdown_excerpt
from matchway.guides.selectors import TITLES_CACHE_KEY as GUIDE_TITLES_CACHE_KEY
from matchway.guides.templatetags.guides import guide_link
from matchway.organization.selectors import CACHE_KEY as ORGANIZATION_CACHE_KEY

from ..catalog_cards import card_words, filter_controls, rotation_cards
from ..catalog_sql import catalog_page
from ..forms import CatalogFilterForm
from ..models import BookingMode, RotationKind
from ..selectors_catalog import (
    FACETS_KEY,
    CatalogFilters,
    catalog_cache_set,
    catalog_cached,
    catalog_facets,
    catalog_fragment_key,
    document_checklist,
    live_applications_by_session,
    rotation_get_for_page,
    rotation_upcoming_sessions,
)
from .common import vault_url


def catalog_cache_seconds() -> int:
    return int(getattr(settings, "ROTATIONS_CATALOG_CACHE_SECONDS", 60))


def _catalog_context(
    query: QueryDict, form: CatalogFilterForm, filters: CatalogFilters, page: Any
) -> dict[str, Any]:
    """Everything catalog.jinja prints, computed in Python (catalog_cards.py)."""
    query = query.copy()
    query.pop("page", None)
    pager = None
    if page.has_other_pages():
        prev_query = next_query = ""
        if page.has_previous():
            query["page"] = str(page.previous_page_number())
            prev_query = query.urlencode()
        if page.has_next():
            query["page"] = str(page.next_page_number())
            next_query = query.urlencode()
        pager = {
            "prev": prev_query,
            "next": next_query,
            "number": page.number,
            "total": page.paginator.num_pages,
        }
    return {
        "controls": filter_controls(form),
        "errors": [(str(bound.label), str(e)) for bound in form for e in bound.errors],
        "cards": rotation_cards(page),
        "count": page.paginator.count,
        "is_filtered": filters.is_filtered,
        "pager": pager,
        "catalog_url": reverse("rotations:catalog"),
        "guide": guide_link("choosing-specialty-through-rotations"),
        "t": card_words(),
    }


@require_GET
@vary_on_headers("HX-Request")
def catalog(request: HttpRequest) -> HttpResponse:
    """The catalog: filter form and results, or only the results for htmx requests.

    The rendered fragment depends only on the query string (no per-user content), so it is
    cached per catalog version (docs/dev/caching.md): any change to sites, rotations,
    sessions or applications bumps the version in the shared cache once its transaction
    commits, so every process renders afresh at once; the TTL only bounds how long a lapsed
    hold can still show as a taken seat (booking services always recount under the lock).
    Uncached, the fragment is a Jinja2 template fed with ready display values.
    """
    partial = "results" if wants_fragment(request) else "catalog"
    ttl = catalog_cache_seconds()
    key = catalog_fragment_key(request.GET, partial)
    # One round trip: the version, the facets and the fragment (entries of an older
    # version count as absent).
    version, found = catalog_cached(
        [FACETS_KEY, key] if ttl else [FACETS_KEY],
        also=(ORGANIZATION_CACHE_KEY, GUIDE_TITLES_CACHE_KEY),  # the footer, the guide link
    )
    facets = catalog_facets(version=version, cached=found.get(FACETS_KEY))
    form = CatalogFilterForm(request.GET, facets=facets)
    form.is_valid()  # invalid fields are reported beside the filter and then ignored
    filters = form.filters()
    html = found.get(key)
    page = None
    if html is None:
        page = catalog_page(filters=filters, page=request.GET.get("page"), zones=facets.site_zones)
        html = render_to_string(
            "rotations/catalog.jinja",
            {"partial": partial, **_catalog_context(request.GET, form, filters, page)},
        )
        if ttl:
            catalog_cache_set(key, html, version, ttl)
    if partial == "results":
        return HttpResponse(html)
    return render(
        request,
        "rotations/rotation_list.html",
        {
            # Rendered from our own template just above (or the cache): already escaped.
            "catalog_html": mark_safe(html),
            "specialty_name": dict(facets.specialties).get(filters.specialty, ""),
            "page": page,  # the page the fragment shows when it was rendered just now
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
