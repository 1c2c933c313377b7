"""Notification pages: the list, the per-category email settings, one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from matchway.accounts.auth import current_user

from .categories import CHOOSABLE, DESCRIPTIONS, ESSENTIAL, Category
from .links import unsubscribe_resolve
from .models import Mode, Notification
from .selectors import notifications_for, preferences_for
from .services import notifications_mark_read, preferences_set, unsubscribe

PAGE_SIZE = 25


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    has_unread = any(item.read_at is None for item in page.object_list)
    return render(
        request, "notifications/notification_list.html", {"page": page, "has_unread": has_unread}
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not Notification.objects.filter(pk=pk, user=current_user(request)).exists():
        raise Http404  # another person's notification: it does not exist for you
    notifications_mark_read(request.user, ids=[pk])
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_read(request.user, all_=True)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = preferences_for(request.user)
    errors: list[str] = []
    if request.method == "POST":
        chosen = {str(c): request.POST.get(str(c), "") for c in CHOOSABLE}
        bad = [c for c, mode in chosen.items() if mode not in Mode.values]
        if bad:
            errors = [
                _("Choose how you want to hear about %(category)s.")
                % {"category": Category(c).label.lower()}
                for c in bad
            ]
            current.update({c: m for c, m in chosen.items() if m in Mode.values})
        else:
            preferences_set(request.user, chosen, request=request)
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:preferences")
    rows: list[dict[str, Any]] = [
        {
            "category": str(c),
            "label": c.label,
            "description": DESCRIPTIONS[c],
            "mode": current[str(c)],
        }
        for c in CHOOSABLE
    ]
    essential = [{"label": c.label, "description": DESCRIPTIONS[c]} for c in ESSENTIAL]
    return render(
        request,
        "notifications/preference_list.html",
        {"rows": rows, "modes": Mode.choices, "essential": essential, "errors": errors},
    )


@csrf_exempt  # RFC 8058 one-click POST from a mail client: the signed token is the auth
def unsubscribe_view(request: HttpRequest, token: str, category: str) -> HttpResponse:
    user_id = unsubscribe_resolve(token, category)
    if user_id is None:
        raise Http404
    label = Category(category).label
    if request.method == "POST":
        if not unsubscribe(user_id, category, request=request):
            raise Http404
        return render(request, "notifications/unsubscribe_done.html", {"label": label})
    return render(request, "notifications/unsubscribe_confirm.html", {"label": label})
