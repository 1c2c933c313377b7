"""Public specialty pages (/specialties/…) and, for a signed-in applicant, their own evidence.

Reads only: reference selectors for the public figures, guides selectors for tagged guides,
`specialties.selectors.applicant_evidence` for the viewer's own rotations and letters.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from matchway.guides.selectors import article_list_for_tag_names
from matchway.reference import selectors as ref
from matchway.reference.models import Specialty

from .pages import compare_chart, specialty_page, whole_match_chart
from .selectors import applicant_evidence

MIN_COMPARE, MAX_COMPARE = 2, 3


def _tag_names(specialty: Specialty) -> list[str]:
    """A guide about "Internal Medicine (Categorical)" may be tagged "Internal Medicine"."""
    base = specialty.name.split(" (")[0].split(" - ")[0]
    return [specialty.name, base, specialty.code]


def specialty_list(request: HttpRequest) -> HttpResponse:
    rows = [specialty_page(s) for s in ref.specialty_list_with_outcomes()]
    return render(
        request,
        "specialties/specialty_list.html",
        {"rows": rows, "evidence": applicant_evidence(request.user)},  # type: ignore[arg-type]
    )


def specialty_detail(request: HttpRequest, code: str) -> HttpResponse:
    specialty = ref.specialty_get(code)
    if specialty is None:
        raise Http404
    evidence = applicant_evidence(request.user)  # type: ignore[arg-type]
    all_rows = ref.outcomes_all_specialties()
    return render(
        request,
        "specialties/specialty_detail.html",
        {
            "page": specialty_page(specialty),
            "whole_match": [o for o in all_rows if o.label == "ALL PGY-1"],
            "whole_match_chart": whole_match_chart(all_rows),
            "guides": article_list_for_tag_names(_tag_names(specialty)),
            "evidence": evidence,
            "mine": evidence.for_code(specialty.code) if evidence else None,
            "is_target": bool(
                evidence and any(t.code == code for t in evidence.targets_without_rotation)
            ),
        },
    )


def _codes(request: HttpRequest) -> list[str]:
    codes: list[str] = []
    for value in request.GET.getlist("codes"):
        codes += [c.strip() for c in value.split(",") if c.strip()]
    return codes


def specialty_compare(request: HttpRequest) -> HttpResponse:
    """?codes=140,120,300 (or codes=140&codes=120): 2–3 known, distinct codes. Anything else
    answers 400 with the form and a message saying what to fix; no codes shows the form
    (`?start=140` preselects the first specialty)."""
    codes = _codes(request)
    choices = list(ref.specialty_list().only("code", "name"))
    known = {s.code for s in choices}
    slots = [codes[i] if i < len(codes) else "" for i in range(MAX_COMPARE)]
    if not codes and request.GET.get("start") in known:  # "Compare with…" from a detail page
        slots[0] = str(request.GET["start"])
    context: dict[str, object] = {"choices": choices, "slots": slots, "pages": []}
    if not codes:
        return render(request, "specialties/specialty_compare.html", context)
    unknown = [c for c in codes if c not in known]
    error = ""
    if unknown:
        error = _("Unknown specialty code: %(codes)s. Pick specialties from the lists.") % {
            "codes": ", ".join(unknown)
        }
    elif len(set(codes)) != len(codes):
        error = _("Each specialty can be compared once. Pick different specialties.")
    elif not MIN_COMPARE <= len(codes) <= MAX_COMPARE:
        error = _("Compare 2 or 3 specialties; you picked %(n)s.") % {"n": len(codes)}
    if error:
        context["error"] = error
        return render(request, "specialties/specialty_compare.html", context, status=400)
    pages = [specialty_page(s) for s in ref.specialties_get(codes)]
    evidence = applicant_evidence(request.user)  # type: ignore[arg-type]
    context.update(
        {
            "pages": pages,
            "chart": compare_chart(pages),
            "evidence": evidence,
            "mine": [
                (page, evidence.for_code(page.specialty.code) if evidence else None)
                for page in pages
            ],
        }
    )
    return render(request, "specialties/specialty_compare.html", context)
