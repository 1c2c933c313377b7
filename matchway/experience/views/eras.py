"""ERAS Experience draft: generate, edit with live counters, versions, plain-text export.
The applicant's own page; everyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchway.core.exceptions import ApplicationError
from matchway.core.forms import form_add_errors
from matchway.experience.forms import ErasDraftForm
from matchway.experience.models import ErasExperienceDraftVersion
from matchway.experience.selectors_pages import eras_draft_for_application
from matchway.experience.services import eras_drafts as svc
from matchway.experience.services import eras_drafts_versions as versions_svc
from matchway.experience.views.common import application_for, viewer
from matchway.experience.views.phi import review_fields
from matchway.rotations.models import Application, ApplicationStatus


def _own(request: HttpRequest, application_id: int) -> Application:
    return application_for(request, application_id, "eras")


def _initial(version: ErasExperienceDraftVersion) -> dict[str, Any]:
    return {name: getattr(version, name) for name in svc.CONTENT_FIELDS}


@login_required
def eras_draft(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = _own(request, application_id)
    draft, versions = eras_draft_for_application(application)
    current = versions[0] if versions else None
    review: list[Any] = []
    status = 200
    if request.method == "POST":
        form = ErasDraftForm(request.POST)
        if form.is_valid():
            try:
                versions_svc.eras_draft_save(
                    actor=user,
                    application=application,
                    values={k: form.cleaned_data.get(k) for k in svc.CONTENT_FIELDS},
                    acknowledge_phi=bool(form.cleaned_data.get("acknowledge_phi")),
                )
            except svc.ErasDraftInvalid as exc:
                form_add_errors(form, exc)
                labels = {
                    "description": str(form.fields["description"].label),
                    "meaningful_reflection": str(form.fields["meaningful_reflection"].label),
                }
                texts = {k: str(form.cleaned_data.get(k) or "") for k in labels}
                review = review_fields(labels, texts, exc.findings, actions=False)
            except ApplicationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Saved as a new version."))
                return redirect("experience:eras-draft", application_id=application.pk)
        status = 422
    else:
        form = ErasDraftForm(initial=_initial(current)) if current else ErasDraftForm()
    return render(
        request,
        "experience/eras_draft.html",
        {
            "application": application,
            "draft": draft,
            "versions": versions,
            "current": current,
            "form": form,
            "review": review,
            "can_generate": application.status == ApplicationStatus.COMPLETED,
            "description_limit": svc.description_limit(),
            "reflection_limit": svc.reflection_limit(),
        },
        status=status,
    )


@login_required
@require_POST
def eras_generate(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own(request, application_id)
    try:
        version = versions_svc.eras_draft_generate(actor=viewer(request), application=application)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Version %(n)s generated from your rotation.") % {"n": version.number}
        )
    return redirect("experience:eras-draft", application_id=application.pk)


def _version(application: Application, number: int) -> ErasExperienceDraftVersion:
    _draft, versions = eras_draft_for_application(application)
    for version in versions:
        if version.number == number:
            return version
    raise Http404


@login_required
def eras_version(request: HttpRequest, application_id: int, number: int) -> HttpResponse:
    application = _own(request, application_id)
    version = _version(application, number)
    return render(
        request,
        "experience/eras_version.html",
        {
            "application": application,
            "version": version,
            "text": versions_svc.eras_draft_text(version),
        },
    )


@login_required
@require_POST
def eras_restore(request: HttpRequest, application_id: int, number: int) -> HttpResponse:
    application = _own(request, application_id)
    _version(application, number)
    version = versions_svc.eras_draft_restore(
        actor=viewer(request), application=application, number=number
    )
    messages.success(
        request,
        _("Version %(old)s restored as version %(new)s.") % {"old": number, "new": version.number},
    )
    return redirect("experience:eras-draft", application_id=application.pk)


@login_required
def eras_export(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own(request, application_id)
    _draft, versions = eras_draft_for_application(application)
    if not versions:
        raise Http404
    text = versions_svc.eras_draft_text(versions[0])
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    name = slugify(application.session.rotation.title)[:60] or "rotation"
    response["Content-Disposition"] = f'attachment; filename="eras-experience-{name}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response
