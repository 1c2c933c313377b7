"""Coordinator pages for arrival logistics: a rotation's defaults and a session's overrides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from matchway.accounts.auth import current_user
from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors

from ..arrival import arrival_for
from ..forms import RotationArrivalForm, SessionArrivalForm
from ..models import Rotation, RotationSession
from ..services.arrival import rotation_arrival_update, session_arrival_update


def _existing(owner: Any) -> Any:
    try:
        return owner.arrival
    except ObjectDoesNotExist:
        return None


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def rotation_arrival_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    rotation = get_object_or_404(Rotation.objects.select_related("site"), pk=pk)
    instance = _existing(rotation)
    data = request.POST if request.method == "POST" else None
    form = RotationArrivalForm(data, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            rotation_arrival_update(actor=user, rotation=rotation, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("First-day details saved."))
            return redirect("rotations:manage-rotation", rotation.pk)
    return render(
        request,
        "rotations/manage/arrival_form.html",
        {"form": form, "rotation": rotation, "session": None},
        status=422 if request.method == "POST" else 200,
    )


@role_required(Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def session_arrival_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    session = RotationSession.objects.select_related("rotation__site").filter(pk=pk).first()
    if session is None:
        raise Http404
    defaults = _existing(session.rotation)
    form = SessionArrivalForm(
        request.POST if request.method == "POST" else None,
        instance=_existing(session),
        defaults=defaults,
    )
    if request.method == "POST" and form.is_valid():
        try:
            session_arrival_update(actor=user, session=session, **form.cleaned_data)
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("First-day details for this session saved."))
            return redirect("rotations:manage-session", session.pk)
    return render(
        request,
        "rotations/manage/arrival_form.html",
        {
            "form": form,
            "rotation": session.rotation,
            "session": session,
            "arrival": arrival_for(session),
        },
        status=422 if request.method == "POST" else 200,
    )
