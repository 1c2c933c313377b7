"""Match Week and SOAP pages: the real week and the drill share every page; `drill=True`
(set in urls.py) selects the drill week. Only applicants have a cockpit; anyone else gets
the neutral 404, like another applicant's rows."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role, User
from matchway.core.exceptions import ApplicationError, ValidationFailed

from . import drill as drills
from . import selectors, services
from .checklist import RULES, checklist
from .models import PartialMatch, PositionCode, SoapWeek, WeekKind
from .view_models import offer_rows, schedule_rows

PAGE_SIZE = 100


def applicant_week(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in (else login), an applicant (else 404), and the week the URL means: the
    real week of the coming season, or the current drill (created on first visit)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, drill: bool = False, **kwargs: Any) -> Any:
        from django.contrib.auth.views import redirect_to_login

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = current_user(request)
        if user.role != Role.APPLICANT:
            raise Http404
        if drill:
            week = selectors.week_for(user, kind=WeekKind.DRILL)
            if week is None and view.__name__ not in ("index", "drill_start"):
                return redirect("soap:drill")
        else:
            week = services.week_get_or_create(user)
        if week is not None:
            drill_module_tick(week)
        return view(request, user, week, *args, drill=drill, **kwargs)

    return wrapper


def drill_module_tick(week: SoapWeek) -> None:
    if week.is_drill:
        drills.drill_tick(week)
    else:
        services.offers_expire(week=week)


def _url(name: str, is_drill: bool, **kwargs: Any) -> str:
    return reverse(f"soap:{'drill-' if is_drill else ''}{name}", kwargs=kwargs or None)


def _common(user: User, week: SoapWeek | None, is_drill: bool) -> dict[str, Any]:
    ctx: dict[str, Any] = {"is_drill": is_drill, "week": week, "user_zone": user.timezone}
    if week is None:
        return ctx
    now = selectors.week_now(week)
    data = selectors.match_week(week.season)
    used = week.applications.count()
    limit = selectors.application_limit()
    accepted = selectors.accepted_offer(week)
    current_round = data.round_at(now)
    ctx.update(
        {
            "schedule": data,
            "now": now,
            "limit": limit,
            "used": used,
            "remaining": max(limit - used, 0),
            "accepted": accepted,
            "current_round": current_round,
            "nav": {
                "index": reverse("soap:drill" if is_drill else "soap:index"),
                "list": _url("list", is_drill),
                "applications": _url("applications", is_drill),
                "offers": _url("offers", is_drill),
            },
        }
    )
    if is_drill:
        ctx["next_event"] = drills.next_event(week)
        ctx["speeds"] = drills.SPEEDS
    return ctx


@applicant_week
def index(request: HttpRequest, user: User, week: SoapWeek | None, drill: bool = False) -> Any:
    ctx = _common(user, week, drill)
    if week is not None:
        ctx["rows"] = schedule_rows(ctx["schedule"], user.timezone, ctx["now"])
        ctx["partial_choices"] = PartialMatch.choices
    if not drill:
        ctx["checklist"] = checklist(user)
        ctx["rules"] = RULES
        ctx["guide_url"] = reverse("guides:detail", kwargs={"slug": "soap-for-imgs"})
        ctx["seasons"] = selectors.seasons()
    else:
        ctx["speeds"] = drills.SPEEDS
        ctx["drill_season"] = selectors.drill_season()
    return render(request, "soap/index.html", ctx)


@require_POST
@applicant_week
def result_set(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    try:
        services.partial_match_set(
            actor=user, week=week, value=request.POST.get("partial_match", "")
        )
        messages.success(request, _("Saved: the list now shows the positions you may apply to."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_url("list", drill))


def _filters(request: HttpRequest) -> selectors.Filters:
    position = request.GET.get("position_type", "")[:1].upper()
    return selectors.Filters(
        specialty=request.GET.get("specialty", "")[:120],
        position_type=position if position in PositionCode.values else "",
        state=request.GET.get("state", "")[:2],
        visa=request.GET.get("visa", "") if request.GET.get("visa") in ("j1", "h1b") else "",
    )


@applicant_week
def list_page(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    ctx = _common(user, week, drill)
    rounds = list(week.imports.order_by("round"))
    wanted = request.GET.get("round", "")
    current = next((i for i in rounds if str(i.round) == wanted), rounds[-1] if rounds else None)
    ctx.update({"imports": rounds, "list_import": current, "filters": _filters(request)})
    ctx["round_choices"] = range(0, len(ctx["schedule"].rounds) + 1)
    ctx["position_choices"] = PositionCode.choices
    ctx["partial_choices"] = PartialMatch.choices
    if current is not None:
        filters = ctx["filters"]
        rows = list(selectors.unfilled_rows(week, current, filters))
        visas = selectors.visas_for(user, rows)
        if filters.visa:
            rows = [
                r for r in rows if selectors.visa_matches(visas.get(r.program_code), filters.visa)
            ]
        for row in rows:
            row.visa = visas.get(row.program_code, "")  # type: ignore[attr-defined]
        applied = set(week.applications.values_list("program_code", flat=True))
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        ctx.update(
            {
                "page": page,
                "visas": visas,
                "applied": applied,
                "changes": selectors.list_changes(week, current),
                "specialties": sorted({r.specialty for r in current.rows.all()}),
                "states": sorted({r.state for r in current.rows.all()}),
                "allowed_positions": selectors.allowed_positions(week),
            }
        )
    return render(request, "soap/list.html", ctx)


@require_POST
@applicant_week
def list_import(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    text = request.POST.get("text", "")
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size and upload.size > 2_000_000:
            messages.error(request, _("The file is larger than 2 MB."))
            return redirect(_url("list", drill))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            messages.error(request, _("The file is not UTF-8 text (CSV)."))
            return redirect(_url("list", drill))
    try:
        round_ = int(request.POST.get("round", "0"))
        result = services.list_import(actor=user, week=week, text=text, round_=round_)
    except (ValueError, ValidationFailed):
        messages.error(request, _("Choose Monday's list or one of the offer rounds."))
        return redirect(_url("list", drill))
    if result.list_import is not None:
        messages.success(
            request,
            _("Imported %(n)d programs for this round.") % {"n": result.created},
        )
    for error in result.errors[:50]:
        messages.error(request, _("Row %(row)s: %(message)s") % error)
    if len(result.errors) > 50:
        messages.error(request, _("… and %d more rows with errors.") % (len(result.errors) - 50))
    return redirect(_url("list", drill))


@require_POST
@applicant_week
def list_delete(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    services.list_delete(actor=user, week=week)
    messages.success(request, _("Your copy of the list is deleted."))
    return redirect(_url("list", drill))


@require_POST
@applicant_week
def applications_add(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    codes = request.POST.getlist("code")
    send = request.POST.get("action") == "send"
    try:
        created = services.applications_add(actor=user, week=week, codes=codes, sent=send)
        messages.success(
            request,
            (_("%d applications marked sent.") if send else _("%d programs added.")) % len(created),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(request.POST.get("next") or _url("list", drill))
    return redirect(_url("applications", drill))


@applicant_week
def applications(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    ctx = _common(user, week, drill)
    ctx["applications"] = list(selectors.applications(week))
    for application in ctx["applications"]:
        application.letter_ids = [letter.pk for letter in application.letters.all()]  # type: ignore[attr-defined]
    if not drill:
        from matchway.letters.selectors import letter_assignable_list

        ctx["letters"] = letter_assignable_list(viewer=user)
        ctx["versions"] = _statement_versions(user)
    return render(request, "soap/applications.html", ctx)


def _statement_versions(user: User) -> list[Any]:
    from matchway.statements.selectors import statement_list_for_user, version_latest

    found = []
    for statement in statement_list_for_user(user=user)[:30]:
        version = version_latest(statement)
        if version is not None:
            found.append((version.pk, f"{statement.title} (v{version.number})"))
    return found


@require_POST
@applicant_week
def applications_send(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    ids = [int(i) for i in request.POST.getlist("application") if i.isdigit()]
    chosen = list(week.applications.filter(pk__in=ids))
    if not chosen:
        messages.error(request, _("Choose at least one application."))
        return redirect(_url("applications", drill))
    action = request.POST.get("action", "send")
    try:
        if action == "remove":
            for application in chosen:
                services.application_remove(actor=user, application=application)
            messages.success(request, _("Removed."))
        else:
            count = services.applications_mark_sent(actor=user, week=week, applications=chosen)
            messages.success(request, _("%d applications marked sent.") % count)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_url("applications", drill))


@require_POST
@applicant_week
def application_documents(
    request: HttpRequest, user: User, week: SoapWeek, pk: int, drill: bool = False
) -> Any:
    application = selectors.application_get(week, pk)
    if application is None:
        raise Http404
    letter_ids = [int(i) for i in request.POST.getlist("letters") if i.isdigit()]
    raw_version = request.POST.get("statement_version", "")
    try:
        services.application_documents_set(
            actor=user,
            application=application,
            letter_ids=letter_ids,
            statement_version_id=int(raw_version) if raw_version.isdigit() else None,
        )
        messages.success(request, _("Documents saved for %s.") % application)
    except ValidationFailed as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(_url("applications", drill))


@applicant_week
def offers(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    ctx = _common(user, week, drill)
    ctx["rounds"] = offer_rows(week, ctx["schedule"], ctx["now"], user.timezone)
    ctx["sent_codes"] = list(
        week.applications.filter(sent_at__isnull=False).values_list("program_code", "program_name")
    )
    return render(request, "soap/offers.html", ctx)


@require_POST
@applicant_week
def offer_record(request: HttpRequest, user: User, week: SoapWeek, drill: bool = False) -> Any:
    try:
        round_ = int(request.POST.get("round", ""))
        services.offer_record(
            actor=user, week=week, program_code=request.POST.get("program_code", ""), round_=round_
        )
        messages.success(request, _("Offer recorded. Answer it before its window closes."))
    except ValueError:
        messages.error(request, _("Choose the round of the offer."))
    except ValidationFailed as exc:
        for errors in exc.errors.values():
            for error in errors:
                messages.error(request, error)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_url("offers", drill))


@require_POST
@applicant_week
def offer_answer(
    request: HttpRequest, user: User, week: SoapWeek, pk: int, drill: bool = False
) -> Any:
    offer = selectors.offer_get(week, pk)
    if offer is None:
        raise Http404
    try:
        if request.POST.get("answer") == "accept":
            services.offer_accept(actor=user, offer=offer)
            messages.success(
                request,
                _(
                    "Accepted. This is binding: your other open offers are lost and no more "
                    "applications can be recorded."
                ),
            )
        else:
            services.offer_decline(actor=user, offer=offer)
            messages.success(request, _("Declined. This program will not offer again."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(_url("offers", drill))
