"""The rank list sandbox: order by keyboard buttons (no JavaScript needed) or drag and drop
(static/js/eras-rank.js posts the whole order), the season's deadline and rules from data,
and the simulation of the applicant-proposing algorithm."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core import clock
from matchway.core.decorators import role_required
from matchway.core.exceptions import ValidationFailed

from .forms_season import ScenarioForm
from .matching_sim import Scenario, simulate
from .selectors_season import target_get_for_user
from .services import season as season_service
from .services.ranklist import (
    rank_candidates_for_user,
    rank_list_add,
    rank_list_for_user,
    rank_list_max,
    rank_list_move,
    rank_list_remove,
    rank_list_set_order,
)

SIMULATION_MAX_PROGRAMS = 12


@role_required(Role.APPLICANT)
@require_GET
def rank_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    season = season_service.season_current()
    deadline = season_service.rank_list_deadline(season)
    context: dict[str, Any] = {
        "season": season,
        "ranked": rank_list_for_user(user=user, season=season),
        "candidates": rank_candidates_for_user(user=user, season=season),
        "deadline": deadline[0] if deadline else None,
        "deadline_eastern": deadline[0].astimezone(clock.EASTERN) if deadline else None,
        "deadline_fact": deadline[1] if deadline else None,
        "rules": season_service.rank_list_rules(),
        "max_ranks": rank_list_max(),
    }
    return render(request, "eras/season/rank_list.html", context)


def _own_target(request: HttpRequest, pk: int) -> Any:
    target = target_get_for_user(user=current_user(request), pk=pk)
    if target is None:
        raise Http404
    return target


@role_required(Role.APPLICANT)
@require_POST
def rank_list_change(request: HttpRequest, pk: int) -> HttpResponse:
    """One keyboard-friendly change: `action` = up | down | add | remove."""
    user = current_user(request)
    target = _own_target(request, pk)
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            rank_list_move(actor=user, target=target, direction=action)
        elif action == "add":
            rank_list_add(actor=user, target=target)
        elif action == "remove":
            rank_list_remove(actor=user, target=target)
        else:
            raise ValidationFailed(_("Unknown change."))
    except ValidationFailed as exc:
        messages.error(request, exc.message)
    url = redirect("eras:rank_list").url
    return redirect(f"{url}#rank-{target.pk}" if action in ("up", "down") else url)


@role_required(Role.APPLICANT)
@require_POST
def rank_list_order(request: HttpRequest) -> HttpResponse:
    """The whole order from drag and drop: `order` = comma-separated target ids."""
    user = current_user(request)
    raw = request.POST.get("order", "")
    try:
        ids = [int(x) for x in raw.split(",") if x.strip()]
    except ValueError:
        ids = []
    try:
        rank_list_set_order(actor=user, season=season_service.season_current(), target_ids=ids)
    except ValidationFailed as exc:
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
        messages.error(request, exc.message)
        return redirect("eras:rank_list")
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"order": ids})
    messages.success(request, _("Rank list saved."))
    return redirect("eras:rank_list")


@role_required(Role.APPLICANT)
@require_GET
def rank_simulation(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    season = season_service.season_current()
    ranked = rank_list_for_user(user=user, season=season)[:SIMULATION_MAX_PROGRAMS]
    form = ScenarioForm(request.GET or None, targets=ranked)
    result = None
    names: dict[str, str] = {}
    if ranked and form.is_bound and form.is_valid():
        keys = tuple(f"p{t.pk}" for t in ranked)
        names = {f"p{t.pk}": t.program.name for t in ranked}
        scenario = Scenario(
            programs=keys,
            standing={f"p{t.pk}": form.cleaned_data[f"standing_{t.pk}"] for t in ranked},
            competitors_per_program=form.cleaned_data["competitors"],
            seed=form.cleaned_data["seed"],
        )
        result = simulate(scenario)
    return render(
        request,
        "eras/season/rank_simulation.html",
        {
            "form": form,
            "ranked": ranked,
            "result": result,
            "names": names,
            "max_programs": SIMULATION_MAX_PROGRAMS,
        },
    )
