"""Evaluation pages: the overview with the comparison chart, the rating form for
preceptors and self-assessments, addenda, the secret-link form for evaluators without an
account, and the coordinator's pending list with reminders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from matchway.accounts.models import Role
from matchway.core.decorators import role_required
from matchway.core.exceptions import AccessDenied, ApplicationError
from matchway.core.forms import form_add_errors
from matchway.core.tokens import token_resolve
from matchway.experience.forms import EvaluationForm, ExternalEvaluatorForm
from matchway.experience.models import Evaluation, EvaluationKind
from matchway.experience.selectors import viewer_role
from matchway.experience.selectors_pages import (
    evaluation_get_for_user,
    evaluation_overview_for_user,
    evaluations_pending_for_user,
)
from matchway.experience.services import evaluations as svc
from matchway.experience.services import evaluations_addenda as addenda_svc
from matchway.experience.services import evaluations_reminders as reminder_svc
from matchway.experience.services import evaluations_requests as request_svc
from matchway.experience.services import evaluations_submit as submit_svc
from matchway.experience.views.charts import comparison_chart
from matchway.experience.views.common import application_for, viewer

FORM_TEMPLATE = "experience/evaluation_form.html"


@login_required
def evaluation_list(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "evaluations")
    overview = evaluation_overview_for_user(user=user, application=application)
    role = viewer_role(user, application)
    chart = None
    if role == "owner" and overview.composite and overview.self_ratings is not None:
        chart = comparison_chart(
            overview.competencies,
            overview.self_ratings,
            {row.code: row.mean for row in overview.composite},
        )
    self_by_code = overview.self_ratings or {}
    table = [
        {
            "name": row.name,
            "self": self_by_code.get(row.code, "") if overview.self_ratings is not None else "",
            "self_observed": overview.self_ratings is not None and row.code in self_by_code,
            "row": row,
        }
        for row in overview.composite
    ]
    return render(
        request,
        "experience/evaluation_list.html",
        {
            "application": application,
            "overview": overview,
            "role": role,
            "chart": chart,
            "table": table,
            "several": len([t for t in overview.preceptor_threads if t.submitted]) > 1,
        },
    )


@login_required
@require_POST
def self_assessment(request: HttpRequest, application_id: int) -> HttpResponse:
    user = viewer(request)
    application = application_for(request, application_id, "evaluations")
    if application.applicant_id != user.pk:
        raise Http404
    phase = request.POST.get("phase") or "final"
    try:
        evaluation = request_svc.evaluation_self_start(
            actor=user, application=application, phase=phase
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("experience:evaluations", application_id=application.pk)
    return redirect("experience:evaluation-edit", evaluation_id=evaluation.pk)


def _body(evaluation: Evaluation, infos: list[svc.CompetencyInfo]) -> dict[str, Any]:
    """One evaluation as display rows (rating text per competency)."""
    rows = []
    for info in infos:
        ratings = evaluation.ratings or {}
        if info.code not in ratings:
            text = "—"
        elif ratings[info.code] is None:
            text = _("not observed")
        else:
            text = str(ratings[info.code])
        rows.append((info.name, text))
    return {"evaluation": evaluation, "rows": rows}


def _post_evaluation(
    request: HttpRequest,
    evaluation: Evaluation,
    form: EvaluationForm,
    *,
    actor: Any,
    token: Any = None,
) -> HttpResponse:
    """The three buttons of the form, validation first:

    - "Submit" (`action=submit`) checks every field without submitting; errors come back
      on the form (422). When all is well the draft is saved (account holders) and the page
      asks "submit now?" with the answers still in the form.
    - "Yes, submit now" (`action=confirm`) submits; the service checks everything again.
    - "Save draft" (`action=save`, account holders only) saves what is there.
    """
    external = token is not None
    action = request.POST.get("action", "")
    if action not in ("submit", "confirm", "save") or (external and action == "save"):
        action = "submit"
    if form.is_valid():
        values = form.to_input()
        try:
            if action == "confirm":
                submit_svc.evaluation_save(
                    actor=actor, evaluation=evaluation, values=values, submit=True, token=token
                )
            elif action == "submit":
                submit_svc.evaluation_check_submit(
                    actor=actor, evaluation=evaluation, values=values, token=token
                )
                if not external:
                    submit_svc.evaluation_save(
                        actor=actor, evaluation=evaluation, values=values, submit=False
                    )
            else:
                submit_svc.evaluation_save(
                    actor=actor, evaluation=evaluation, values=values, submit=False
                )
        except AccessDenied:
            if external:
                return _invalid_link(request)
            raise
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            if action == "confirm":
                if external:
                    return render(
                        request,
                        "experience/evaluation_external_done.html",
                        {"evaluation": evaluation},
                    )
                messages.success(request, _("Evaluation submitted. Thank you."))
                return redirect("experience:evaluation-edit", evaluation_id=evaluation.pk)
            if action == "submit":
                context = _form_context(evaluation, form, confirming=True, external=external)
                return render(request, FORM_TEMPLATE, context)
            messages.success(request, _("Draft saved. Submit when you are ready."))
            return redirect("experience:evaluation-edit", evaluation_id=evaluation.pk)
    context = _form_context(evaluation, form, external=external)
    return render(request, FORM_TEMPLATE, context, status=422)


def _form_context(evaluation: Evaluation, form: EvaluationForm, **extra: Any) -> dict[str, Any]:
    application = evaluation.application
    return {
        "evaluation": evaluation,
        "application": application,
        "form": form,
        "is_self": evaluation.kind == EvaluationKind.SELF,
        **extra,
    }


@login_required
def evaluation_edit(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = viewer(request)
    evaluation = evaluation_get_for_user(user=user, evaluation_id=evaluation_id)
    infos = svc.competencies()
    root = evaluation.addendum_to or evaluation
    addenda = list(root.addenda.order_by("submitted_at", "pk"))
    if evaluation.submitted_at is not None:
        return render(
            request,
            "experience/evaluation_detail.html",
            {
                "evaluation": root,
                "application": evaluation.application,
                "original": _body(root, infos),
                "addendum_bodies": [_body(a, infos) for a in addenda],
                "effective": svc.effective_evaluation(root, addenda),
            },
        )
    if request.method == "POST":
        form = EvaluationForm(request.POST, competencies=infos, kind=evaluation.kind)
        return _post_evaluation(request, evaluation, form, actor=user)
    form = EvaluationForm(
        initial=EvaluationForm.initial_from(evaluation), competencies=infos, kind=evaluation.kind
    )
    return render(request, FORM_TEMPLATE, _form_context(evaluation, form))


@login_required
def evaluation_addendum(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    user = viewer(request)
    evaluation = evaluation_get_for_user(user=user, evaluation_id=evaluation_id)
    root = evaluation.addendum_to or evaluation
    if root.submitted_at is None:
        return redirect("experience:evaluation-edit", evaluation_id=root.pk)
    infos = svc.competencies()
    current = svc.effective_evaluation(root, list(root.addenda.all()))
    if request.method == "POST":
        form = EvaluationForm(request.POST, competencies=infos, kind=root.kind, addendum=True)
        if form.is_valid():
            try:
                addenda_svc.evaluation_addendum(
                    actor=user,
                    original=root,
                    values=form.to_input(),
                    reason=form.cleaned_data["addendum_reason"],
                )
            except ApplicationError as exc:
                form_add_errors(form, exc)
            else:
                messages.success(request, _("Addendum added. The original stays on record."))
                return redirect("experience:evaluation-edit", evaluation_id=root.pk)
        status = 422
    else:
        form = EvaluationForm(
            initial=EvaluationForm.initial_from(current),
            competencies=infos,
            kind=root.kind,
            addendum=True,
        )
        status = 200
    return render(request, FORM_TEMPLATE, _form_context(root, form, addendum=True), status=status)


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "experience/evaluation_link_invalid.html", status=404)


@never_cache
def evaluation_external(request: HttpRequest, token: str) -> HttpResponse:
    """An evaluator without an account, through the emailed secret link.

    Any bad link (unknown, tampered, expired, used, revoked) gets the same neutral 404.
    """
    record = token_resolve(token, purpose=svc.TOKEN_PURPOSE, state=svc.TOKEN_STATE)
    if record is None:
        return _invalid_link(request)
    evaluation = (
        Evaluation.objects.filter(pk=record.target_id, evaluator__isnull=True)
        .select_related("application__applicant", "application__session__rotation__site")
        .first()
    )
    if evaluation is None or evaluation.submitted_at is not None:
        return _invalid_link(request)
    infos = svc.competencies()
    if request.method == "POST":
        form = EvaluationForm(request.POST, competencies=infos, kind=evaluation.kind)
        return _post_evaluation(request, evaluation, form, actor=None, token=record)
    form = EvaluationForm(competencies=infos, kind=evaluation.kind)
    return render(request, FORM_TEMPLATE, _form_context(evaluation, form, external=True))


@role_required(Role.COORDINATOR)
def evaluation_request_external(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request, application_id, "evaluations")
    form = ExternalEvaluatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_svc.evaluation_request_external(
                actor=viewer(request),
                application=application,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                phase=form.cleaned_data["phase"],
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Request sent. The link works for 30 days."))
            return redirect("experience:evaluations", application_id=application.pk)
    return render(
        request,
        "experience/evaluation_request_external.html",
        {"application": application, "form": form},
        status=422 if form.errors else 200,
    )


@role_required(Role.COORDINATOR)
@require_POST
def evaluation_request_preceptors(request: HttpRequest, application_id: int) -> HttpResponse:
    """From the coordinator's application page: ask the rotation's preceptor(s) now."""
    application = application_for(request, application_id, "evaluations")
    try:
        created = request_svc.evaluation_request_preceptors(
            actor=viewer(request), application=application
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        names = ", ".join(e.evaluator.full_name for e in created if e.evaluator is not None)
        messages.success(request, _("Evaluation request emailed to %(names)s.") % {"names": names})
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("experience:evaluations", application_id=application.pk)


@role_required(Role.COORDINATOR)
@require_POST
def evaluation_remind(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("application"),
        pk=evaluation_id,
        kind=EvaluationKind.PRECEPTOR,
        addendum_to__isnull=True,
    )
    try:
        reminder_svc.evaluation_remind(actor=viewer(request), evaluation=evaluation)
        messages.success(request, _("Reminder sent."))
    except AccessDenied:
        raise PermissionDenied from None
    except ApplicationError as exc:
        messages.warning(request, exc.message)
    target = request.POST.get("next", "")
    if target == "pending":
        return redirect("experience:evaluations-pending")
    return redirect("experience:evaluations", application_id=evaluation.application_id)


@role_required(Role.COORDINATOR, Role.PRECEPTOR)
def evaluations_pending(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    pending = evaluations_pending_for_user(user)
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "experience/evaluations_pending.html",
        {"page": page, "is_coordinator": user.role == Role.COORDINATOR},
    )
