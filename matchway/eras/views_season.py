"""Budget pages: the fee estimate (public, prefilled for a signed-in applicant) and the
signals page (the applicant's own signals per specialty, set through the one service)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import SignalLimitReached, ValidationFailed
from matchway.reference.models import Specialty

from .selectors_season import target_counts_by_specialty, target_get_for_user
from .services import season as season_service
from .services.signals import signal_overview, target_signal_set

BLANK_ROWS = 3
MAX_ROWS = 20


def _rows_from_request(request: HttpRequest) -> list[tuple[str, str]]:
    codes = request.GET.getlist("specialty")[:MAX_ROWS]
    numbers = request.GET.getlist("programs")[:MAX_ROWS]
    return [
        (code.strip(), (numbers[i] if i < len(numbers) else "").strip())
        for i, code in enumerate(codes)
    ]


@require_GET
def fee_estimate_page(request: HttpRequest) -> HttpResponse:
    errors: list[str] = []
    try:
        season = season_service.season_resolve(request.GET.get("season"))
    except ValidationFailed:
        season = season_service.season_current()
        errors.append(_("That season is not in our data; showing the current season."))
    rows = _rows_from_request(request)
    is_applicant = getattr(request.user, "role", None) == Role.APPLICANT
    if not rows and is_applicant:
        mine = target_counts_by_specialty(user=request.user, season=season)
        rows = [(code, str(n)) for code, n in mine]
    counts: list[tuple[str, int]] = []
    for code, number in rows:
        if not code and not number:
            continue
        if not code or not number.isdigit() or int(number) > season_service.MAX_PROGRAMS_PER_LINE:
            errors.append(
                _("Choose a specialty and a whole number of programs (0 to %(max)s) on each row.")
                % {"max": season_service.MAX_PROGRAMS_PER_LINE}
            )
            continue
        counts.append((code, int(number)))
    fap = request.GET.get("fap") == "1"
    result = None
    if counts and not errors:
        try:
            result = season_service.fee_estimate(
                season=season, counts=counts, fee_assistance_approved=fap
            )
        except ValidationFailed as exc:
            errors.extend(m for ms in exc.errors.values() for m in ms)
    form_rows = [*rows, *[("", "")] * BLANK_ROWS][: max(len(rows) + BLANK_ROWS, BLANK_ROWS)]
    context: dict[str, Any] = {
        "season": season,
        "seasons": season_service.seasons(),
        "rows": form_rows,
        "specialties": Specialty.objects.order_by("name").only("code", "name"),
        "fap": fap,
        "result": result,
        "errors": errors,
        "from_targets": is_applicant and not request.GET.getlist("specialty"),
    }
    return render(request, "eras/season/fees.html", context)


@role_required(Role.APPLICANT)
@require_GET
def signals_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    season = season_service.season_current()
    return render(
        request,
        "eras/season/signals.html",
        {"season": season, "rows": signal_overview(user=user, season=season)},
    )


@role_required(Role.APPLICANT)
@require_POST
def signal_set(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    target = target_get_for_user(user=user, pk=pk)
    if target is None:
        raise Http404
    try:
        target_signal_set(target=target, signal=request.POST.get("signal", ""), actor=user)
    except SignalLimitReached as exc:
        messages.error(request, exc.message)
    except ValidationFailed as exc:
        details = " ".join(m for ms in exc.errors.values() for m in ms)
        messages.error(request, f"{exc.message} {details}".strip())
    else:
        messages.success(
            request, _("Signal saved for %(program)s.") % {"program": target.program.name}
        )
    return redirect("eras:signals")
