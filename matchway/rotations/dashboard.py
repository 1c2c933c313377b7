"""Dashboard panels for rotations, one set per role (discovered by core.discovery, shown by
home.views.dashboard)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchway.accounts.models import Role, User
from matchway.guides.selectors import (
    STEP_AFTER_ROTATION,
    STEP_ANYTIME,
    STEP_BEFORE_BOOKING,
    STEP_ON_ROTATION,
    article_for_next_step,
)

from .ledger import cards_enabled, ledger_for
from .models import Application, ApplicationStatus, PaymentKind
from .selectors_pages import (
    ApplicationOverview,
    application_overviews,
    preceptor_sessions,
    queue_counts,
    sessions_upcoming,
)
from .templatetags.rotations_tags import usd
from .views.common import vault_url

APPLICANT_PANEL_LIMIT = 10
# Right after the rotations panel (10): the guide is the applicant's next step.
NEXT_STEP_ORDER = 15
CLOSED = {
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
    ApplicationStatus.EXPIRED,
    ApplicationStatus.CANCELLED,
}


def next_step(statuses: set[str]) -> str:
    """Where the applicant is, from the statuses of their applications (a guides step)."""
    if statuses & {ApplicationStatus.IN_PROGRESS, ApplicationStatus.CONFIRMED}:
        return STEP_ON_ROTATION
    if ApplicationStatus.COMPLETED in statuses:
        return STEP_AFTER_ROTATION
    if not statuses - CLOSED:
        return STEP_BEFORE_BOOKING
    return STEP_ANYTIME


def next_step_guide_panels(user: User) -> list[dict[str, Any]]:
    """The guide to read next, chosen from the applicant's bookings (one query here, two in
    guides: articles and their tags)."""
    statuses = set(
        Application.objects.filter(applicant=user).values_list("status", flat=True).distinct()
    )
    guide = article_for_next_step(step=next_step(statuses))
    if guide is None:
        return []
    return [
        {
            "template": "guides/panels/next_step.html",
            "order": NEXT_STEP_ORDER,
            "reason": guide.reason,
            "cards": guide.cards,
        }
    ]


# Document statuses the applicant can fix (an upload waiting for review is the coordinators').
APPLICANT_FIXES = {"missing", "rejected", "expired", "expiring", "erased"}


def _overviews(request: HttpRequest, user: User) -> list[ApplicationOverview]:
    """The applicant's live applications, read once per request for the panel and the to-dos."""
    cached: list[ApplicationOverview] | None = getattr(request, "_rotations_overviews", None)
    if cached is None:
        cached = application_overviews(user=user, live_only=True, limit=APPLICANT_PANEL_LIMIT)
        request._rotations_overviews = cached  # type: ignore[attr-defined]
    return cached


def todos(request: HttpRequest) -> list[dict[str, Any]]:
    """What the applicant must do for a booking. A held seat: its documents and deposit, due
    when the hold ends; a confirmed one: its balance, due `balance_due_days` before the start.
    Applications under review or on the waitlist: one undated item for
    the documents they ask for (the deposit is asked only once a seat is held)."""
    user = request.user
    if not isinstance(user, User) or user.role != Role.APPLICANT:
        return []
    items: list[dict[str, Any]] = []
    waiting_docs: dict[str, None] = {}  # ordered set of document names
    waiting_apps = 0
    for overview in _overviews(request, user):
        needs = overview.requirements
        if needs is None or needs.ready:
            continue
        application = overview.application
        fixes = [d.type_name for d in needs.documents if d.status in APPLICANT_FIXES]
        if application.status != ApplicationStatus.ACCEPTED:
            if fixes:
                waiting_docs.update(dict.fromkeys(fixes))
                waiting_apps += 1
            continue
        if not overview.hold_active:
            continue  # the hold has lapsed: nothing the applicant can do in time
        rotation = application.session.rotation.title
        due = application.hold_expires_at
        detail = _("Your seat is held until then; unfinished, it goes to the next person.")
        if fixes:
            items.append(
                {
                    "due_at": due,
                    "title": _("Upload %(documents)s for %(rotation)s")
                    % {"documents": ", ".join(fixes), "rotation": rotation},
                    "detail": detail,
                    "action_url": vault_url()
                    or reverse("rotations:application", args=[application.pk]),
                    "action_label": _("Upload documents"),
                    "kind": "documents",
                }
            )
    items.extend(_payment_todos(request, user))
    if waiting_docs:
        items.append(
            {
                "due_at": None,
                "title": _("Upload %(documents)s") % {"documents": ", ".join(waiting_docs)},
                "detail": ngettext(
                    "Your application under review needs it before it can be confirmed.",
                    "Your %(n)d applications under review need them before they can be confirmed.",
                    waiting_apps,
                )
                % {"n": waiting_apps},
                "action_url": vault_url() or reverse("rotations:applications"),
                "action_label": _("Upload documents"),
                "kind": "documents",
            }
        )
    return items


def _payment_todos(request: HttpRequest, user: User) -> list[dict[str, Any]]:
    """What to pay next per booking (rotations.ledger), by when, and how: by card when card
    payments are on, otherwise the bank-transfer instructions on the application page. A held
    seat asks for its deposit only (the balance once the seat is confirmed); a lapsed hold asks
    for nothing (the seat is gone)."""
    cards = cards_enabled()
    items: list[dict[str, Any]] = []
    for overview in _overviews(request, user):
        application = overview.application
        if application.status == ApplicationStatus.ACCEPTED and not overview.hold_active:
            continue
        due = ledger_for(application).next_due
        if due is None or (
            application.status == ApplicationStatus.ACCEPTED and due.kind != PaymentKind.DEPOSIT
        ):
            continue
        names = {"rotation": application.session.rotation.title, "amount": usd(due.amount_cents)}
        if due.kind == PaymentKind.DEPOSIT:
            title = _("Pay the deposit for %(rotation)s (%(amount)s)") % names
        else:
            title = _("Pay the balance for %(rotation)s (%(amount)s)") % names
        if application.status == ApplicationStatus.ACCEPTED:
            detail = _("Your seat is held until then; unfinished, it goes to the next person.")
        else:
            detail = _("Due before your rotation starts.")
        how = _("Pay by card online.") if cards else _("Pay by bank transfer; see how.")
        items.append(
            {
                "due_at": due.due_at,
                "title": title,
                "detail": f"{detail} {how}",
                "action_url": reverse("rotations:application", args=[application.pk])
                + "#money-heading",
                "action_label": _("Pay now") if cards else _("How to pay"),
                "kind": str(due.kind),
            }
        )
    return items


def panels(request: HttpRequest) -> list[dict[str, Any]]:
    user = request.user
    if not isinstance(user, User):
        return []
    if user.role == Role.APPLICANT:
        return [
            {
                "template": "rotations/panels/applicant.html",
                "order": 10,
                "overviews": _overviews(request, user),
                "vault_url": vault_url(),
            },
            *next_step_guide_panels(user),
        ]
    if user.role == Role.COORDINATOR:
        return [
            {
                "template": "rotations/panels/coordinator.html",
                "order": 10,
                "counts": queue_counts(),
                "sessions": sessions_upcoming(days=30)[:8],
            }
        ]
    if user.role == Role.PRECEPTOR:
        return [
            {
                "template": "rotations/panels/preceptor.html",
                "order": 10,
                "sessions": preceptor_sessions(user=user)[:6],
            }
        ]
    return []
